import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../harness/core/defaults.ts';
import { createSampler } from '../../harness/observe/sampler.ts';
import { synthetic, targetPool } from './helpers.ts';

const pool = targetPool();
afterEach(() => pool.stopAll());

const HOUR = 60 * 60_000;

describe('sampler', () => {
  it('combines heap, rss, external memory, handles, collections and virtual time in one sample', async () => {
    const t = await pool.launch(synthetic('ttl-sweep.ts'));
    const sampler = createSampler(t);
    await t.call('units', { from: 0, count: 100 });
    const sample = await sampler.sample({ seq: 1, phase: 'churn', work: { unit: 100 }, wallMs: 1234 });

    expect(sample).toMatchObject({ seq: 1, phase: 'churn', work: { unit: 100 }, wallMs: 1234, virtualMs: 0 });
    expect(sample.heapUsedBytes).toBeGreaterThan(1_000_000);
    expect(sample.heapTotalBytes).toBeGreaterThanOrEqual(sample.heapUsedBytes!);
    expect(sample.rssBytes).toBeGreaterThan(sample.heapUsedBytes!);
    expect(sample.externalBytes).toBeGreaterThan(0);
    expect(sample.arrayBuffersBytes).toBeGreaterThanOrEqual(0);
    expect(sample.handles).toEqual({ refed: {}, refedTimers: 0, unrefedTimers: 1 });
    expect(sample.collections?.find((c) => c.name === 'bypassed')).toMatchObject({ kind: 'Map', size: 100, nameSource: 'scope' });
    expect(sample.costMs).toBeGreaterThan(0);
  });

  it('collects once for a priming round, and plainly then thoroughly around a settle for a sample that is judged', async () => {
    const t = await pool.launch(synthetic('ttl-sweep.ts'));
    const asked: string[] = [];
    const cdp = Object.create(t.cdp, {
      send: { value: (method: string, params?: object) => (asked.push(method), t.cdp.send(method, params)) },
    });
    const call = (method: string, params?: unknown) => (asked.push(method), t.call(method, params));
    const sampler = createSampler(Object.create(t, { cdp: { value: cdp }, call: { value: call } }), { census: false, handles: false });
    const collections = () => asked.splice(0).filter((m) => /collect/i.test(m) || m === 'clock.now');
    await sampler.sample({ seq: 0, phase: 'prime', work: {}, wallMs: 0, priming: true });
    expect(collections()).toEqual(['HeapProfiler.collectGarbage', 'clock.now']);
    await sampler.sample({ seq: 1, phase: 'churn', work: {}, wallMs: 0 });
    // The plain collection, two round trips for cleanup tasks, the inspector's, then the clock read with the rest.
    expect(collections()).toEqual(['heap.collect', 'clock.now', 'clock.now', 'HeapProfiler.collectGarbage', 'clock.now']);
  });

  it('follows the virtual clock in virtualMs (ms since the epoch)', async () => {
    const t = await pool.launch(synthetic('ttl-sweep.ts'));
    const sampler = createSampler(t, { census: false, handles: false });
    const meta = { seq: 0, phase: 'drain', work: {}, wallMs: 0 };
    expect((await sampler.sample(meta)).virtualMs).toBe(0);
    await t.advanceClock(HOUR);
    expect((await sampler.sample(meta)).virtualMs).toBe(HOUR);
    await t.advanceClock(3 * HOUR);
    const later = await sampler.sample(meta);
    expect(later.virtualMs).toBe(4 * HOUR);
    expect(later.collections).toBeUndefined();
    expect(later.handles).toBeUndefined();
    expect(t.virtualEpochMs).toBe(DEFAULTS.virtualEpochMs);
  });

  it('takes the census on every n-th sample only when asked', async () => {
    const t = await pool.launch(synthetic('map-1-per-100.ts'));
    const sampler = createSampler(t, { censusEvery: 2 });
    const meta = (seq: number) => ({ seq, phase: 'churn', work: { unit: 0 }, wallMs: 0 });
    const got: boolean[] = [];
    for (let seq = 0; seq < 4; seq++) got.push((await sampler.sample(meta(seq))).collections !== undefined);
    expect(got).toEqual([true, false, true, false]);
  });

  it('sees the heap grow by what leak-64kb retains per unit', async () => {
    const t = await pool.launch(synthetic('leak-64kb.ts'));
    const sampler = createSampler(t, { census: false, handles: false });
    const meta = { seq: 0, phase: 'churn', work: {}, wallMs: 0 };
    await t.call('units', { from: 0, count: 20 });
    const before = await sampler.sample(meta);
    await t.call('units', { from: 20, count: 100 });
    const after = await sampler.sample(meta);
    const perUnit = (after.heapUsedBytes! - before.heapUsedBytes!) / 100;
    expect(perUnit).toBeGreaterThan(64 * 1024 * 0.95);
    expect(perUnit).toBeLessThan(64 * 1024 * 1.1);
  });
});
