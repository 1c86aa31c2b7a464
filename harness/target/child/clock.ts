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
}

export interface VirtualClock {
  now(): number;
  /** Advance virtual time, letting promise chains between timers run (tickAsync). */
  advance(ms: number): Promise<ClockState>;
  /** Pending fake timers, split by whether they would keep a real process alive. */
  timerStats(): { refed: number; unrefed: number };
  /** Exceptions thrown by timer callbacks during advance(): reported, the run goes on. */
  onTimerError?: (error: unknown) => void;
  /** fake-timers' Map of pending timers (id -> timer), for the census to name: a timer leak grows it. */
  readonly pendingTimers: Map<number, unknown>;
}

export function installVirtualClock(epochMs: number): VirtualClock {
  const existing = (globalThis as Record<symbol, unknown>)[CLOCK_KEY] as VirtualClock | undefined;
  if (existing) return existing;

  const clock = FakeTimers.withGlobal(globalThis).install({
    now: epochMs,
    toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
    // tickAsync over hours may fire many timers; the default (1000) is for runAll loops.
    loopLimit: 10_000_000,
  });
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
        const record = (clock as unknown as { timers?: Map<number, InternalTimer> }).timers?.get(Number(handle));
        if (record && handle && typeof handle === 'object') record[HANDLE] = handle as TimerHandle;
        return handle;
      },
    }[name] as F;
    // Keep util.promisify.custom and friends that fake-timers put on its functions.
    for (const key of Reflect.ownKeys(fake)) {
      if (key === 'length' || key === 'name' || key === 'prototype') continue;
      const desc = Object.getOwnPropertyDescriptor(fake, key);
      if (desc) Object.defineProperty(wrapped, key, desc);
    }
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

  // performance.now: patch only `now` on the real object (fake-timers would replace the whole
  // performance object with no-op stubs, breaking eventLoopUtilization, timerify, marks).
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

  // fake-timers creates its timer Map on first use; create it now so it exists from the start.
  clock.clearTimeout(clock.setTimeout(() => {}, 0));
  const pendingTimers = (clock as unknown as { timers: Map<number, unknown> }).timers;

  const virtual: VirtualClock = {
    pendingTimers,
    now: () => clock.now,
    async advance(ms: number): Promise<ClockState> {
      const before = fired;
      try {
        await clock.tickAsync(ms);
      } catch (error) {
        // fake-timers runs the remaining timers and rethrows the first error at the end.
        virtual.onTimerError?.(error);
      }
      return { virtualNowMs: clock.now, timersFired: fired - before };
    },
    timerStats() {
      let refed = 0;
      let unrefed = 0;
      const records = (clock as unknown as { timers?: Map<number, InternalTimer> }).timers;
      for (const record of records?.values() ?? []) {
        const handle = record[HANDLE];
        if (handle && !handle.hasRef()) unrefed += 1;
        else refed += 1;
      }
      return { refed, unrefed };
    },
  };
  (globalThis as Record<symbol, unknown>)[CLOCK_KEY] = virtual;
  return virtual;
}

/** The clock preload.ts installed. */
export function virtualClock(): VirtualClock {
  const clock = (globalThis as Record<symbol, unknown>)[CLOCK_KEY] as VirtualClock | undefined;
  if (!clock) throw new Error('churnlab: the virtual clock is not installed (preload.ts did not run)');
  return clock;
}
