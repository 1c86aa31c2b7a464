// Rate expectations: how much a target asks of OpenCode per unit of work, judged against the
// history length of the session (seed leak 2: session.messages re-fetched on every tool call), and
// what a target leaves running after it is disposed.
//
// A rate is judged by differencing cumulative counters between consecutive samples
// (Δcalls / Δtool calls, Δbytes / Δtool calls); each difference is placed at the history length
// (messages) of the session at the later sample, differences at one history length are pooled
// across sessions, and the pooled rate series is classified against history length.
import type { HandleStat, MetricVerdict, Sample, SeriesPoint, WorkUnit } from '../core/types.ts';
import { formatBytes, formatValue } from '../core/units.ts';
import type { ExpectationResult } from '../report/model.ts';
import { classifyGrowth } from '../verdict/index.ts';
import { HISTORY_COUNTER } from './context.ts';

export type RateExpectation =
  | {
      kind: 'calls-per-unit-flat';
      /** OpenCode route id (OpenAPI operationId), e.g. 'session.messages'. */
      route: string;
      /** The work unit the rate is per. */
      per: WorkUnit;
      /** What the rate must not grow with: the history length of the session (messages). */
      against: 'history';
      /** History lengths (messages) shown in the table of the reasons. */
      table?: number[];
    }
  | { kind: 'no-refed-timers-after-dispose'; /** Ref'd timers the harness itself may leave (default 0). */ allowed?: number };

export const expectCallsPerUnitFlat = (options: { route: string; per: WorkUnit; against: 'history'; table?: number[] }): RateExpectation => ({
  kind: 'calls-per-unit-flat',
  ...options,
});
export const expectNoRefedTimersAfterDispose = (options: { allowed?: number } = {}): RateExpectation => ({
  kind: 'no-refed-timers-after-dispose',
  ...options,
});

/** Phase name of the sample the run context's dispose() takes; see RunContext.dispose. */
export const DISPOSED_PHASE = 'disposed';

interface RatePoint {
  history: number;
  units: number;
  calls: number;
  bytes: number;
  /** Used heap (post-GC, excluding code) at the last sample pooled at this history length. */
  heapBytes: number;
}

/** Pooled per-history rates from consecutive samples (sample order, not work order). */
export function ratePoints(samples: readonly Sample[], route: string, per: WorkUnit): RatePoint[] {
  const callsKey = `opencode.${route}.calls`;
  const bytesKey = `opencode.${route}.bytes`;
  const byHistory = new Map<number, RatePoint>();
  const ordered = [...samples].sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < ordered.length; i += 1) {
    const prev = ordered[i - 1] as Sample;
    const cur = ordered[i] as Sample;
    const history = cur.counters?.[HISTORY_COUNTER];
    const du = (cur.work[per] ?? 0) - (prev.work[per] ?? 0);
    if (history === undefined || !(history > 0) || !(du > 0)) continue;
    const read = (s: Sample, key: string) => s.counters?.[key] ?? 0;
    let p = byHistory.get(history);
    if (!p) {
      p = { history, units: 0, calls: 0, bytes: 0, heapBytes: 0 };
      byHistory.set(history, p);
    }
    p.units += du;
    p.calls += read(cur, callsKey) - read(prev, callsKey);
    p.bytes += read(cur, bytesKey) - read(prev, bytesKey);
    if (cur.heapUsedBytes !== undefined) p.heapBytes = cur.heapUsedBytes - (cur.codeBytes ?? 0);
  }
  return [...byHistory.values()].sort((a, b) => a.history - b.history);
}

const WORST = { bounded: 0, inconclusive: 1, leak: 2 } as const;

/** The point nearest to a history length (the table's rows), if any. */
function nearest(points: RatePoint[], history: number): RatePoint | undefined {
  return points.reduce<RatePoint | undefined>((best, p) => (!best || Math.abs(p.history - history) < Math.abs(best.history - history) ? p : best), undefined);
}

const callsText = (v: number) => v.toFixed(1);

function judgeRates(samples: Sample[], e: Extract<RateExpectation, { kind: 'calls-per-unit-flat' }>, alpha: number | undefined): ExpectationResult {
  const per = e.per;
  const id = `${e.route}-per-${per.replace(/ /g, '-')}-flat`;
  const description = `${e.route}: calls and response bytes per ${per} are flat against history length`;
  const points = ratePoints(samples, e.route, per);
  const series = (read: (p: RatePoint) => number): SeriesPoint[] => points.map((p) => ({ x: p.history, y: read(p) / p.units }));
  // x is the session's history length (messages): slopes read "per message of history".
  const common = { unit: 'message' as const, warmupFraction: 0, alpha };
  const calls = classifyGrowth(series((p) => p.calls), {
    ...common,
    metric: `calls-per-${per}:${e.route}`,
    label: `${e.route} calls per ${per}`,
    valueKind: 'calls',
    // Exact counts: half a call per tool call more over the run is growth; default floors are for totals.
    minSlopePerUnit: 0.001,
    minTotalGrowth: 0.5,
  });
  const bytes = classifyGrowth(series((p) => p.bytes), {
    ...common,
    metric: `bytes-per-${per}:${e.route}`,
    label: `${e.route} response bytes per ${per}`,
    valueKind: 'bytes',
  });
  const worst: MetricVerdict = WORST[bytes.verdict] >= WORST[calls.verdict] ? bytes : calls;
  const first = points[0];
  const last = points[points.length - 1];
  const reasons: string[] = [];
  if (first && last) {
    const c = (p: RatePoint) => p.calls / p.units;
    const b = (p: RatePoint) => p.bytes / p.units;
    reasons.push(
      `${e.route}: ${formatBytes(b(first))} per ${per} at ${first.history} messages, ${formatBytes(b(last))} at ${last.history}; ` +
        `${callsText(c(first))} calls per ${per} at ${first.history} messages, ${callsText(c(last))} at ${last.history}.`,
      `${e.route}: ${callsText(c(first))} calls per ${per} at ${first.history} messages, ${callsText(c(last))} at ${last.history}: ${calls.verdict}. ${calls.reasons[0] ?? ''}`,
      `${e.route}: ${formatBytes(b(first))} per ${per} at ${first.history} messages, ${formatBytes(b(last))} at ${last.history}: ${bytes.verdict}. ${bytes.reasons[0] ?? ''}`,
      `history | ${e.route} calls per ${per} | bytes served per ${per} | used heap (post-GC)`,
    );
    const rows = new Set<RatePoint>();
    for (const h of e.table ?? [10, 100, 200, 400]) {
      const p = nearest(points, h);
      if (p) rows.add(p);
    }
    for (const p of rows) {
      reasons.push(`${p.history} messages | ${callsText(c(p))} | ${formatBytes(b(p))} | ${formatBytes(p.heapBytes)}`);
    }
  } else {
    reasons.push(
      `No two consecutive samples with ${per} work in between carry a history length (counter ${HISTORY_COUNTER}): ` +
        'drive sessions with openSession().exchange() and sample between exchanges.',
    );
  }
  const growth = (m: MetricVerdict) => `${formatValue(m.slopePerUnit, m.valueKind, true)} per ${per} per message of history`;
  return {
    id,
    description,
    passed: worst.verdict === 'bounded',
    verdict: points.length === 0 ? 'inconclusive' : worst.verdict,
    metric: worst,
    estimate: growth(worst),
    reasons,
    warnings: [...calls.warnings.map((w) => `${calls.label}: ${w}`), ...bytes.warnings.map((w) => `${bytes.label}: ${w}`)],
  };
}

function refedTimersOf(h: HandleStat): number {
  return h.refedTimers;
}

function judgeDisposed(samples: Sample[], e: Extract<RateExpectation, { kind: 'no-refed-timers-after-dispose' }>): ExpectationResult {
  const allowed = e.allowed ?? 0;
  const description = "no ref'd timer is left after the target is disposed";
  const after = samples.filter((s) => s.phase === DISPOSED_PHASE && s.handles);
  const base = { id: 'no-refed-timers-after-dispose', description, limit: allowed, limitKind: 'absolute' as const, warnings: [] };
  const last = after[after.length - 1];
  if (!last?.handles) {
    return {
      ...base, passed: false, verdict: 'inconclusive',
      reasons: [`No sample with handle data was taken in phase '${DISPOSED_PHASE}': call run.phase('${DISPOSED_PHASE}') and run.dispose() at the end of the workload.`],
    };
  }
  const before = [...samples].filter((s) => s.phase !== DISPOSED_PHASE && s.handles).pop();
  const refed = refedTimersOf(last.handles);
  const ok = refed <= allowed;
  const reasons = [
    ok
      ? `${refed} ref'd timer${refed === 1 ? '' : 's'} after dispose (${last.handles.unrefedTimers} unref'd): the process can exit on its own.`
      : `${refed} ref'd timer${refed === 1 ? '' : 's'} still scheduled after dispose (allowed: ${allowed}): an interval whose handle was dropped and never unref'd keeps the process alive.`,
  ];
  if (before?.handles) reasons.push(`Before dispose: ${before.handles.refedTimers} ref'd, ${before.handles.unrefedTimers} unref'd timers.`);
  return { ...base, passed: ok, verdict: ok ? 'bounded' : 'leak', estimate: `${refed} ref'd timer${refed === 1 ? '' : 's'}`, reasons };
}

/** alpha: two-sided error of the growth intervals (a sequential look's share; default 0.05). */
export function evaluateRateExpectation(e: RateExpectation, samples: Sample[], alpha?: number): ExpectationResult {
  switch (e.kind) {
    case 'calls-per-unit-flat':
      return judgeRates(samples, e, alpha);
    case 'no-refed-timers-after-dispose':
      return judgeDisposed(samples, e);
  }
}
