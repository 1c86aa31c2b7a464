// A run's overall verdict and the exit code it maps to: the one contract scripts and CI read
// (README, "CLI contract"), shared by every command so none loads the runner to learn a number.
import { interruptExitCode, type InterruptSignal } from './interrupt.ts';

/**
 * The run as a whole: what the gate turns into an exit code. 'interrupted': a signal stopped the
 * run before its end; what its samples said so far is in `interrupted.verdictSoFar`, never a pass.
 */
export type RunVerdict = 'pass' | 'leak' | 'inconclusive' | 'error' | 'interrupted';

/**
 * Exit codes of a run; scripts depend on them (README, "CLI contract"). An interrupted run exits
 * 128 + the signal's number, as shells report a process the signal killed.
 */
export const EXIT = {
  pass: 0,
  leak: 1,
  inconclusive: 2,
  badInput: 3,
  targetError: 4,
  harnessError: 5,
  interruptedBySigint: interruptExitCode('SIGINT'),
  interruptedBySigterm: interruptExitCode('SIGTERM'),
} as const;

const EXIT_OF: Record<Exclude<RunVerdict, 'interrupted'>, number> = {
  pass: EXIT.pass,
  leak: EXIT.leak,
  inconclusive: EXIT.inconclusive,
  error: EXIT.harnessError,
};

/** A run's exit code: its verdict's, or 128 + the signal's number when it was interrupted. */
export function exitCodeOf(verdict: RunVerdict, interrupted?: { signal: InterruptSignal }): number {
  if (interrupted) return interruptExitCode(interrupted.signal);
  return verdict === 'interrupted' ? EXIT.interruptedBySigint : EXIT_OF[verdict];
}
