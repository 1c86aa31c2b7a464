// One run, whatever drives it: a scenario's workload (npm run scenario, the gate, runChurn) or a
// load's requests (npm run load). The steps, one file each:
//   resolve  → launch → prime → drive  → judge  → diagnose  → report
//   resolve.ts launch.ts prime.ts drive.ts judge.ts diagnose.ts report.ts
// The kind (kind.ts) brings what differs; whatever goes wrong (failure.ts), the samples taken so
// far and a report that says what happened are kept, and every process the run started is stopped.
import { interruptOf, throwIfInterrupted } from '../../core/interrupt.ts';
import { overallVerdict } from '../../core/outcome.ts';
import { exitCodeOf } from '../../core/exit.ts';
import { describeInterruption, onInterrupt } from '../interrupt.ts';
import { diagnoseLeak } from './diagnose.ts';
import { startDriver } from './drive.ts';
import { failureOf, type Failure } from './failure.ts';
import { judge, judgeSoFar, type Judged } from './judge.ts';
import type { RunKind, RunResult, RunState } from './kind.ts';
import { closeRun, launch, stopAtOnce } from './launch.ts';
import { prime } from './prime.ts';
import { openRun } from './resolve.ts';
import { writeRunReport, type RunEnd } from './report.ts';

export type { Progress, RunKind, RunResult } from './kind.ts';

/** What the steps reached: a verdict (and its diagnosis), and the failure that ended them, if any. */
interface Reached {
  verdict?: { judged: Judged; diagnosis: RunEnd['diagnosis'] };
  failure?: Failure;
}

export async function runLifecycle(kind: RunKind): Promise<RunResult> {
  const run = openRun(kind);
  const forgetInterrupt = kind.interruptStops === 'target' ? onInterrupt(kind.signal, () => stopAtOnce(run)) : () => undefined;
  const reached: Reached = {};
  try {
    reached.verdict = await steps(kind, run);
    await kind.afterVerdict?.();
  } catch (caught) {
    reached.failure = await failureOf(caught, run, kind.targetLabel, kind.signal);
  } finally {
    forgetInterrupt();
    await closeRun(run, Boolean(kind.signal?.aborted));
  }
  return writeRunReport(kind, run, endOf(kind, run, reached));
}

async function steps(kind: RunKind, run: RunState): Promise<Reached['verdict']> {
  throwIfInterrupted(kind.signal);
  await launch(run, kind.launchPlan(run));
  // Launched while the interrupt had nothing to stop yet: the final stop takes it.
  throwIfInterrupted(kind.signal);
  const driver = startDriver(run, kind);
  await prime(driver, kind.primeSamples);
  await kind.drive(run, driver);
  const judged = judge(kind, run);
  return { judged, diagnosis: await diagnoseLeak(run, judged, kind.diagnose, kind.signal) };
}

/** The run's verdict and exit code; a signal at any point (a diagnosis, a hold) makes it interrupted. */
function endOf(kind: RunKind, run: RunState, { verdict, failure }: Reached): RunEnd {
  const judged = verdict?.judged.results ?? [];
  const diagnosis = verdict?.diagnosis;
  if (failure?.by === 'error')
    return { verdict: 'error', exitCode: failure.exitCode, expectations: judged, diagnosis, error: failure.error };
  const interrupted = failure?.interrupted ?? interruptOf(kind.signal);
  if (!interrupted)
    return { verdict: verdict!.judged.verdict, exitCode: exitCodeOf(verdict!.judged.verdict), expectations: judged, diagnosis };
  const soFar = judgeSoFar(kind, run, judged);
  const interruption = describeInterruption(interrupted, {
    startedAtMs: run.startedAt.getTime(),
    phase: run.driver?.phaseName,
    workDone: run.driver?.work() ?? {},
    samples: run.samples,
    judged: soFar.judgedSamples,
    verdictSoFar: soFar.results.length > 0 ? overallVerdict(soFar.results) : 'inconclusive',
    notes: failure?.notes ?? [],
  });
  return {
    verdict: 'interrupted',
    exitCode: exitCodeOf('interrupted', interrupted),
    expectations: soFar.results,
    diagnosis,
    interrupted: interruption,
  };
}
