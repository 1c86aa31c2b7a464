// Correctness checks a workload records as it goes (run.check), and the expectations that judge
// them: "every follow-up landed on the thread's session", "a 500 on session.get failed the start".
// Unlike memory, these are not series: one failed check breaks the expectation, and its detail
// (which thread, which session, which canary) is what the report shows. Also the growth verdict
// of an exact counter the workload sets (run.setCounter), e.g. orphaned upstream sessions per cycle.
import type { Sample, WorkUnit } from '../core/types.ts';
import { formatRate } from '../core/units.ts';
import type { CheckExpectationResult, ExpectationResult } from '../report/model.ts';
import { classifyGrowth, counterSeries } from '../verdict/index.ts';

/** One outcome of one check, e.g. { check: 'same-session', ok: false, detail: 'thread t7: ...' }. */
export interface CheckFinding {
  check: string;
  ok: boolean;
  /** A sentence naming what was checked and, when it failed, what broke. */
  detail: string;
}

export type CheckExpectation =
  | {
      kind: 'checks-pass';
      /** The CheckFinding.check this expectation judges. */
      check: string;
      description: string;
      /** Fewest findings for a verdict (fewer: inconclusive). Default 1. */
      atLeast?: number;
    }
  | {
      kind: 'counter-bounded';
      /** A sample counter (run.setCounter); findings recorded under this name are shown as notes. */
      counter: string;
      description: string;
      /** What one count is, for the figures ("orphaned sessions"). */
      label: string;
      /** Fewest judged samples; default 4 (exact counts need no long series). */
      minPoints?: number;
    };

export const expectChecksPass = (check: string, description: string, atLeast?: number): CheckExpectation => ({
  kind: 'checks-pass',
  check,
  description,
  ...(atLeast !== undefined ? { atLeast } : {}),
});

export const expectCounterBounded = (counter: string, label: string, description: string, minPoints?: number): CheckExpectation => ({
  kind: 'counter-bounded',
  counter,
  label,
  description,
  ...(minPoints !== undefined ? { minPoints } : {}),
});

/** Failures listed in the reasons; the rest are counted. */
const SHOWN_FAILURES = 8;

function judgeChecks(e: Extract<CheckExpectation, { kind: 'checks-pass' }>, findings: readonly CheckFinding[]): CheckExpectationResult {
  const mine = findings.filter((f) => f.check === e.check);
  const failed = mine.filter((f) => !f.ok);
  const base = {
    kind: 'check' as const,
    id: `check:${e.check}`,
    description: e.description,
    warnings: [] as string[],
    checks: { total: mine.length, failed: failed.length },
  };
  const atLeast = e.atLeast ?? 1;
  if (failed.length > 0) {
    // The first line is what a one-line summary shows: the count and the first failure itself.
    const reasons = failed.slice(0, SHOWN_FAILURES).map((f) => f.detail);
    reasons[0] = `${failed.length} of ${mine.length} ${e.check} checks failed. ${reasons[0]}`;
    if (failed.length > SHOWN_FAILURES) reasons.push(`... and ${failed.length - SHOWN_FAILURES} more failed ${e.check} checks.`);
    return { ...base, passed: false, verdict: 'fail', estimate: `${failed.length} of ${mine.length} failed`, reasons };
  }
  if (mine.length < atLeast) {
    return {
      ...base, passed: false, verdict: 'inconclusive', estimate: `${mine.length} checks`,
      reasons: [`Only ${mine.length} ${e.check} check${mine.length === 1 ? ' was' : 's were'} made (at least ${atLeast} needed): the workload did not reach it.`],
    };
  }
  return {
    ...base, passed: true, verdict: 'pass', estimate: `${mine.length} of ${mine.length} passed`,
    reasons: [`All ${mine.length} ${e.check} checks passed.`, ...(mine[0] ? [`For example: ${mine[0].detail}`] : [])],
  };
}

function judgeCounter(
  e: Extract<CheckExpectation, { kind: 'counter-bounded' }>,
  samples: Sample[],
  unit: WorkUnit,
  findings: readonly CheckFinding[],
  alpha: number | undefined,
): ExpectationResult {
  const points = counterSeries(samples, unit, e.counter);
  const metric = classifyGrowth(points, {
    metric: `counter:${e.counter}`,
    label: e.label,
    unit,
    valueKind: 'count',
    // An exact count set by the workload after each unit: no warm-up within the judged phase
    // (the workload's own warm-up phase is already excluded), and a short series suffices.
    warmupFraction: 0,
    minPoints: e.minPoints ?? 4,
    alpha,
  });
  const values = points.map((p) => p.y);
  const figures = values.length > 0 ? `${e.label}: ${values.join(', ')} at the ${values.length} judged samples.` : `No sample carried ${e.counter}.`;
  return {
    id: `counter-bounded:${e.counter}`,
    description: e.description,
    passed: metric.verdict === 'bounded',
    verdict: metric.verdict,
    metric,
    estimate: formatRate(metric.slopePerUnit, 'count', unit).replace(/^([+-]?[\d.]+)/, `$1 ${e.label}`),
    // Notes the workload recorded under the counter's name (which items it counted) go last.
    reasons: [figures, ...metric.reasons, ...findings.filter((f) => f.check === e.counter).slice(-1).map((f) => f.detail)],
    warnings: metric.warnings,
  };
}

/** alpha: two-sided error of the growth intervals (a sequential look's share; default 0.05). */
export function evaluateCheckExpectation(e: CheckExpectation, samples: Sample[], unit: WorkUnit, findings: readonly CheckFinding[], alpha?: number): ExpectationResult {
  switch (e.kind) {
    case 'checks-pass':
      return judgeChecks(e, findings);
    case 'counter-bounded':
      return judgeCounter(e, samples, unit, findings, alpha);
  }
}
