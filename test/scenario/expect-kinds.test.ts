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
  expectCounterAtMost,
  expectHeapBounded,
  limitCrossed,
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

  it('say what passed a declared exact limit between two samples, once, at the sample where it passed', () => {
    const run = samples(true); // Map cache: 10 + work / 5 entries, so it holds 70 at sample 12 and 75 at 13.
    const limits = [expectHeapBounded(), expectCollectionsBounded({ atMost: 70 }), expectCounterAtMost('orphans', 1, 'no orphans')];
    const crossedAt = (i: number) => limitCrossed(limits.slice(0, 2), run[i - 1]!, run[i]!);
    expect(crossedAt(11)).toBeUndefined();
    expect(crossedAt(12)).toBe('Map cache passed the declared limit of 70 entries');
    expect(crossedAt(13)).toBeUndefined();
    // A counter already over its limit at the sample before is not a new crossing; one going over is.
    expect(limitCrossed(limits, run[0]!, run[1]!)).toBeUndefined();
    const before = { ...run[0]!, counters: { orphans: 1 } };
    expect(limitCrossed([limits[2]!], before, run[1]!)).toBe('orphans passed its limit of 1');
    // Not followed at the sample before (first adopted by a discovery, or a counter not yet carried): when it passed is unknown.
    const unfollowed = { ...run[11]!, collections: run[11]!.collections!.filter((c) => c.name !== 'cache'), counters: {} };
    expect(limitCrossed(limits.slice(0, 2), unfollowed, run[12]!)).toBeUndefined();
    expect(limitCrossed([limits[2]!], unfollowed, run[1]!)).toBeUndefined();
    // Without a declared number there is no exact limit to pass.
    expect(limitCrossed([expectCollectionsBounded()], run[11]!, run[12]!)).toBeUndefined();
  });
});
