// An interrupted run (SIGINT from Ctrl-C, SIGTERM from a CI timeout): the reason an AbortSignal
// carries from the CLI's signal handler down to the driver, the load loop and the runners, which
// stop driving, judge the samples so far and end with 128 + the signal's number, as shells do.

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/** POSIX signal numbers (the same on every platform Node runs churnlab on). */
const SIGNAL_NUMBER: Record<InterruptSignal, number> = { SIGINT: 2, SIGTERM: 15 };

/** 130 for SIGINT, 143 for SIGTERM: what a shell reports for a process killed by the signal. */
export function interruptExitCode(signal: InterruptSignal): number {
  return 128 + SIGNAL_NUMBER[signal];
}

/** Whether an exit code says "interrupted by a signal" (128 + a signal number). */
export function isInterruptExitCode(code: number): boolean {
  return code > 128 && code < 128 + 65;
}

/** The abort reason of an interrupted run, and what a stopped primitive throws. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(
    readonly signal: InterruptSignal,
    /** Wall-clock time the signal arrived (ms since the epoch). */
    readonly atMs: number,
  ) {
    super(`interrupted by ${signal}`);
  }
}

/** The interruption behind `signal`, if it was aborted by one (any other abort reason is wrapped as SIGINT's). */
export function interruptOf(signal: AbortSignal | undefined): Interrupted | undefined {
  if (!signal?.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof Interrupted ? reason : new Interrupted('SIGINT', Date.now());
}

/** Throw the interruption if `signal` was aborted: the check a driver makes between batches. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  const interrupted = interruptOf(signal);
  if (interrupted) throw interrupted;
}

/**
 * `work`, or Interrupted as soon as `signal` aborts, whichever comes first: a workload waiting on
 * something that never ends by itself (a hold, a slow real server) still lets the run go on to
 * its report. The abandoned work's own later failure is swallowed; the abort listener goes when
 * the race is decided (a gate makes many runs on one signal).
 */
export async function untilInterrupted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  work.catch(() => undefined);
  let onAbort = () => undefined as void;
  const interrupted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(interruptOf(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  interrupted.catch(() => undefined);
  try {
    return await Promise.race([work, interrupted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
