// The virtual clock inside the target process. Installed by preload.ts before any target code
// loads, so hour-long TTLs and sweeps run in seconds when the harness advances it.
//
// Faked: Date, setTimeout/clearTimeout, setInterval/clearInterval (global AND node:timers /
// node:timers/promises exports), performance.now. Kept real: setImmediate, process.nextTick,
// queueMicrotask, process.hrtime: the child's IPC, the inspector and tickAsync itself need them.
import FakeTimers from '@sinonjs/fake-timers';
import timers from 'node:timers';
import { syncBuiltinESMExports } from 'node:module';
import type { ClockState } from '../../wire/protocol.ts';

/** Where the installed clock is kept, so every copy of this module finds the same one. */
const CLOCK_KEY = Symbol.for('churnlab.clock');
/** Set on fake-timers' internal timer record: the handle object the target got back. */
const HANDLE = Symbol('churnlab.timerHandle');

interface TimerHandle {
  hasRef(): boolean;
}
interface InternalTimer {
  [HANDLE]?: TimerHandle;
  /** fake-timers' scheduled virtual time of the next firing. */
  callAt: number;
}
/** fake-timers' internals this module reads: its timers by id and its min-heap by due time. */
interface ClockInternals {
  timers?: Map<number, InternalTimer>;
  timerHeap?: { peek(): InternalTimer | undefined };
}

export interface VirtualClock {
  now(): number;
  /** Advance virtual time, letting promise chains between timers run (tickAsync). */
  advance(ms: number): Promise<ClockState>;
  /**
   * Move virtual time on to the next due timer and fire every timer due then, as a real event
   * loop with nothing else to do would; false when no timer is pending or an advance runs.
   */
  runNextDue(): Promise<boolean>;
  /** Virtual ms that runNextDue() has moved the clock since install (time the target awaited). */
  awaitedMs(): number;
  /** A real (unref'd) delay: the clock's own machinery must not wait on virtual time. */
  realDelay(ms: number): Promise<void>;
  /** Pending fake timers, split by whether they would keep a real process alive. */
  timerStats(): { refed: number; unrefed: number };
  /** Exceptions thrown by timer callbacks during advance(): reported, the run goes on. */
  onTimerError?: (error: unknown) => void;
  /** A virtual timer was scheduled (any API: timers, timers/promises, intervals). */
  onTimerAdded?: () => void;
  /** fake-timers' Map of pending timers (id -> timer), for the census to name: a timer leak grows it. */
  readonly pendingTimers: Map<number, unknown>;
}

type InstalledClock = FakeTimers.Clock;

export function installVirtualClock(epochMs: number): VirtualClock {
  const existing = (globalThis as Record<symbol, unknown>)[CLOCK_KEY] as VirtualClock | undefined;
  if (existing) return existing;
  const realSetTimeout = globalThis.setTimeout;

  const clock = FakeTimers.withGlobal(globalThis).install({
    now: epochMs,
    toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
    // tickAsync over hours may fire many timers; the default (1000) is for runAll loops.
    loopLimit: 10_000_000,
  });
  const firedCount = installCountingTimers(clock);
  fakePerformanceNow(clock);
  const pendingTimers = createTimerMap(clock);
  const virtual = virtualClockOver(clock, pendingTimers, firedCount, realSetTimeout);
  hookTimerMap(pendingTimers, virtual);
  (globalThis as Record<symbol, unknown>)[CLOCK_KEY] = virtual;
  return virtual;
}

/**
 * Put the counting setTimeout/setInterval in place of fake-timers' own, on the global and on
 * node:timers (CJS and ESM); returns how many of their callbacks have fired so far.
 */
function installCountingTimers(clock: InstalledClock): () => number {
  let fired = 0;
  // Wrap the fake setTimeout/setInterval once: count firings and remember the returned handle
  // on fake-timers' own timer record (its ref/unref state lives on the handle). No side table:
  // the record dies with the timer, so nothing here grows with the target's work.
  const wrap = <F extends (...args: any[]) => any>(fake: F, name: string): F => {
    const wrapped = {
      [name](this: unknown, callback: unknown, ...rest: unknown[]) {
        if (typeof callback !== 'function') return fake.call(this, callback, ...rest);
        const counting = function (this: unknown, ...args: unknown[]) {
          fired += 1;
          return (callback as (...a: unknown[]) => unknown).apply(this, args);
        };
        const handle = fake.call(this, counting, ...rest);
        const record = (clock as unknown as ClockInternals).timers?.get(Number(handle));
        if (record && handle && typeof handle === 'object') record[HANDLE] = handle as TimerHandle;
        return handle;
      },
    }[name] as F;
    copyExtraProperties(fake, wrapped);
    return wrapped;
  };
  const setTimeoutWrapped = wrap(globalThis.setTimeout, 'setTimeout');
  const setIntervalWrapped = wrap(globalThis.setInterval, 'setInterval');
  globalThis.setTimeout = setTimeoutWrapped as typeof globalThis.setTimeout;
  globalThis.setInterval = setIntervalWrapped as typeof globalThis.setInterval;
  const timersModule = timers as unknown as Record<string, unknown>;
  timersModule.setTimeout = setTimeoutWrapped;
  timersModule.setInterval = setIntervalWrapped;
  // fake-timers patched the CJS exports of node:timers(/promises); this makes ESM named
  // imports (`import { setInterval } from 'node:timers'`) see the same functions.
  syncBuiltinESMExports();
  return () => fired;
}

/** Keep util.promisify.custom and friends that fake-timers put on its functions. */
function copyExtraProperties(from: object, to: object): void {
  for (const key of Reflect.ownKeys(from)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    const desc = Object.getOwnPropertyDescriptor(from, key);
    if (desc) Object.defineProperty(to, key, desc);
  }
}

/**
 * performance.now: patch only `now` on the real object (fake-timers would replace the whole
 * performance object with no-op stubs, breaking eventLoopUtilization, timerify, marks).
 */
function fakePerformanceNow(clock: InstalledClock): void {
  const realPerfNow = performance.now.bind(performance);
  const perfBase = realPerfNow();
  const clockBase = clock.now;
  Object.defineProperty(performance, 'now', {
    configurable: true,
    writable: true,
    value: function now(): number {
      return perfBase + (clock.now - clockBase);
    },
  });
}

/** fake-timers creates its timer Map on first use; create it now so it exists from the start. */
function createTimerMap(clock: InstalledClock): Map<number, unknown> {
  clock.clearTimeout(clock.setTimeout(() => {}, 0));
  return (clock as unknown as { timers: Map<number, unknown> }).timers;
}

/** Every API fake-timers fakes schedules through this map, so one hook sees them all. */
function hookTimerMap(pendingTimers: Map<number, unknown>, virtual: VirtualClock): void {
  const addTimer = pendingTimers.set.bind(pendingTimers);
  pendingTimers.set = (id, timer) => {
    addTimer(id, timer);
    virtual.onTimerAdded?.();
    return pendingTimers;
  };
}

/** The harness's handle on the installed fake clock: advancing it, the awaited-time pump's step, timer counts. */
function virtualClockOver(
  clock: InstalledClock,
  pendingTimers: Map<number, unknown>,
  firedCount: () => number,
  realSetTimeout: typeof globalThis.setTimeout,
): VirtualClock {
  let awaited = 0;
  // advance() and runNextDue() each run one tickAsync; two interleaved ticks would corrupt
  // fake-timers' state, so the second waits for the first.
  let ticking: Promise<unknown> = Promise.resolve();
  let busy = false;
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const next = ticking.then(async () => {
      busy = true;
      try {
        return await run();
      } finally {
        busy = false;
      }
    });
    ticking = next.catch(() => {});
    return next;
  };
  const tick = async (ms: number): Promise<void> => {
    try {
      await clock.tickAsync(ms);
    } catch (error) {
      // fake-timers runs the remaining timers and rethrows the first error at the end.
      virtual.onTimerError?.(error);
    }
  };

  const virtual: VirtualClock = {
    pendingTimers,
    now: () => clock.now,
    advance(ms: number): Promise<ClockState> {
      return exclusive(async () => {
        const before = firedCount();
        await tick(ms);
        return { virtualNowMs: clock.now, timersFired: firedCount() - before };
      });
    },
    async runNextDue() {
      const first = (clock as unknown as ClockInternals).timerHeap?.peek();
      if (!first || busy) return false;
      return exclusive(async () => {
        // Recomputed inside: an advance that ran first may have fired or moved that timer.
        const due = (clock as unknown as ClockInternals).timerHeap?.peek();
        if (!due) return false;
        const ms = Math.max(0, due.callAt - clock.now);
        awaited += ms;
        await tick(ms);
        return true;
      });
    },
    awaitedMs: () => awaited,
    realDelay(ms: number) {
      return new Promise<void>((resolve) => realSetTimeout(resolve, ms).unref());
    },
    timerStats: () => timerStatsOf(clock),
  };
  return virtual;
}

/** Pending fake timers, split by whether the handle the target holds keeps a real process alive. */
function timerStatsOf(clock: InstalledClock): { refed: number; unrefed: number } {
  let refed = 0;
  let unrefed = 0;
  const records = (clock as unknown as ClockInternals).timers;
  for (const record of records?.values() ?? []) {
    const handle = record[HANDLE];
    if (handle && !handle.hasRef()) unrefed += 1;
    else refed += 1;
  }
  return { refed, unrefed };
}

/** The clock preload.ts installed. */
export function virtualClock(): VirtualClock {
  const clock = (globalThis as Record<symbol, unknown>)[CLOCK_KEY] as VirtualClock | undefined;
  if (!clock) throw new Error('churnlab: the virtual clock is not installed (preload.ts did not run)');
  return clock;
}
