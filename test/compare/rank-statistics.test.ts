// The rank machinery against published values: scipy.stats 1.17 (mannwhitneyu, permutation_test)
// and the usual critical-value tables of U.
import { describe, expect, it } from 'vitest';
import { hodgesLehmann, mannWhitney, minRunsForAlpha, mosesTrim, normalQuantile, normalUpperTail } from '../../harness/compare/rank.ts';
import { mulberry32 } from '../../harness/core/random.ts';

describe('Mann-Whitney U', () => {
  it('matches scipy exact p-values without ties', () => {
    // scipy.stats.mannwhitneyu(x, y, method='exact')
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).pValue).toBeCloseTo(0.007936507936507936, 14);
    const mw = mannWhitney([1.1, 2.3, 0.7, 4.4, 5.1, 3.3], [6.2, 2.2, 8.1, 9.9, 1.0, 4.6, 7.7]);
    expect(mw.pValue).toBeCloseTo(0.13752913752913754, 14);
    expect(mw.u).toBe(32);
    expect(mw.exact).toBe(true);
  });

  it('is exact with ties (the permutation distribution of mid-ranks), matching scipy permutation_test', () => {
    expect(mannWhitney([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5, 6]).pValue).toBeCloseTo(0.05011655011655012, 14);
  });

  it('uses the normal approximation with tie and continuity correction above 60 runs, matching scipy', () => {
    const r = mulberry32(3);
    const a = Array.from({ length: 40 }, () => Math.round(r() * 20));
    const b = Array.from({ length: 35 }, () => Math.round(r() * 20 + 3));
    const mw = mannWhitney(a, b);
    expect(mw.exact).toBe(false);
    expect(mw.u).toBe(1002.5);
    // scipy: 0.00129803109360719; the erfc approximation is good to ~1e-7 relative.
    expect(mw.pValue).toBeCloseTo(0.00129803109360719, 9);
  });

  it('gives p = 1 when every value is tied', () => {
    expect(mannWhitney([4, 4, 4], [4, 4, 4, 4]).pValue).toBe(1);
  });
});

describe('Hodges-Lehmann and its interval', () => {
  it('trims as many pairwise differences as the critical-value tables say', () => {
    // Two-sided 0.05 critical U: 23 for 10 vs 10, 2 for 5 vs 5, 0 for 4 vs 4, none for 3 vs 3.
    expect(mosesTrim(10, 10, 0.95)).toBe(24);
    expect(mosesTrim(5, 5, 0.95)).toBe(3);
    expect(mosesTrim(4, 4, 0.95)).toBe(1);
    expect(mosesTrim(3, 3, 0.95)).toBe(0);
  });

  it('estimates a pure shift exactly and brackets it', () => {
    const base = [10, 11, 12, 13, 14, 15, 16, 17];
    const hl = hodgesLehmann(
      base,
      base.map((v) => v + 5),
      0.95,
      mulberry32(1),
    );
    expect(hl.estimate).toBe(5);
    expect(hl.lower).toBeLessThan(5);
    expect(hl.upper).toBeGreaterThan(5);
    expect(hl.sampled).toBe(false);
  });

  it('subsamples pairs with the seeded generator only above 250 000 pairs, deterministically', () => {
    const r = mulberry32(9);
    const a = Array.from({ length: 600 }, () => r());
    const b = Array.from({ length: 600 }, () => r() + 0.1);
    const one = hodgesLehmann(a, b, 0.95, mulberry32(42));
    const two = hodgesLehmann(a, b, 0.95, mulberry32(42));
    expect(one.sampled).toBe(true);
    expect(one).toEqual(two);
    expect(one.estimate).toBeGreaterThan(0.05);
    expect(one.estimate).toBeLessThan(0.15);
  });
});

describe('normal distribution and run minimums', () => {
  it('has the usual quantiles and tails', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 7);
  });

  it('knows how few runs per side can reach a significance level', () => {
    expect(minRunsForAlpha(0.01)).toBe(5); // 2 / C(10, 5) = 0.0079
    expect(minRunsForAlpha(0.05)).toBe(4); // 2 / C(8, 4) = 0.029
    expect(minRunsForAlpha(0.1)).toBe(3); // 2 / C(6, 3) = 0.1
  });
});
