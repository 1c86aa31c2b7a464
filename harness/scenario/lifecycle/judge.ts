// Step 5, judge: the expectations over the judged window (a sequential run's at its last look's
// error, or at the look that decided them bounded), the kind's own results around them, and the
// run's verdict from those and the coverage.
import type { Sample } from '../../core/types.ts';
import { coverageVerdict, overallVerdict } from '../../core/outcome.ts';
import type { RunVerdict } from '../../core/exit.ts';
import type { ExpectationResult } from '../../report/model.ts';
import { evaluateExpectations, type Evaluation, type Suspect } from '../expect.ts';
import { withHeld } from '../sequential.ts';
import type { RunKind, RunState } from './kind.ts';

/**
 * Every expectation on the samples judged so far, at `alpha` (a sequential look's share; default
 * the engine's), except those a sequential run decided `bounded` at an earlier look: their
 * verdict is that look's.
 */
export function evaluateWindow(kind: RunKind, run: RunState, alpha: number | undefined): Evaluation {
  const window = kind.judgedWindow(run.samples);
  const evaluation = evaluateExpectations(kind.expectations, window, kind.unit, run.driver?.findings() ?? [], { alpha });
  const held = kind.plan?.held();
  // A workload that judged phases after its main phase has them judged too: no look saw them.
  if (!held || window[window.length - 1]?.phase !== kind.plan?.record()?.phase) return evaluation;
  return withHeld(evaluation, held);
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
