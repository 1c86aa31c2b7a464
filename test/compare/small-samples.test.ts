// Few runs, constant runs, zeros and empty sides: honest 'inconclusive' with a next step, never a guess.
import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison } from '../../harness/compare/index.ts';
import { formatBytes } from '../../harness/core/units.ts';
import { runner } from './noise.ts';

describe('few runs', () => {
  it('2 runs per side are inconclusive and suggest how many more to collect, even for a 3x change', () => {
    const c = compareRuns([2.0, 2.1], [6.0, 6.3], { direction: 'lower-is-better' });
    expect(c.outcome).toBe('inconclusive');
    expect(c.suggestion).toBe('run 3 more times on each side (5 per side in all)');
    expect(c.suggestedRunsPerSide).toBe(5);
    expect(c.interval).toEqual([-1, Infinity]);
    expect(c.pValue).toBeCloseTo(1 / 3, 12);
    expect(c.reasons.join('\n')).toContain('at least 5 per side are needed');
    expect(formatComparison('ms per op', c, (v) => `${v} ms`)).toBe(
      'ms per op: 2.05 ms -> 6.15 ms (+200 %, inconclusive: run 3 more times on each side (5 per side in all))',
    );
  });

  it('1 and 3 runs per side are inconclusive, with the minimum depending on alpha', () => {
    for (const n of [1, 3]) {
      const r = runner(6000 + n);
      const c = compareRuns(r.runs(n, 2, 'up'), r.runs(n, 2.6, 'up'), { direction: 'lower-is-better' });
      expect(c.outcome).toBe('inconclusive');
      expect(c.suggestedRunsPerSide).toBe(5);
      expect(c.baseline.n).toBe(n);
    }
    // At alpha 0.05 four runs per side can already be significant (p = 2/70), so 4 is the floor.
    const loose = compareRuns([1, 1.1, 0.9], [3, 3.1, 2.9], { direction: 'lower-is-better', alpha: 0.05 });
    expect(loose.outcome).toBe('inconclusive');
    expect(loose.suggestion).toBe('run 1 more time on each side (4 per side in all)');
  });

  it('a single run per side with minRuns 1 is still inconclusive: no interval can be bounded', () => {
    const c = compareRuns([5], [9], { direction: 'lower-is-better', minRuns: 1 });
    expect(c.outcome).toBe('inconclusive');
    expect(c.pValue).toBe(1);
    expect(c.interval).toEqual([-1, Infinity]);
    expect(c.suggestedRunsPerSide).toBe(5);
  });

  it('uneven sides are topped up on the short side only', () => {
    const r = runner(6101);
    const c = compareRuns(r.runs(12, 2, 'up'), r.runs(3, 6, 'up'), { direction: 'lower-is-better' });
    expect(c.outcome).toBe('inconclusive');
    expect(c.suggestion).toBe('run 2 more times on the current side (5 per side in all)');
  });

  it('no runs on a side is inconclusive with the minimum to collect', () => {
    const c = compareRuns([], [1, 2, 3], { direction: 'lower-is-better' });
    expect(c.outcome).toBe('inconclusive');
    expect(c.suggestion).toBe('run 5 more times on the baseline side and 2 more on the current side (5 per side in all)');
    expect(formatComparison('ms per op', c, (v) => `${v} ms`)).toMatch(/^ms per op: n\/a -> 2 ms \(n\/a, inconclusive: /);
  });
});

describe('zero spread and zeros', () => {
  it('identical values on both sides are unchanged with p = 1 and a [0, 0] interval', () => {
    const c = compareRuns([7, 7, 7, 7, 7], [7, 7, 7, 7, 7], { direction: 'lower-is-better' });
    expect(c.outcome).toBe('unchanged');
    expect(c.pValue).toBe(1);
    expect(c.interval).toEqual([0, 0]);
    expect(c.baseline).toEqual({ n: 5, median: 7, mad: 0 });
  });

  it('constant but different exact counters over 5 runs per side are regressed (p = 2/252)', () => {
    const c = compareRuns([3, 3, 3, 3, 3], [4, 4, 4, 4, 4], { direction: 'lower-is-better' });
    expect(c.outcome).toBe('regressed');
    expect(c.pValue).toBeCloseTo(2 / 252, 12);
    expect(c.interval[0]).toBeCloseTo(1 / 3, 12);
    expect(c.interval[1]).toBeCloseTo(1 / 3, 12);
  });

  it('constant sides over 3 runs have an exact difference, but too few runs to be significant', () => {
    const same = compareRuns([5, 5, 5], [5, 5, 5], { direction: 'lower-is-better', minRuns: 3 });
    expect(same.outcome).toBe('unchanged');
    const apart = compareRuns([5, 5, 5], [6, 6, 6], { direction: 'lower-is-better', minRuns: 3 });
    expect(apart.outcome).toBe('inconclusive');
    expect(apart.interval[0]).toBeCloseTo(0.2, 12);
    expect(apart.pValue).toBeCloseTo(0.1, 12);
    expect(apart.suggestion).toBe('run 2 more times on each side (5 per side in all)');
  });

  it('zeros in the baseline switch to the difference scale; an all-zero baseline has no relative change', () => {
    const someZeros = compareRuns([0, 120, 100, 0, 110, 90, 105, 95], [400, 380, 420, 390, 410, 0, 405, 395], {
      direction: 'lower-is-better',
    });
    expect(someZeros.scale).toBe('shift');
    expect(someZeros.outcome).toBe('regressed');
    expect(someZeros.relativeChange).toBeCloseTo(397.5 / 97.5 - 1, 12);

    const allZero = compareRuns([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], { direction: 'lower-is-better' });
    expect(allZero.outcome).toBe('unchanged');
    expect(allZero.relativeChange).toBe(0);
    expect(formatComparison('bytes per session', allZero, formatBytes)).toBe('bytes per session: 0 B -> 0 B (0 %, unchanged, within ±0 B)');
  });

  it('figures around zero (heap growth per session can be negative) compare on the difference scale', () => {
    const r = runner(6201);
    const noise = (n: number, center: number) => r.runs(n, 100, 'up').map((v) => center + (v - 100) * 3);
    const c = compareRuns(noise(10, 0), noise(10, 0), { direction: 'lower-is-better', minAbsoluteEffect: 64 });
    expect(c.scale).toBe('shift');
    expect(c.outcome).not.toBe('regressed');
    const grown = compareRuns(noise(10, 0), noise(10, 400), { direction: 'lower-is-better', minAbsoluteEffect: 64 });
    expect(grown.outcome).toBe('regressed');
  });
});
