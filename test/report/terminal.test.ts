// Terminal output: a short fixed-width verdict table and one progress line.
import { describe, expect, it } from 'vitest';
import { formatProgress, formatVerdictTable } from '../../harness/report/terminal.ts';
import { leakReport, leakySamples } from './fixtures.ts';

describe('formatVerdictTable', () => {
  const table = formatVerdictTable(leakReport());
  const lines = table.split('\n');

  it('heads the table with the run verdict, scenario and target', () => {
    expect(lines[0]).toBe('❌ LEAK  checkpoint-churn on checkpoint (leaky)');
  });

  it('shows expectation, verdict, estimate and limit in aligned columns', () => {
    expect(lines[1]).toMatch(/^Expectation\s+Verdict\s+Estimate\s+Limit$/);
    const fail = lines.find((l) => l.startsWith('FAIL'))!;
    const ok = lines.find((l) => l.startsWith('ok'))!;
    expect(fail).toMatch(/leak\s+\+1\.9 KB per session\s+≤ 256 B per session/);
    expect(ok).toMatch(/bounded\s+\+0 entries per session\s+≤ 50/);
    expect(fail.indexOf('leak')).toBe(ok.indexOf('bounded'));
  });

  it('cuts long descriptions so the table stays narrow', () => {
    const report = leakReport();
    report.expectations[0]!.description = 'x'.repeat(200);
    const width = Math.max(
      ...formatVerdictTable(report)
        .split('\n')
        .slice(1)
        .map((l) => [...l].length),
    );
    expect(width).toBeLessThan(130);
  });

  it('says so when no expectation was evaluated, and shows the error', () => {
    const out = formatVerdictTable(
      leakReport({ expectations: [], verdict: 'error', error: { kind: 'timeout', message: 'run passed 10 min' } }),
    );
    expect(out).toContain('(no expectation evaluated)');
    expect(out).toContain('error: timeout: run passed 10 min');
  });
});

describe('formatProgress', () => {
  const sample = leakySamples(50)[40]!;

  it('shows phase, work done of planned, heap, the largest collection and the sample count', () => {
    expect(formatProgress({ sample, unit: 'session', totalWork: 1000, samples: 41 })).toBe(
      '[churn] 400/1 000 sessions · heap 8.37 MB · checkpointStates 412 · 41 samples',
    );
  });

  it('fits the terminal width', () => {
    const line = formatProgress({ sample, unit: 'session', samples: 41, width: 30 });
    expect([...line]).toHaveLength(30);
    expect(line.endsWith('…')).toBe(true);
  });
});
