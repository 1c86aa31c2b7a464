// Real regressions on noisy runners: found outright when the data allow it, otherwise
// 'inconclusive' with a suggestion that, once followed, finds them (Pinpoint's "collect more").
import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison, type CompareOutcome, type Comparison } from '../../harness/compare/index.ts';
import { formatBytes } from '../../harness/core/units.ts';
import { runner } from './noise.ts';

function tally(tries: number, firstSeed: number, trial: (seed: number) => CompareOutcome): Record<CompareOutcome, number> {
  const counts: Record<CompareOutcome, number> = { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 };
  for (let i = 0; i < tries; i += 1) counts[trial(firstSeed + i)] += 1;
  return counts;
}

describe('a 30 % slowdown', () => {
  it('in ms per op over 10 runs per side is regressed in 17 of 20 seeded tries, inconclusive (never wrong) in the rest', () => {
    const counts = tally(20, 1001, (seed) => {
      const r = runner(seed);
      return compareRuns(r.runs(10, 2.0, 'up'), r.runs(10, 2.6, 'up'), { direction: 'lower-is-better' }).outcome;
    });
    // The brief hoped for >= 19 of 20. At CV up to 15 % plus a noisy neighbour, 10 runs cannot
    // always show with 95 % confidence that +30 % is more than +10 % (see docs/comparison.md).
    expect(counts).toEqual({ regressed: 17, improved: 0, unchanged: 0, inconclusive: 3 });
  });

  it('in throughput (higher is better, 5000 -> 3500 ops/s) over 10 runs per side is regressed in 20 of 20 seeded tries', () => {
    const counts = tally(20, 2001, (seed) => {
      const r = runner(seed);
      return compareRuns(r.runs(10, 5000, 'down'), r.runs(10, 3500, 'down'), { direction: 'higher-is-better' }).outcome;
    });
    expect(counts).toEqual({ regressed: 20, improved: 0, unchanged: 0, inconclusive: 0 });
  });

  it('in ms per op is regressed in 20 of 20 seeded tries once the suggested extra runs are collected', () => {
    let extraRounds = 0;
    const settledAt: number[] = []; // runs per side in the end, for the tries that needed more
    const counts = tally(20, 1001, (seed) => {
      const r = runner(seed);
      const baseline = r.runs(10, 2.0, 'up');
      const current = r.runs(10, 2.6, 'up');
      let c = compareRuns(baseline, current, { direction: 'lower-is-better' });
      while (c.outcome === 'inconclusive' && baseline.length < 60) {
        const perSide = Math.min(60, c.suggestedRunsPerSide ?? 60);
        expect(perSide).toBeGreaterThan(baseline.length);
        baseline.push(...r.runs(perSide - baseline.length, 2.0, 'up'));
        current.push(...r.runs(perSide - current.length, 2.6, 'up'));
        c = compareRuns(baseline, current, { direction: 'lower-is-better' });
        extraRounds += 1;
      }
      if (baseline.length > 10) settledAt.push(baseline.length);
      return c.outcome;
    });
    expect(counts).toEqual({ regressed: 20, improved: 0, unchanged: 0, inconclusive: 0 });
    expect(extraRounds).toBe(4);
    expect(settledAt).toEqual([41, 19, 17]);
  });

  it('explains itself: the figures, the test, and why it is a regression', () => {
    const r = runner(1001);
    const c = compareRuns(r.runs(10, 2.0, 'up'), r.runs(10, 2.6, 'up'), { direction: 'lower-is-better' });
    expect(c.outcome).toBe('regressed');
    expect(c.pValue).toBeLessThan(0.01);
    expect(c.interval[0]).toBeGreaterThan(0.1);
    expect(c.interval[0]).toBeLessThanOrEqual(c.estimate);
    expect(c.estimate).toBeLessThanOrEqual(c.interval[1]);
    expect(c.scale).toBe('ratio');
    expect(c.suggestion).toBeUndefined();
    expect(c.reasons.join('\n')).toMatch(/Mann-Whitney U: p = .* below alpha 0\.01/);
    expect(c.reasons.join('\n')).toMatch(/smallest change that matters \(10 %\): a regression/);
  });
});

describe('bytes per session', () => {
  it('tripled is regressed and formats as "+200 %"', () => {
    const r = runner(3101);
    const baseline = r.runs(12, 1228, 'up');
    const current = baseline.map((v) => 3 * v); // the same runs, every one tripled
    const c = compareRuns(baseline, current, { direction: 'lower-is-better', minAbsoluteEffect: 64 });
    expect(c.outcome).toBe('regressed');
    expect(c.relativeChange).toBeCloseTo(2, 12);
    expect(formatComparison('bytes per session', c, formatBytes)).toBe(
      'bytes per session: 1.24 KB -> 3.72 KB (+200 %, significant regression)',
    );
  });

  it('tripled with independent noise on each side is regressed with an exact, deterministic line', () => {
    const r = runner(3102);
    const c = compareRuns(r.runs(10, 1228, 'up'), r.runs(10, 3 * 1228, 'up'), { direction: 'lower-is-better', minAbsoluteEffect: 64 });
    expect(c.outcome).toBe('regressed');
    expect(formatComparison('bytes per session', c, formatBytes)).toBe(
      'bytes per session: 1.23 KB -> 3.62 KB (+194 %, significant regression)',
    );
  });

  it('growing from a zero baseline is regressed, judged on the absolute floor', () => {
    const r = runner(3103);
    const baseline = [0, 0, 0, 0, 0, 0, 0, 0];
    const current = r.runs(8, 300, 'up').map(Math.round);
    const c: Comparison = compareRuns(baseline, current, { direction: 'lower-is-better', minAbsoluteEffect: 64 });
    expect(c.outcome).toBe('regressed');
    expect(c.scale).toBe('shift');
    expect(c.relativeChange).toBe(Infinity);
    expect(c.minEffect.absolute).toBe(64);
    expect(c.absoluteInterval[0]).toBeGreaterThan(64);
    expect(formatComparison('bytes per session', c, formatBytes)).toMatch(
      /^bytes per session: 0 B -> \d+ B \(from zero, \+\d+ B, significant regression\)$/,
    );
  });
});
