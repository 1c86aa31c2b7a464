import { afterEach, describe, expect, it } from 'vitest';
import { readHandles } from '../../harness/observe/handles.ts';
import { readHeap } from '../../harness/observe/heap.ts';
import { readMemory, readRss } from '../../harness/observe/proc.ts';
import { synthetic, targetPool } from './helpers.ts';

const pool = targetPool();
afterEach(() => pool.stopAll());

describe('heap, process and handle observers', () => {
  it('reads the same post-GC heap twice in a row from an idle target', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    for (let i = 0; i < 3; i++) await readHeap(t.cdp); // start-up garbage settles
    const a = await readHeap(t.cdp);
    const b = await readHeap(t.cdp);
    // Measured noise of an idle target: 0-300 B between reads.
    expect(Math.abs(b.usedBytes - a.usedBytes)).toBeLessThanOrEqual(2048);
  });

  it('collects garbage before reading: dropped buffers and arrays do not count', async () => {
    const t = await pool.launch(synthetic('noisy-buffers.ts'));
    const before = await readHeap(t.cdp);
    await t.call('units', { from: 0, count: 50 });
    const after = await readHeap(t.cdp);
    expect(after.usedBytes - before.usedBytes).toBeLessThan(256 * 1024);
  });

  it('reads RSS from /proc for the target pid and external memory over IPC', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    const rss = await readRss(t.pid);
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    const memory = await readMemory(t);
    expect(memory.externalBytes).toBeGreaterThan(0);
    expect(Math.abs(memory.rssBytes - rss!) / rss!).toBeLessThan(0.5);
    expect(await readHandles(t)).toEqual({ refed: {}, refedTimers: 0, unrefedTimers: 0 });
  });

  it('gives no RSS for a pid that does not exist', async () => {
    expect(await readRss(2 ** 22 + 12345)).toBeUndefined();
  });
});
