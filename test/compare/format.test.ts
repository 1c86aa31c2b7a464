// One line per figure for people, as `npm run compare` and the gate summary print it.
import { describe, expect, it } from 'vitest';
import { compareRuns, formatComparison, formatPercent } from '../../harness/compare/index.ts';
import { formatBytes } from '../../harness/core/units.ts';

describe('formatting', () => {
  it('prints percentages with a sign and sensible precision', () => {
    expect(formatPercent(2.25)).toBe('+225 %');
    expect(formatPercent(2)).toBe('+200 %');
    expect(formatPercent(-0.304)).toBe('-30 %');
    expect(formatPercent(0.024)).toBe('+2.4 %');
    expect(formatPercent(0.00123)).toBe('+0.12 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.0000001)).toBe('+0.00001 %');
    expect(formatPercent(Number.NaN)).toBe('n/a');
  });

  it('prints the spec example line: "bytes per session: 1.2 KB -> 3.9 KB (+225 %, significant regression)"', () => {
    const baseline = [1228, 1240, 1215, 1232, 1226, 1230];
    const current = baseline.map((v) => v * 3.25);
    const c = compareRuns(baseline, current, { direction: 'lower-is-better' });
    const line = formatComparison('bytes per session', c, (v) => formatBytes(v).replace(/(\d+\.\d)\d (KB)/, '$1 $2'));
    expect(line).toBe('bytes per session: 1.2 KB -> 3.9 KB (+225 %, significant regression)');
  });

  it('an inconclusive line carries the suggestion, leading with what to run', () => {
    const base = [100, 103, 98, 101, 99, 102, 97, 100, 104, 96, 101, 99];
    const cur = base.map((v, i) => v * 1.1 * (i % 2 ? 1.01 : 0.99)); // exactly at the 10 % threshold
    const c = compareRuns(base, cur, { direction: 'lower-is-better' });
    expect(c.outcome).toBe('inconclusive');
    expect(c.pValue).toBeLessThan(0.01);
    expect(formatComparison('ms per op', c, (v) => `${v.toFixed(1)} ms`)).toBe(
      'ms per op: 100.0 ms -> 110.0 ms (+10 %, inconclusive: run 12 more times on each side (24 per side in all) if it matters; ' +
        '+10 % sits so close to the threshold (10 %) that even 200 runs per side may not settle it)',
    );
  });

  it("reasons use the caller's formatter when given one", () => {
    const c = compareRuns([1024, 1030, 1020, 1028, 1026], [4096, 4100, 4090, 4110, 4080], {
      direction: 'lower-is-better',
      format: formatBytes,
    });
    expect(c.reasons[0]).toBe('Median 1.00 KB (5 runs) -> 4.00 KB (5 runs): +299 %.');
    expect(c.reasons.every((r) => r.length > 0 && r.endsWith('.'))).toBe(true);
  });
});
