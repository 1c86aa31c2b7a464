// The adapter host's idle reaper (the app's: every 5 min, idle >= 30 min, no turn in flight), on
// vitest's fake clock, as it runs on the target's virtual clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADAPTER_DEFAULTS } from '../../harness/core/defaults.ts';
import { IdleReaper } from '../../harness/host/adapter-reaper.ts';

const MIN = 60_000;

describe('IdleReaper', () => {
  let stopped: string[];
  let reaper: IdleReaper;
  beforeEach(() => {
    vi.useFakeTimers();
    stopped = [];
    reaper = new IdleReaper({ ...ADAPTER_DEFAULTS, stop: async (t) => void stopped.push(t) });
  });
  afterEach(() => {
    reaper.dispose();
    vi.useRealTimers();
  });

  it('stops a binding at the first sweep after 30 idle minutes, not before', async () => {
    reaper.touch('a');
    await vi.advanceTimersByTimeAsync(29 * MIN);
    expect(stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(6 * MIN);
    expect(stopped).toEqual(['a']);
    expect(await reaper.drain()).toEqual([{ threadId: 'a' }]);
    expect(reaper.live).toBe(0);
  });

  it('spares a binding with a turn in flight, and counts idleness from the turn’s end', async () => {
    let finish!: () => void;
    const turn = reaper.duringTurn('b', () => new Promise<void>((r) => (finish = r)));
    await vi.advanceTimersByTimeAsync(60 * MIN);
    expect(stopped).toEqual([]);
    finish();
    await turn;
    await vi.advanceTimersByTimeAsync(25 * MIN);
    expect(stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(stopped).toEqual(['b']);
  });

  it('reports a stop() that threw, and forgets a thread stopped by hand', async () => {
    reaper.dispose();
    reaper = new IdleReaper({
      ...ADAPTER_DEFAULTS,
      stop: async (t) => {
        if (t === 'x') throw new Error('boom');
        stopped.push(t);
      },
    });
    reaper.touch('x');
    reaper.touch('y');
    reaper.forget('y');
    await vi.advanceTimersByTimeAsync(35 * MIN);
    expect(await reaper.drain()).toEqual([{ threadId: 'x', error: 'boom' }]);
    expect(stopped).toEqual([]);
  });
});
