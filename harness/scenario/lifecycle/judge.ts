// Step 5, judge: the expectations over the judged window (a sequential run's at its last look's
// error), the kind's own results around them, and the run's verdict from those and the coverage.
import type { Sample } from '../../core/types.ts';
import { coverageVerdict, overallVerdict } from '../../core/outcome.ts';
import type { RunVerdict } from '../../core/exit.ts';
import type { ExpectationResult } from '../../report/model.ts';
import { evaluateExpectations, type Evaluation, type Suspect } from '../expect.ts';
import type { RunKind, RunState } from './kind.ts';

/** Every expectation on the samples judged so far, at `alpha` (a sequential look's share; default the engine's). */
export function evaluateWindow(kind: RunKind, run: RunState, alpha: number | undefined): Evaluation {
  return evaluateExpectations(kind.expectations, kind.judgedWindow(run.samples), kind.unit, run.driver?.findings() ?? [], { alpha });
}

export interface Judged {
  results: ExpectationResult[];
  verdict: RunVerdict;
  /** Collections a leak verdict points at, for the diagnosis. */
  suspects: Suspect[];
}

export function judge(kind: RunKind, run: RunState): Judged {
  const evaluation = evaluateWindow(kind, run, kind.plan?.finalAlpha());
  const { results, coverage } = kind.judge(evaluation);
  return { results, verdict: coverageVerdict(overallVerdict(results), coverage), suspects: evaluation.suspects };
}

/** An interrupted run's expectations on the samples it has: a partial figure, never its verdict. */
export function judgeSoFar(
  kind: RunKind,
  run: RunState,
  judged: ExpectationResult[],
): { results: ExpectationResult[]; judgedSamples: number } {
  const judgedSamples = kind.judgedWindow(run.samples).length;
  if (judged.length > 0 || judgedSamples === 0) return { results: judged, judgedSamples };
  return { results: evaluateWindow(kind, run, kind.plan?.finalAlpha()).results, judgedSamples };
}
