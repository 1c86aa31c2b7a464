// From samples to series: skipping samples without work, gaps instead of zeros, ranking growers.
import { describe, expect, it } from 'vitest';
import type { CollectionStat, Sample } from '../../harness/core/types.ts';
import { collectionSeries, counterSeries, handleSeries, heapSeries, rankGrowers } from '../../harness/verdict/index.ts';

function sample(seq: number, extra: Partial<Sample> = {}): Sample {
  return {
    seq,
    wallMs: seq * 100,
    virtualMs: seq * 60_000,
    phase: 'churn',
    work: { session: seq * 10, message: seq * 80 },
    heapUsedBytes: 5_000_000 + seq * 1000,
    heapTotalBytes: 8_000_000,
    ...extra,
  };
}

const map = (id: string, size: number, name?: string): CollectionStat => ({ id, kind: 'Map', size, ...(name ? { name } : {}) });

describe('series helpers', () => {
  it('heapSeries puts post-GC heap against the chosen unit and skips samples without that unit', () => {
    const samples = [sample(1), sample(2, { work: { message: 16 } }), sample(3)];
    expect(heapSeries(samples, 'session')).toEqual([
      { x: 10, y: 5_001_000 },
      { x: 30, y: 5_003_000 },
    ]);
    expect(heapSeries(samples, 'message').map((p) => p.x)).toEqual([80, 16, 240]);
    expect(heapSeries(samples, 'tool call')).toEqual([]);
  });

  it('collectionSeries follows one stable id and leaves a gap where the census did not list it', () => {
    const samples = [
      sample(1, { collections: [map('@1', 10), map('@2', 5)] }),
      sample(2, { collections: [map('@2', 6)] }),
      sample(3, { collections: [map('@1', 30)] }),
    ];
    expect(collectionSeries(samples, 'session', '@1')).toEqual([
      { x: 10, y: 10 },
      { x: 30, y: 30 },
    ]);
  });

  it("handleSeries reads timers, the ref'd total or one resource type, with 0 for a type absent from a listing", () => {
    const handles = (refed: Record<string, number>, refedTimers: number) => ({ refed, refedTimers, unrefedTimers: 2 });
    const samples = [
      sample(1, { handles: handles({ Timeout: 3, TCPSocketWrap: 1 }, 3) }),
      sample(2),
      sample(3, { handles: handles({ Timeout: 5 }, 5) }),
    ];
    expect(handleSeries(samples, 'session', 'refedTimers')).toEqual([
      { x: 10, y: 3 },
      { x: 30, y: 5 },
    ]);
    expect(handleSeries(samples, 'session', 'unrefedTimers').map((p) => p.y)).toEqual([2, 2]);
    expect(handleSeries(samples, 'session', 'refedTotal').map((p) => p.y)).toEqual([4, 5]);
    expect(handleSeries(samples, 'session', 'TCPSocketWrap').map((p) => p.y)).toEqual([1, 0]);
  });

  it('counterSeries leaves a gap where a counter is missing', () => {
    const samples = [
      sample(1, { counters: { 'calls:session.messages': 4 } }),
      sample(2, { counters: {} }),
      sample(3, { counters: { 'calls:session.messages': 12 } }),
    ];
    expect(counterSeries(samples, 'session', 'calls:session.messages')).toEqual([
      { x: 10, y: 4 },
      { x: 30, y: 12 },
    ]);
  });

  it('rankGrowers puts the fastest-growing collection first, with its name, sizes and slope per unit', () => {
    const samples = Array.from({ length: 10 }, (_, i) =>
      sample(i + 1, {
        collections: [
          map('@flat', 500, 'cache'),
          map('@fast', 20 + 10 * i, i >= 5 ? 'checkpointStates' : undefined),
          map('@slow', 8 + Math.floor(i / 2)),
          { id: '@arr', kind: 'Array', size: 3 * i },
        ],
      }),
    );
    const ranked = rankGrowers(samples, 'session', 3);
    expect(ranked).toEqual([
      { id: '@fast', kind: 'Map', name: 'checkpointStates', firstSize: 20, lastSize: 110, maxSize: 110, slopePerUnit: 1 },
      { id: '@arr', kind: 'Array', firstSize: 0, lastSize: 27, maxSize: 27, slopePerUnit: 0.3 },
      { id: '@slow', kind: 'Map', firstSize: 8, lastSize: 12, maxSize: 12, slopePerUnit: 0.05 },
    ]);
    expect(rankGrowers(samples, 'session', 10).at(-1)).toMatchObject({ id: '@flat', name: 'cache', slopePerUnit: 0 });
  });

  it('rankGrowers skips samples without the unit and collections seen only once', () => {
    const samples = [
      sample(1, { collections: [map('@a', 10), map('@once', 99)] }),
      sample(2, { work: {}, collections: [map('@a', 1000)] }),
      sample(3, { collections: [map('@a', 30)] }),
    ];
    expect(rankGrowers(samples, 'session', 5)).toEqual([
      { id: '@a', kind: 'Map', firstSize: 10, lastSize: 30, maxSize: 30, slopePerUnit: 1 },
    ]);
  });
});
