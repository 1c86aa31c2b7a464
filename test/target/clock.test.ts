import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../harness/core/defaults.ts';
import type { HandleStat } from '../../harness/core/types.ts';
import { launchTarget, type TargetProcess } from '../../harness/target/launch.ts';
import { fixture, synthetic } from './helpers.ts';

const HOUR = 60 * 60_000;
const started: TargetProcess[] = [];
async function launch(...args: Parameters<typeof launchTarget>): Promise<TargetProcess> {
  const t = await launchTarget(...args);
  started.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop(2_000)));
});

interface TtlStats {
  sweeps: number;
  size: number;
  dateNow: number;
  perfNow: number;
}
interface MixedStats {
  globalTicks: number;
  moduleTicks: number;
  oneShotFired: boolean;
  slept: boolean;
  sameSetInterval: boolean;
  dateNow: number;
}

describe('virtual clock', () => {
  it('runs 8 h of a 15 min sweep in one advance: 32 sweeps, TTL entries gone, Date and performance.now moved 8 h', async () => {
    const t = await launch({ host: 'unit', target: synthetic('ttl-sweep.ts') });
    await t.call('units', { from: 0, count: 2000 });
    const before = await t.call<TtlStats>('invoke', { name: 'stats' });
    expect(before).toMatchObject({ sweeps: 0, size: 2000, dateNow: DEFAULTS.virtualEpochMs });

    const clock = await t.advanceClock(8 * HOUR);
    expect(clock).toEqual({ virtualNowMs: DEFAULTS.virtualEpochMs + 8 * HOUR, timersFired: 32 });

    const after = await t.call<TtlStats>('invoke', { name: 'stats' });
    expect(after.sweeps).toBe(32);
    expect(after.size).toBe(0);
    expect(after.dateNow - before.dateNow).toBe(8 * HOUR);
    expect(after.perfNow - before.perfNow).toBe(8 * HOUR);
  });

  it('leaves an unswept TTL map full however much time passes (the twin)', async () => {
    const t = await launch({ host: 'unit', target: synthetic('ttl-no-sweep.ts') });
    await t.call('units', { from: 0, count: 500 });
    await t.advanceClock(24 * HOUR);
    expect(await t.call('invoke', { name: 'stats' })).toMatchObject({ size: 500, dateNow: DEFAULTS.virtualEpochMs + 24 * HOUR });
  });

  it('starts at the epoch the harness chose and stands still until advanced', async () => {
    const epoch = Date.UTC(2030, 5, 1);
    const t = await launch({ host: 'unit', target: synthetic('ttl-sweep.ts'), virtualEpochMs: epoch });
    expect(t.virtualEpochMs).toBe(epoch);
    expect(await t.call('clock.now')).toEqual({ virtualNowMs: epoch });
    await t.call('units', { from: 0, count: 100 });
    expect(await t.call('clock.now')).toEqual({ virtualNowMs: epoch });
  });

  it('fakes timers imported from node:timers and node:timers/promises too', async () => {
    const t = await launch({ host: 'unit', target: fixture('timers-mixed.ts') });
    await t.call('invoke', { name: 'startSleep' });
    const before = await t.call<MixedStats>('invoke', { name: 'stats' });
    expect(before).toMatchObject({ globalTicks: 0, moduleTicks: 0, oneShotFired: false, slept: false, sameSetInterval: true });

    await t.advanceClock(3_000);
    expect(await t.call('invoke', { name: 'stats' })).toMatchObject({ globalTicks: 3, moduleTicks: 3, oneShotFired: false, slept: false });

    await t.advanceClock(7_000);
    expect(await t.call('invoke', { name: 'stats' })).toMatchObject({ globalTicks: 10, moduleTicks: 10, oneShotFired: true, slept: true });
  });

  it("tells ref'd from unref'd timers in 'handles'", async () => {
    const t = await launch({ host: 'unit', target: fixture('timers-mixed.ts') });
    // One ref'd interval; one unref'd interval and one unref'd timeout (both via node:timers).
    const first = await t.call<HandleStat>('handles');
    expect(first).toEqual({ refed: { Timeout: 1 }, refedTimers: 1, unrefedTimers: 2 });

    await t.advanceClock(6_000); // the unref'd 5 s timeout fires and is gone
    const later = await t.call<HandleStat>('handles');
    expect(later).toEqual({ refed: { Timeout: 1 }, refedTimers: 1, unrefedTimers: 1 });
  });

  it('shows no handles of its own for a target that holds none', async () => {
    const t = await launch({ host: 'unit', target: synthetic('empty-control.ts') });
    await t.call('units', { from: 0, count: 100 });
    expect(await t.call('handles')).toEqual({ refed: {}, refedTimers: 0, unrefedTimers: 0 });
  });
});
