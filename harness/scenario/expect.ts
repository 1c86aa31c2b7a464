// Expectations a scenario declares (the authoring API: expectHeapBounded(), expectChecksPass(), ...)
// and how a look judges them. Each kind is a module of its own under expectations/, one folder per
// kind behind the one interface in expectations/kind.ts; this file lists them, as fuite lists its metrics.
import type { MetricVerdict, Sample, WorkUnit } from '../core/types.ts';
import type { ExpectationResult } from '../report/model.ts';
import { callsPerUnitFlat, type CallsPerUnitFlat } from './expectations/calls-per-unit/index.ts';
import { checksPass, type ChecksPass } from './expectations/checks/index.ts';
import { collectionsBounded, type CollectionsBounded } from './expectations/collections/index.ts';
import { counterAtMost, type CounterAtMost } from './expectations/counter-at-most/index.ts';
import { counterBounded, type CounterBounded } from './expectations/counter-bounded/index.ts';
import { noRefedTimersAfterDispose, type NoRefedTimersAfterDispose } from './expectations/disposed-timers/index.ts';
import { handlesBounded, type HandlesBounded } from './expectations/handles/index.ts';
import { heapBounded, type HeapBounded } from './expectations/heap/index.ts';
import type { CheckFinding, ExpectationJudge, ExpectationKind, Suspect } from './expectations/kind.ts';
import { rssBounded, type RssBounded } from './expectations/rss/index.ts';

export { DISPOSED_PHASE } from './expectations/disposed-timers/index.ts';
export type { CheckFinding, Suspect } from './expectations/kind.ts';

/** How much a target asks of OpenCode per unit of work, and what it leaves running once disposed. */
export type RateExpectation = CallsPerUnitFlat | NoRefedTimersAfterDispose;
/** Correctness checks (run.check) and exact counters (run.setCounter) a workload of any kind records. */
export type CheckExpectation = ChecksPass | CounterBounded;
export type Expectation =
  HeapBounded | CollectionsBounded | HandlesBounded | RssBounded | CounterAtMost | RateExpectation | CheckExpectation;

/** Used heap after GC, net of compiled code, is bounded; see HeapBounded.minBytesPerUnit for noisy targets. */
export const expectHeapBounded = (options: { minBytesPerUnit?: number } = {}): Expectation => ({ kind: 'heap-bounded', ...options });
/** Every growing Map/Set is bounded, or stays at or below `atMost` entries; `consider`: how many of the fastest are judged. */
export const expectCollectionsBounded = (options: { atMost?: number; consider?: number } = {}): Expectation => ({
  kind: 'collections-bounded',
  ...options,
});
export const expectHandlesBounded = (): Expectation => ({ kind: 'handles-bounded' });
/** Resident memory of the target's process tree is bounded (the figure for targets without an inspector). */
export const expectRssBounded = (options: { minBytesPerUnit?: number } = {}): Expectation => ({ kind: 'rss-bounded', ...options });
/** An exact counter never exceeds a limit, e.g. "0 late hooks of a bypassed session took the expensive path". */
export const expectCounterAtMost = (counter: string, atMost: number, description: string): Expectation => ({
  kind: 'counter-at-most',
  counter,
  atMost,
  description,
});
/** Calls to an OpenCode route, and the bytes served, per unit of work stay flat as the session's history grows. */
export const expectCallsPerUnitFlat = (options: {
  route: string;
  per: WorkUnit;
  against: 'history';
  table?: number[];
}): RateExpectation => ({
  kind: 'calls-per-unit-flat',
  ...options,
});
/** No ref'd timer is left after run.dispose() (phase DISPOSED_PHASE); `allowed`: the harness's own, default 0. */
export const expectNoRefedTimersAfterDispose = (options: { allowed?: number } = {}): RateExpectation => ({
  kind: 'no-refed-timers-after-dispose',
  ...options,
});
/** Every run.check recorded under `check` passed, and at least `atLeast` (default 1) were made. */
export const expectChecksPass = (check: string, description: string, atLeast?: number): CheckExpectation => ({
  kind: 'checks-pass',
  check,
  description,
  ...(atLeast !== undefined ? { atLeast } : {}),
});
/** An exact counter the workload sets (run.setCounter) is bounded in work; `label` names one count. */
export const expectCounterBounded = (counter: string, label: string, description: string, minPoints?: number): CheckExpectation => ({
  kind: 'counter-bounded',
  counter,
  label,
  description,
  ...(minPoints !== undefined ? { minPoints } : {}),
});

/** Every kind's module, by the kind's name: a kind missing here is a type error. */
const KINDS: { [K in Expectation['kind']]: ExpectationKind<Extract<Expectation, { kind: K }>> } = {
  'heap-bounded': heapBounded,
  'rss-bounded': rssBounded,
  'collections-bounded': collectionsBounded,
  'handles-bounded': handlesBounded,
  'counter-at-most': counterAtMost,
  'calls-per-unit-flat': callsPerUnitFlat,
  'no-refed-timers-after-dispose': noRefedTimersAfterDispose,
  'checks-pass': checksPass,
  'counter-bounded': counterBounded,
};

function judgeOf(e: Expectation): ExpectationJudge {
  const kind = KINDS[e.kind] as ExpectationKind<Expectation> | undefined;
  if (!kind) throw new Error(`unknown expectation kind ${JSON.stringify(e.kind)}: expected one of ${Object.keys(KINDS).join(', ')}`);
  return kind(e);
}

export interface Evaluation {
  results: ExpectationResult[];
  suspects: Suspect[];
  /** Every metric verdict behind each result, in the results' order (a sequential look needs all of them decided). */
  metrics: MetricVerdict[][];
}

/** What passed a declared exact limit between the two samples, by the first expectation that says so. */
export function limitCrossed(expectations: readonly Expectation[], previous: Sample, latest: Sample): string | undefined {
  for (const e of expectations) {
    const what = judgeOf(e).crossed?.(previous, latest);
    if (what) return what;
  }
  return undefined;
}

/** Judge every expectation on the samples of the judged window (harness/verdict/window.ts: judgedSamples). */
export function evaluateExpectations(
  expectations: Expectation[],
  samples: Sample[],
  unit: WorkUnit,
  /** What the workload's correctness checks found (run.check), for 'checks-pass'. */
  findings: readonly CheckFinding[] = [],
  /** alpha: two-sided error of the intervals (a sequential look's share; default the engine's 0.05). */
  options: { alpha?: number } = {},
): Evaluation {
  const context = { unit, alpha: options.alpha, findings };
  const judged = expectations.map((e) => judgeOf(e).judge(samples, context));
  return {
    results: judged.map((j) => j.result),
    suspects: judged.flatMap((j) => j.suspects ?? []),
    metrics: judged.map((j) => j.metrics),
  };
}
