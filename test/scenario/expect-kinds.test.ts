// Expectation kinds behind one interface (harness/scenario/expectations/): each kind judges the
// judged window on its own, says which metric verdicts stand behind its result, and blames only
// the collections it found leaking; a kind nobody implements is named, not silently skipped.
import { describe, expect, it } from 'vitest';
import type { CollectionStat, Sample } from '../../harness/core/types.ts';
import {
  evaluateExpectations,
  expectChecksPass,
  expectCollectionsBounded,
  expectCounterBounded,
  expectHeapBounded,
  type Expectation,
} from '../../harness/scenario/expect.ts';

/** 40 samples, a sample every 25 sessions: Map cache grows 1 entry per 5 sessions in `leaky`, Set seen holds 40. */
function samples(leaky: boolean): Sample[] {
  return Array.from({ length: 40 }, (_, i) => {
    const work = (i + 1) * 25;
    const cache: CollectionStat = { id: '#1', kind: 'Map', name: 'cache', size: leaky ? 10 + work / 5 : 10 + (i % 4) };
    const seen: CollectionStat = { id: '#2', kind: 'Set', name: 'seen', size: 40 + (i % 2) };
    return {
      seq: i,
      wallMs: 0,
      virtualMs: 0,
      phase: 'churn',
      work: { session: work },
      heapUsedBytes: 5_000_000 + (i % 3) * 300,
      heapTotalBytes: 8e6,
      collections: [cache, seen],
      counters: { orphans: 2 },
    };
  });
}

const EXPECT = [
  expectHeapBounded(),
  expectCollectionsBounded(),
  expectChecksPass('same-session', 'follow-ups land on their session'),
  expectCounterBounded('orphans', 'orphaned sessions', 'orphans do not grow'),
];
const FINDINGS = [{ check: 'same-session', ok: true, detail: 'thread t1 stayed on ses_1.' }];

describe('expectation kinds', () => {
  it('blame only the collection that leaks, and keep every metric verdict behind each result', () => {
    const { results, suspects, metrics } = evaluateExpectations(EXPECT, samples(true), 'session', FINDINGS);
    expect(results.map((r) => [r.id, r.verdict])).toEqual([
      ['heap-bounded', 'bounded'],
      ['collections-bounded', 'leak'],
      ['check:same-session', 'pass'],
      ['counter-bounded:orphans', 'bounded'],
    ]);
    expect(suspects).toEqual([{ id: '#1', name: 'cache', kind: 'Map' }]);
    // One verdict per judged collection that rose; a check stands on findings, not on a series.
    expect(metrics.map((m) => m.length)).toEqual([1, 2, 0, 1]);
  });

  it('blame nothing when every collection is bounded', () => {
    const { results, suspects } = evaluateExpectations(EXPECT, samples(false), 'session', FINDINGS);
    expect(results.every((r) => r.passed)).toBe(true);
    expect(suspects).toEqual([]);
  });

  it('name an expectation kind that none implements, and the kinds that exist', () => {
    const unknown = { kind: 'heap-flat' } as unknown as Expectation;
    expect(() => evaluateExpectations([unknown], samples(false), 'session')).toThrow(
      /unknown expectation kind "heap-flat": expected one of heap-bounded, .*checks-pass/,
    );
  });
});
