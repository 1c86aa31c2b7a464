// Equal distributions on a noisy runner must not fail a gate, and changes smaller than the
// effect that matters must not either.
import { describe, expect, it } from 'vitest';
import { compareRuns, type CompareOptions, type CompareOutcome } from '../../harness/compare/index.ts';
import { runner } from './noise.ts';

function tally(tries: number, firstSeed: number, trial: (seed: number) => CompareOutcome): Record<CompareOutcome, number> {
  const counts: Record<CompareOutcome, number> = { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 };
  for (let i = 0; i < tries; i += 1) counts[trial(firstSeed + i)] += 1;
  return counts;
}

const msPerOp = (seed: number, opts: Partial<CompareOptions> = {}): CompareOutcome => {
  const r = runner(seed);
  return compareRuns(r.runs(10, 2.0, 'up'), r.runs(10, 2.0, 'up'), { direction: 'lower-is-better', ...opts }).outcome;
};

describe('equal distributions with realistic noise', () => {
  it('are never regressed in 20 seeded tries of 10 runs per side', () => {
    const counts = tally(20, 3001, (seed) => msPerOp(seed));
    expect(counts.regressed).toBe(0);
    expect(counts).toEqual({ regressed: 0, improved: 0, unchanged: 1, inconclusive: 19 });
  });

  it('are regressed in exactly 0 of 200 seeded tries of ms per op (gate defaults)', () => {
    expect(tally(200, 3001, (seed) => msPerOp(seed))).toEqual({ regressed: 0, improved: 0, unchanged: 33, inconclusive: 167 });
  });

  it('are regressed in exactly 0 of 200 seeded tries of throughput (higher is better)', () => {
    const counts = tally(200, 4001, (seed) => {
      const r = runner(seed);
      return compareRuns(r.runs(10, 5000, 'down'), r.runs(10, 5000, 'down'), { direction: 'higher-is-better' }).outcome;
    });
    expect(counts).toEqual({ regressed: 0, improved: 0, unchanged: 35, inconclusive: 165 });
  });

  it('without a minimum effect and at alpha 0.05 raise false alarms near alpha / 2 per side (7 and 5 of 200)', () => {
    // What the minimum effect buys: with it (above) no false alarm in 200 tries, without it the
    // rank test alone is calibrated (2.5 % expected per side) but does fire.
    const counts = tally(200, 3001, (seed) => msPerOp(seed, { alpha: 0.05, minRelativeEffect: 0 }));
    expect(counts).toEqual({ regressed: 7, improved: 5, unchanged: 0, inconclusive: 188 });
  });

  it('end unchanged in 17 of 20 seeded tries once the suggested extra runs are collected (up to 60), never regressed', () => {
    const counts = tally(20, 3001, (seed) => {
      const r = runner(seed);
      const baseline = r.runs(10, 2.0, 'up');
      const current = r.runs(10, 2.0, 'up');
      let c = compareRuns(baseline, current, { direction: 'lower-is-better' });
      while (c.outcome === 'inconclusive' && baseline.length < 60) {
        const perSide = Math.min(60, c.suggestedRunsPerSide ?? 60);
        baseline.push(...r.runs(perSide - baseline.length, 2.0, 'up'));
        current.push(...r.runs(perSide - current.length, 2.0, 'up'));
        c = compareRuns(baseline, current, { direction: 'lower-is-better' });
      }
      return c.outcome;
    });
    expect(counts).toEqual({ regressed: 0, improved: 0, unchanged: 17, inconclusive: 3 });
  });
});

describe('changes smaller than the effect that matters', () => {
  it('+5 % in ms per op over 40 runs per side is unchanged in 15 of 20 seeded tries (2 of them significant yet too small), never regressed', () => {
    let significantButUnchanged = 0;
    const counts = tally(20, 3301, (seed) => {
      const r = runner(seed);
      const c = compareRuns(r.runs(40, 2.0, 'up'), r.runs(40, 2.1, 'up'), { direction: 'lower-is-better' });
      if (c.pValue < 0.01 && c.outcome === 'unchanged') {
        significantButUnchanged += 1;
        expect(c.interval[0]).toBeGreaterThan(0);
        expect(c.interval[1]).toBeLessThanOrEqual(0.1);
        expect(c.reasons.join('\n')).toContain('a real change, but too small to matter');
      }
      return c.outcome;
    });
    expect(significantButUnchanged).toBe(2);
    expect(counts).toEqual({ regressed: 0, improved: 0, unchanged: 15, inconclusive: 5 });
  });

  it('+50 % of a 40 B per session figure stays under a 64 B absolute floor and is never regressed', () => {
    const counts = tally(20, 3401, (seed) => {
      const r = runner(seed);
      return compareRuns(r.runs(10, 40, 'up'), r.runs(10, 60, 'up'), { direction: 'lower-is-better', minAbsoluteEffect: 64 }).outcome;
    });
    expect(counts.regressed).toBe(0);
    expect(counts).toEqual({ regressed: 0, improved: 0, unchanged: 20, inconclusive: 0 });
  });
});
