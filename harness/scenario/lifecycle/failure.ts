// How a run that threw ends: the error report.json gives (the target's failure, a real server
// that would not start, or the harness's own) with its exit code, or, when a signal is behind
// it, an interruption with what the stop cut short and no error at all.
import { setTimeout as delay } from 'node:timers/promises';
import { Interrupted } from '../../core/interrupt.ts';
import { failureExitCode } from '../../core/outcome.ts';
import { backendFailure } from '../../opencode-real/select.ts';
import type { RunReport } from '../../report/model.ts';
import { TargetError } from '../../target/launch.ts';
import { cutShortNotes, interruptionBehind } from '../interrupt.ts';
import { commandTarget, nodeTarget, stderrTailOf } from './launch.ts';
import type { RunState } from './kind.ts';

/** How long a target that may be dying gets to say so before an error is called the harness's. */
const DYING_TARGET_WAIT_MS = 2000;

export type Failure =
  | { by: 'error'; error: NonNullable<RunReport['error']>; exitCode: number }
  | { by: 'interrupt'; interrupted: Interrupted; notes: string[] };

export async function failureOf(caught: unknown, run: RunState, targetLabel: string, signal: AbortSignal | undefined): Promise<Failure> {
  const e = await explained(caught, run, targetLabel, signal);
  // What the interrupt's stop made the work throw is not the target's failure.
  const interrupted = await interruptionBehind(signal, caught);
  if (interrupted) return { by: 'interrupt', interrupted, notes: cutShortNotes(caught, run.driver?.inFlight) };
  const backend = backendFailure(e);
  if (backend)
    return {
      by: 'error',
      exitCode: failureExitCode(backend.failure),
      error: { kind: backend.kind, message: backend.message, stderrTail: backend.stderrTail },
    };
  if (e instanceof TargetError)
    return {
      by: 'error',
      exitCode: failureExitCode('target'),
      error: { kind: `target ${e.outcome.kind}`, message: e.message, stderrTail: e.stderrTail },
    };
  return {
    by: 'error',
    exitCode: failureExitCode('harness'),
    error: { kind: 'harness', message: (e as Error).stack ?? String(e), stderrTail: stderrTailOf(run) },
  };
}

/**
 * The target's own failure behind an error, when it has one. A command that died mid-run shows
 * up as a refused HTTP request; under load the sampler's CDP socket often learns of a dead
 * target before any IPC call does. Either way the target's exit and stderr say what happened.
 */
async function explained(caught: unknown, run: RunState, targetLabel: string, signal: AbortSignal | undefined): Promise<unknown> {
  const command = commandTarget(run);
  if (command?.exited()) return new TargetError(await command.outcome, `${command.label} (command)`);
  const target = nodeTarget(run);
  if (!target || caught instanceof TargetError || caught instanceof Interrupted || signal?.aborted) return caught;
  const outcome = await Promise.race([target.outcome, delay(DYING_TARGET_WAIT_MS).then(() => undefined)]);
  return outcome && outcome.kind !== 'stopped' ? new TargetError(outcome, targetLabel, undefined, target.pid) : caught;
}
