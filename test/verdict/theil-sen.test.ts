// The robust slope and its interval, on their own.
import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../harness/core/types.ts';
import { theilSen } from '../../harness/verdict/index.ts';
import { gaussian, mulberry32 } from '../../harness/core/random.ts';

const line = (n: number, slope: number, noise: (i: number) => number = () => 0): SeriesPoint[] =>
  Array.from({ length: n }, (_, i) => ({ x: 10 * (i + 1), y: 1000 + slope * 10 * (i + 1) + noise(i) }));

describe('theilSen', () => {
  it('recovers an exact line with a zero-width interval', () => {
    const fit = theilSen(line(30, 2.5))!;
    expect(fit.slope).toBe(2.5);
    expect([fit.lower, fit.upper]).toEqual([2.5, 2.5]);
    expect(fit.intercept).toBe(1000);
  });

  it('ignores a minority of wild outliers that would drag a least-squares fit', () => {
    const points = line(40, 2, (i) => (i % 9 === 4 ? 1_000_000 : 0));
    expect(theilSen(points)!.slope).toBe(2);
  });

  it('gives a 95 % interval that covers the true slope in about 95 % of 200 seeded noisy runs', () => {
    let covered = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      const r = mulberry32(seed);
      const fit = theilSen(line(40, 3, () => 500 * gaussian(r)))!;
      if (fit.lower <= 3 && 3 <= fit.upper) covered += 1;
    }
    expect(covered).toBe(187);
  });

  it('widens the interval when the scatter is autocorrelated (AR(1), ρ = 0.7), restoring most of its coverage', () => {
    let corrected = 0;
    let uncorrected = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      const r = mulberry32(seed);
      let e = 0;
      const points = line(60, 1, () => (e = 0.7 * e + 300 * gaussian(r)));
      const fit = theilSen(points)!;
      const plain = theilSen(points, { correctAutocorrelation: false })!;
      if (fit.lower <= 1 && 1 <= fit.upper) corrected += 1;
      if (plain.lower <= 1 && 1 <= plain.upper) uncorrected += 1;
    }
    expect(uncorrected).toBe(119);
    expect(corrected).toBe(180);
  });

  it('returns undefined when the work count never changes', () => {
    expect(
      theilSen([
        { x: 5, y: 1 },
        { x: 5, y: 2 },
      ]),
    ).toBeUndefined();
  });

  it('bins very long series and still finds the slope', () => {
    const fit = theilSen(line(3000, 0.5))!;
    expect(fit.n).toBe(800);
    expect(fit.slope).toBeCloseTo(0.5, 6);
  });
});
