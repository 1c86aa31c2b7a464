import { afterEach, describe, expect, it } from 'vitest';
import type { CollectionStat } from '../../harness/core/types.ts';
import type { MemoryState } from '../../harness/wire/protocol.ts';
import { createCensus } from '../../harness/observe/census.ts';
import { readHeap } from '../../harness/observe/heap.ts';
import { fixture, synthetic, targetPool } from './helpers.ts';

const pool = targetPool();
afterEach(() => pool.stopAll());

const byName = (stats: CollectionStat[], name: string) => stats.find((c) => c.name === name);

describe('collection census', () => {
  it('finds a small growing Map by its variable name, with the same id across samples', async () => {
    const t = await pool.launch(synthetic('map-1-per-100.ts'));
    const census = createCensus(t.cdp);
    await t.call('units', { from: 0, count: 1000 });

    const first = byName(await census.take(), 'sessionIndex');
    expect(first).toMatchObject({ kind: 'Map', size: 10, nameSource: 'scope' });
    expect(first!.id).toMatch(/^#\d+$/);

    const second = byName(await census.take(), 'sessionIndex');
    expect(second).toEqual(first);

    await t.call('units', { from: 1000, count: 500 });
    const third = byName(await census.take(), 'sessionIndex');
    expect(third).toMatchObject({ id: first!.id, size: 15 });
  });

  it('names a Map held only as a class instance property by its owner class', async () => {
    const t = await pool.launch(fixture('class-held-map.ts'));
    await t.call('units', { from: 0, count: 50 });
    const stats = await createCensus(t.cdp).take();
    expect(byName(stats, 'Gateway.sessions')).toMatchObject({ kind: 'Map', size: 50, nameSource: 'property' });
  });

  it('names a growing module-level array (leak fixtures) as an Array collection', async () => {
    const t = await pool.launch(synthetic('leak-1kb.ts'));
    await t.call('units', { from: 0, count: 30 });
    const stats = await createCensus(t.cdp).take();
    expect(byName(stats, 'retained')).toMatchObject({ kind: 'Array', size: 30, nameSource: 'scope' });
  });

  it('gives a replacement Map a new id and drops the collected one from the report', async () => {
    const t = await pool.launch(fixture('replaced-cache.ts'));
    const census = createCensus(t.cdp);
    await t.call('units', { from: 0, count: 50 });
    const before = byName(await census.take(), 'cache');
    expect(before).toMatchObject({ size: 50 });

    await t.call('units', { from: 50, count: 100 }); // unit 100 replaces the Map
    const after = await census.take();
    expect(after.find((c) => c.id === before!.id)).toBeUndefined();
    const replacement = byName(after, 'cache');
    expect(replacement).toMatchObject({ kind: 'Map', size: 50, nameSource: 'scope' });
    expect(replacement!.id).not.toBe(before!.id);
  });

  it('does not look for new collections when the followed ones collected were under minSize', async () => {
    const t = await pool.launch(fixture('small-replaced.ts'));
    const census = createCensus(t.cdp);
    await t.call('units', { from: 0, count: 1 });
    await census.take();
    const followed = census.lastCost()!.tracked;
    await t.call('units', { from: 1, count: 1 }); // collects the followed 4-item array
    await census.take();
    expect(census.lastCost()!.tracked).toBe(followed - 1);
    expect(census.lastCost()!.discovered).toBe(false);
  });

  it('looks for new collections only after priming, then at gaps that double up to the maximum', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    const census = createCensus(t.cdp, { discoverEvery: 2, maxDiscoverGap: 8 });
    const discovered = async (lookForNew: boolean) => {
      await census.take({ lookForNew });
      return census.lastCost()!.discovered;
    };
    for (let i = 0; i < 3; i++) expect(await discovered(false), `priming take ${i}`).toBe(false);
    const looks: number[] = [];
    for (let i = 0; i < 24; i++) if (await discovered(true)) looks.push(i);
    expect(looks).toEqual([0, 2, 6, 14, 22]);
  });

  it('releases its object groups: 20 discovering censuses of the empty control leave the post-GC heap where it was', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    const census = createCensus(t.cdp, { discoverEvery: 1, maxDiscoverGap: 1 });
    // The heap as the sampler judges it, net of compiled code: the child's own code tiers up at
    // moments of its own (a 2.7 KB step inside the window in some runs otherwise).
    const heapNetOfCode = async () => (await readHeap(t.cdp)).usedBytes - (await t.call<MemoryState>('memory')).codeBytes;
    // Warm-up: first compilations, the first name walk and discoveries, the WeakRef array, the reading itself.
    for (let i = 0; i < 10; i++) await census.take();
    await heapNetOfCode();
    const first = await heapNetOfCode();
    for (let i = 0; i < 20; i++) await census.take();
    const last = await heapNetOfCode();
    // Every census here queries the heap: unreleased groups keep their two result arrays each,
    // ~1.7 KB a census on this target (83 KB over 50, measured); noise is ~0-600 B.
    expect(last - first).toBeLessThan(2048);
  });

  it('handles 10 000 live Maps: follows the top N plus the named ones, reports its cost', async () => {
    const t = await pool.launch(fixture('many-maps.ts'));
    await t.call('units', { from: 0, count: 12 });
    const census = createCensus(t.cdp, { topN: 25 });
    const stats = await census.take();
    const cost = census.lastCost()!;
    expect(cost.maps).toBeGreaterThanOrEqual(10_001);
    expect(cost.candidates).toBeGreaterThanOrEqual(6_000); // sizes 8..19 of the 10 000
    expect(byName(stats, 'many')).toMatchObject({ kind: 'Array', size: 10_000 });
    expect(byName(stats, 'growing')).toMatchObject({ kind: 'Map', size: 12 });
    expect(stats.length).toBeLessThanOrEqual(4 * 25);
    console.info(
      `census of 10k maps: ${cost.totalMs.toFixed(0)} ms (queryObjects ${cost.queryMs.toFixed(0)} ms, sizes ${cost.sizesMs.toFixed(1)} ms, names ${cost.namesMs.toFixed(1)} ms)`,
    );
  });

  it('reads a 1M-entry Map by size without walking it', async () => {
    const t = await pool.launch(fixture('big-map.ts'));
    await t.call('units', { from: 0, count: 3 });
    const census = createCensus(t.cdp);
    const stats = await census.take();
    expect(stats[0]).toMatchObject({ kind: 'Map', size: 1_000_003, name: 'big', nameSource: 'scope' });
    console.info(`census with a 1M-entry Map: ${census.lastCost()!.totalMs.toFixed(0)} ms`);
  });

  it('maps its ids to the ids a heap snapshot uses, once a snapshot exists', async () => {
    const t = await pool.launch(synthetic('map-1-per-100.ts'));
    await t.call('units', { from: 0, count: 1000 });
    const census = createCensus(t.cdp);
    const id = byName(await census.take(), 'sessionIndex')!.id;
    // Node 20's V8 has no id for an object before a snapshot (or heap tracking): nothing to map.
    const before = await census.snapshotIds();

    const chunks: string[] = [];
    const onChunk = (p: { chunk: string }) => chunks.push(p.chunk);
    t.cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await t.cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    t.cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);

    const heapId = (await census.snapshotIds())[id];
    expect(heapId).toMatch(/^@\d+$/);
    if (before[id] !== undefined) expect(before[id]).toBe(heapId);
    const snapshot = JSON.parse(chunks.join('')) as {
      snapshot: { meta: { node_fields: string[] } };
      nodes: number[];
      strings: string[];
    };
    const fields = snapshot.snapshot.meta.node_fields;
    const [idAt, nameAt] = [fields.indexOf('id'), fields.indexOf('name')];
    let name: string | undefined;
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      if (snapshot.nodes[i + idAt] === Number(heapId!.slice(1))) name = snapshot.strings[snapshot.nodes[i + nameAt]!];
    }
    expect(name).toBe('Map');
  });
});

describe('collection census of the harness internals', () => {
  it('names the virtual clock timers Map, so leaked timers are visible', async () => {
    const t = await pool.launch(fixture('leaks-timers.ts'));
    await t.call('units', { from: 0, count: 40 });
    const stats = await createCensus(t.cdp).take();
    expect(byName(stats, '(virtual clock).timers')).toMatchObject({ kind: 'Map', size: 40, nameSource: 'property' });
  });
});
