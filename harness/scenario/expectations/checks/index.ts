// checks-pass: correctness checks a workload of any kind records as it goes (run.check), e.g. "every
// follow-up landed on the thread's session", "a 500 on session.get failed the start". Unlike memory,
// these are not series: one failed check breaks the expectation, and its detail (which thread,
// which session, which canary) is what the report shows.
import type { CheckExpectationResult } from '../../../report/model.ts';
import { judgedBy, type CheckFinding, type ExpectationKind } from '../kind.ts';

export interface ChecksPass {
  kind: 'checks-pass';
  /** The CheckFinding.check this expectation judges. */
  check: string;
  description: string;
  /** Fewest findings for a verdict (fewer: inconclusive). Default 1. */
  atLeast?: number;
}

/** Failures listed in the reasons; the rest are counted. */
const SHOWN_FAILURES = 8;

function judgeChecks(e: ChecksPass, findings: readonly CheckFinding[]): CheckExpectationResult {
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
      ...base,
      passed: false,
      verdict: 'inconclusive',
      estimate: `${mine.length} checks`,
      reasons: [
        `Only ${mine.length} ${e.check} check${mine.length === 1 ? ' was' : 's were'} made (at least ${atLeast} needed): ` +
          'the workload did not reach it.',
      ],
    };
  }
  return {
    ...base,
    passed: true,
    verdict: 'pass',
    estimate: `${mine.length} of ${mine.length} passed`,
    reasons: [`All ${mine.length} ${e.check} checks passed.`, ...(mine[0] ? [`For example: ${mine[0].detail}`] : [])],
  };
}

export const checksPass: ExpectationKind<ChecksPass> = (e) => ({
  judge: (_samples, { findings }) => judgedBy(judgeChecks(e, findings)),
});
