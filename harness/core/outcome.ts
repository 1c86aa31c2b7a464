// How a run ends, in one place: the run's verdict from its expectations and its coverage, the
// label its header shows, and the exit code scripts read (README, "CLI contract"). Every runner
// (a scenario, a load, runChurn) and every rendering asks here, so they never disagree; the exit
// codes themselves are in exit.ts, which commands read without loading any of this.
import { EXIT, type RunVerdict } from './exit.ts';

/** What the verdict needs of one judged expectation (report.json's ExpectationResult has more). */
export interface JudgedExpectation {
  kind?: string;
  verdict: string;
  passed: boolean;
}

/** What the verdict needs of a run's coverage (report.json's Coverage has more). */
export type CoverageFacts = { kind: 'service'; requests: number } | { kind: 'plugin'; registered: string[]; calls: Record<string, number> };

/** Why a run ended without a verdict of its expectations. */
export type RunFailure = 'bad-input' | 'target' | 'harness';

/**
 * The run's verdict from its parts: an error wins; then a failed expectation that saw a leak
 * (or any other failure but an inconclusive one); then inconclusive; else pass.
 */
export function overallVerdict(expectations: readonly JudgedExpectation[], error?: { kind: string; message: string }): RunVerdict {
  if (error || expectations.some((e) => e.verdict === 'error')) return 'error';
  const failed = expectations.filter((e) => !e.passed);
  if (failed.some((e) => e.verdict !== 'inconclusive')) return 'leak';
  if (failed.length > 0) return 'inconclusive';
  return 'pass';
}

/** Nothing exercised: a pass becomes inconclusive (a leak or an error stands). */
export function coverageVerdict(verdict: RunVerdict, coverage: CoverageFacts | undefined): RunVerdict {
  if (!coverage || verdict !== 'pass') return verdict;
  if (coverage.kind === 'service') return coverage.requests === 0 ? 'inconclusive' : verdict;
  const called = coverage.registered.some((h) => (coverage.calls[h] ?? 0) > 0);
  return coverage.registered.length === 0 || !called ? 'inconclusive' : verdict;
}

/**
 * The run's verdict as its header reads: a run that failed only correctness checks (a resume
 * check, a load's error budget) says FAIL, not LEAK; report.json keeps the run verdict itself.
 */
export function runVerdictLabel(report: { verdict: RunVerdict; expectations: readonly JudgedExpectation[] }): string {
  if (report.verdict !== 'leak') return report.verdict;
  const failed = report.expectations.filter((e) => !e.passed && e.verdict !== 'inconclusive');
  return failed.length > 0 && failed.every((e) => e.kind === 'check') ? 'fail' : 'leak';
}

/** The exit code of a run that failed: bad input 3, the target's failure 4, the harness's 5. */
export function failureExitCode(failure: RunFailure): number {
  const byFailure: Record<RunFailure, number> = { 'bad-input': EXIT.badInput, target: EXIT.targetError, harness: EXIT.harnessError };
  return byFailure[failure];
}
