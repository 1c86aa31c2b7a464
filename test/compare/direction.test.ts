// Which way is worse: improvements are 'improved', and 'higher-is-better' mirrors every outcome.
import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison, type CompareOutcome } from '../../harness/compare/index.ts';
import { runner } from './noise.ts';

const mirror: Record<CompareOutcome, CompareOutcome> = {
  regressed: 'improved',
  improved: 'regressed',
  unchanged: 'unchanged',
  inconclusive: 'inconclusive',
};

describe('direction', () => {
  it('an improvement (ms per op halved) is improved, never regressed, in 20 of 20 seeded tries', () => {
    const counts: Record<CompareOutcome, number> = { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 };
    for (let seed = 5001; seed <= 5020; seed += 1) {
      const r = runner(seed);
      counts[compareRuns(r.runs(10, 2.0, 'up'), r.runs(10, 1.0, 'up'), { direction: 'lower-is-better' }).outcome] += 1;
    }
    expect(counts).toEqual({ regressed: 0, improved: 20, unchanged: 0, inconclusive: 0 });
  });

  it('a throughput gain of 50 % is improved and formats as a significant improvement', () => {
    const r = runner(5101);
    const c = compareRuns(r.runs(10, 4000, 'down'), r.runs(10, 6000, 'down'), { direction: 'higher-is-better' });
    expect(c.outcome).toBe('improved');
    expect(c.relativeChange).toBeGreaterThan(0);
    expect(formatComparison('throughput', c, (v) => `${Math.round(v)} ops/s`)).toMatch(
      /^throughput: \d+ ops\/s -> \d+ ops\/s \(\+\d+ %, significant improvement\)$/,
    );
  });

  it('higher-is-better flips the meaning: the same runs give mirrored outcomes in 40 seeded tries', () => {
    const seen = new Set<CompareOutcome>();
    for (let seed = 5201; seed <= 5240; seed += 1) {
      const r = runner(seed);
      // From a 40 % drop to a 40 % rise, so every outcome shows up.
      const factor = 0.6 + (0.8 * (seed - 5201)) / 39;
      const baseline = r.runs(20, 100, 'up');
      const current = r.runs(20, 100 * factor, 'up');
      const lower = compareRuns(baseline, current, { direction: 'lower-is-better' });
      const higher = compareRuns(baseline, current, { direction: 'higher-is-better' });
      expect(higher.outcome).toBe(mirror[lower.outcome]);
      expect(higher.relativeChange).toBe(lower.relativeChange);
      expect(higher.interval).toEqual(lower.interval);
      expect(higher.pValue).toBe(lower.pValue);
      seen.add(lower.outcome);
      if (lower.outcome === 'inconclusive') expect(higher.suggestion).toBe(lower.suggestion);
    }
    expect([...seen].sort()).toEqual(['improved', 'inconclusive', 'regressed', 'unchanged']);
  });

  it('a +30 % rise is regressed for ms per op and improved for throughput', () => {
    const baseline = [100, 103, 98, 101, 99, 102, 97, 100, 104, 96];
    const current = baseline.map((v) => v * 1.3);
    expect(compareRuns(baseline, current, { direction: 'lower-is-better' }).outcome).toBe('regressed');
    expect(compareRuns(baseline, current, { direction: 'higher-is-better' }).outcome).toBe('improved');
  });

  it('a small significant change is unchanged in either direction', () => {
    const baseline = [100, 102, 98, 101, 99, 100, 103, 97];
    const current = [104, 105, 102, 103, 101, 106, 104, 103];
    for (const direction of ['lower-is-better', 'higher-is-better'] as const) {
      const c = compareRuns(baseline, current, { direction });
      expect(c.pValue).toBeLessThan(0.01);
      expect(c.outcome).toBe('unchanged');
      expect(formatComparison('p99 latency', c, (v) => `${v} ms`)).toBe(
        'p99 latency: 100 ms -> 103.5 ms (+3.5 %, unchanged, within ±10 %)',
      );
    }
  });
});
