// Bad input fails loudly, naming the value and where it is, before any statistics run.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../harness/compare/index.ts';

const ok = [1, 2, 3, 4, 5];

describe('bad input', () => {
  it('NaN in the baseline names the value and its index', () => {
    expect(() => compareRuns([1, 2, NaN, 4], ok, { direction: 'lower-is-better' })).toThrow(
      'compareRuns: baseline[2] is NaN; every run must be a finite number',
    );
  });

  it('Infinity and -Infinity in the current runs name the value and its index', () => {
    expect(() => compareRuns(ok, [1, Infinity], { direction: 'lower-is-better' })).toThrow(
      'compareRuns: current[1] is Infinity; every run must be a finite number',
    );
    expect(() => compareRuns(ok, [-Infinity], { direction: 'higher-is-better' })).toThrow(
      'compareRuns: current[0] is -Infinity; every run must be a finite number',
    );
  });

  it('a non-number that slipped past the types is named too', () => {
    const runs = [1, '2' as unknown as number, 3];
    expect(() => compareRuns(runs, ok, { direction: 'lower-is-better' })).toThrow(
      'compareRuns: baseline[1] is the string "2"; every run must be a finite number',
    );
    expect(() => compareRuns(ok, [undefined as unknown as number], { direction: 'lower-is-better' })).toThrow(
      'compareRuns: current[0] is undefined',
    );
  });

  it('bad options are named with the value given', () => {
    expect(() => compareRuns(ok, ok, { direction: 'down' as 'lower-is-better' })).toThrow(
      "compareRuns: direction must be 'lower-is-better' or 'higher-is-better', got the string \"down\"",
    );
    expect(() => compareRuns(ok, ok, { direction: 'lower-is-better', alpha: 0 })).toThrow('compareRuns: alpha must be in (0, 0.5), got 0');
    expect(() => compareRuns(ok, ok, { direction: 'lower-is-better', minRelativeEffect: -0.1 })).toThrow(
      'compareRuns: minRelativeEffect must be >= 0, got -0.1',
    );
    expect(() => compareRuns(ok, ok, { direction: 'lower-is-better', minAbsoluteEffect: NaN })).toThrow(
      'compareRuns: minAbsoluteEffect must be >= 0, got NaN',
    );
    expect(() => compareRuns(ok, ok, { direction: 'lower-is-better', minRuns: 2.5 })).toThrow(
      'compareRuns: minRuns must be an integer >= 1, got 2.5',
    );
  });

  it('does not modify the arrays it is given', () => {
    const baseline = [5, 1, 4, 2, 3];
    const current = [9, 7, 8, 6, 10];
    compareRuns(baseline, current, { direction: 'lower-is-better' });
    expect(baseline).toEqual([5, 1, 4, 2, 3]);
    expect(current).toEqual([9, 7, 8, 6, 10]);
  });
});
