// Time passing while the harness waits on the target. Virtual time otherwise moves only when the
// harness advances it between calls, so a hook that awaits a timer (a sleep, a debounce, a retry
// backoff) inside a call would never resume. While a call is in flight and the target waits on
// nothing real, virtual time moves on to the next due timer, as a real event loop would sleep
// until it; while real I/O is in flight it stands still, so no timeout fires before its answer.
import type { VirtualClock } from './clock.ts';

/**
 * Resources that wait for events rather than for the answer to something the target asked:
 * listening servers, watchers, signal handlers, bound UDP sockets. 'Timeout' is always the
 * harness's own (the target's timers are virtual and never appear among real resources).
 */
const STANDING_RESOURCES = new Set(['TCPServerWrap', 'PipeServerWrap', 'FSEventWrap', 'StatWatcher', 'SignalWrap', 'UDPWrap', 'Timeout']);

/**
 * True when the target has real work in flight beyond the harness's own resources (`baseline`):
 * a file system or DNS request, a connected socket (an idle keep-alive socket is unref'd and not
 * listed), a child process, a pending setImmediate, or anything else not known to be standing.
 */
export function realWorkInFlight(
  baseline: Readonly<Record<string, number>>,
  resources: readonly string[] = process.getActiveResourcesInfo(),
): boolean {
  const seen: Record<string, number> = {};
  for (const type of resources) {
    if (STANDING_RESOURCES.has(type)) continue;
    seen[type] = (seen[type] ?? 0) + 1;
    if (seen[type] > (baseline[type] ?? 0)) return true;
  }
  return false;
}

export interface AwaitedTime {
  /** Runs `work` (a call the harness awaits) with virtual time passing while it waits on timers only. */
  during<T>(work: () => Promise<T>): Promise<T>;
  /** A virtual timer was scheduled: a call in flight may now wait on it. */
  timerAdded(): void;
}

export interface AwaitedTimeDeps {
  clock: Pick<VirtualClock, 'runNextDue' | 'realDelay' | 'pendingTimers'>;
  /** Whether real I/O is in flight now. */
  busy: () => boolean;
  /** Real ms between checks right after time moved; doubled after each check that moved nothing. */
  pollMs: number;
  /** The longest real wait between checks. */
  maxPollMs: number;
}

export function createAwaitedTime(deps: AwaitedTimeDeps): AwaitedTime {
  let inFlight = 0;
  let pumping = false;

  // One loop for all calls in flight: it runs between real event-loop turns, so by the time it
  // looks, every promise chain that could progress without a timer or real I/O already has.
  const pump = async (): Promise<void> => {
    pumping = true;
    try {
      // A target busy with real I/O for long stretches is checked less often; one that chains
      // timers (a retry after a backoff) is checked again at once after each move.
      let waitMs = deps.pollMs;
      while (inFlight > 0 && deps.clock.pendingTimers.size > 0) {
        await deps.clock.realDelay(waitMs);
        const moved = inFlight > 0 && deps.clock.pendingTimers.size > 0 && !deps.busy() && (await deps.clock.runNextDue());
        waitMs = moved ? deps.pollMs : Math.min(waitMs * 2, deps.maxPollMs);
      }
    } finally {
      pumping = false;
    }
  };

  return {
    async during<T>(work: () => Promise<T>): Promise<T> {
      inFlight += 1;
      // No timer pending, nothing to move to: the check starts when a timer is scheduled, so a
      // target without timers never runs it (its code would tier up inside the judged window).
      if (!pumping && deps.clock.pendingTimers.size > 0) void pump();
      try {
        return await work();
      } finally {
        inFlight -= 1;
      }
    },
    timerAdded() {
      if (inFlight > 0 && !pumping) void pump();
    },
  };
}
