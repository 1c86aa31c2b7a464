// What a runner does with an interrupt (harness/core/interrupt.ts): stop the target at once (a
// batch in flight is abandoned), tell an interruption from a real target failure, and describe how
// far the run got for report.json.
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULTS } from '../core/defaults.ts';
import { Interrupted, interruptOf, INTERRUPT_SIGNALS, untilInterrupted, type InterruptSignal } from '../core/interrupt.ts';
import type { Sample, WorkUnit } from '../core/types.ts';
import type { RunInterruption } from '../report/model.ts';
import type { RunVerdict } from '../core/exit.ts';
import { TargetError } from '../target/outcome.ts';
import { plural } from '../core/units.ts';
import { groupDigits } from '../report/format.ts';

/** Call `stop` once when `signal` aborts; returns the function that forgets it (call it in a finally). */
export function onInterrupt(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    stop();
    return () => undefined;
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

/**
 * The interruption behind an error a run ended with, if any: the signal was seen, or the target
 * died of SIGINT/SIGTERM (Ctrl-C reaches the target too, sometimes before the harness's handler
 * runs) and the harness's own signal follows within DEFAULTS.interruptSettleMs.
 */
export async function interruptionBehind(signal: AbortSignal | undefined, error: unknown): Promise<Interrupted | undefined> {
  const seen = interruptOf(signal);
  if (seen || !signal) return seen;
  const outcome = error instanceof TargetError ? error.outcome : undefined;
  const killedBySignal = outcome?.kind === 'crashed' && INTERRUPT_SIGNALS.includes(outcome.signal as InterruptSignal);
  if (!killedBySignal) return undefined;
  try {
    await untilInterrupted(delay(DEFAULTS.interruptSettleMs), signal);
    return undefined;
  } catch (e) {
    if (e instanceof Interrupted) return e;
    throw e;
  }
}

export interface InterruptionFacts {
  startedAtMs: number;
  /** The phase the driver was in; undefined before it existed. */
  phase: string | undefined;
  workDone: Partial<Record<WorkUnit, number>>;
  samples: Sample[];
  /** The judged window (samples the verdict engine saw). */
  judged: number;
  verdictSoFar: RunVerdict;
  notes?: string[];
}

/** report.json's `interrupted`: the signal, when, where, how much work, and what the samples said. */
export function describeInterruption(interrupted: Interrupted, f: InterruptionFacts): RunInterruption {
  const notes = [...(f.notes ?? [])];
  if (f.judged === 0) notes.push(`No judged sample yet (stopped in ${f.phase ?? 'start'}): the expectations had nothing to judge.`);
  return {
    signal: interrupted.signal,
    afterMs: Math.max(0, interrupted.atMs - f.startedAtMs),
    phase: f.phase ?? 'start',
    workDone: f.workDone,
    samples: f.samples.length,
    verdictSoFar: f.verdictSoFar,
    notes,
  };
}

/**
 * What the stop cut short: the batch the target was working on (not counted in the work done),
 * and the error the workload ended with ("stopped" and Interrupted say nothing new).
 */
export function cutShortNotes(error: unknown, inFlight?: { unit: WorkUnit; count: number }): string[] {
  if (inFlight)
    return [
      `A batch of ${groupDigits(inFlight.count)} ${plural(inFlight.unit, inFlight.count)} in flight was abandoned (not counted in the work done).`,
    ];
  if (error instanceof Interrupted) return [];
  if (error instanceof TargetError && error.outcome.kind === 'stopped')
    return [`Abandoned in flight: ${error.method ?? 'a call to the target'}.`];
  const message = error instanceof Error ? error.message : String(error);
  return [`Cut short by the stop: ${message.split('\n')[0]}`];
}
