// no-refed-timers-after-dispose: what a target leaves running once it is disposed. A ref'd timer
// left scheduled keeps the process alive; the sample run.dispose() takes (phase 'disposed') says.
import type { Sample } from '../../../core/types.ts';
import type { ExpectationResult } from '../../../report/model.ts';
import { judgedBy, type ExpectationKind } from '../kind.ts';

export interface NoRefedTimersAfterDispose {
  kind: 'no-refed-timers-after-dispose';
  /** Ref'd timers the harness itself may leave (default 0). */
  allowed?: number;
}

/** Phase name of the sample the run context's dispose() takes; see RunContext.dispose. */
export const DISPOSED_PHASE = 'disposed';

const timers = (n: number) => `${n} ref'd timer${n === 1 ? '' : 's'}`;

function judgeDisposed(samples: readonly Sample[], e: NoRefedTimersAfterDispose): ExpectationResult {
  const allowed = e.allowed ?? 0;
  const description = "no ref'd timer is left after the target is disposed";
  const after = samples.filter((s) => s.phase === DISPOSED_PHASE && s.handles);
  const base = { id: 'no-refed-timers-after-dispose', description, limit: allowed, limitKind: 'absolute' as const, warnings: [] };
  const last = after[after.length - 1];
  if (!last?.handles) {
    const reasons = [
      `No sample with handle data was taken in phase '${DISPOSED_PHASE}': ` +
        `call run.phase('${DISPOSED_PHASE}') and run.dispose() at the end of the workload.`,
    ];
    return { ...base, passed: false, verdict: 'inconclusive', reasons };
  }
  const before = [...samples].filter((s) => s.phase !== DISPOSED_PHASE && s.handles).pop();
  const refed = last.handles.refedTimers;
  const ok = refed <= allowed;
  const reasons = [
    ok
      ? `${timers(refed)} after dispose (${last.handles.unrefedTimers} unref'd): the process can exit on its own.`
      : `${timers(refed)} still scheduled after dispose (allowed: ${allowed}): ` +
        "an interval whose handle was dropped and never unref'd keeps the process alive.",
  ];
  if (before?.handles) reasons.push(`Before dispose: ${before.handles.refedTimers} ref'd, ${before.handles.unrefedTimers} unref'd timers.`);
  return { ...base, passed: ok, verdict: ok ? 'bounded' : 'leak', estimate: timers(refed), reasons };
}

export const noRefedTimersAfterDispose: ExpectationKind<NoRefedTimersAfterDispose> = (e) => ({
  judge: (samples) => judgedBy(judgeDisposed(samples, e)),
});
