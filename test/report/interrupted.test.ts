// An interrupted run reads as interrupted everywhere (terminal, summary.md, report.html): the
// signal, how far it got, and the expectations' verdicts marked as a verdict so far.
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../harness/report/html.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { renderSummaryMd } from '../../harness/report/summary-md.ts';
import { formatVerdictTable } from '../../harness/report/terminal.ts';
import { leakReport, leakySamples } from './fixtures.ts';

function interruptedReport(): RunReport {
  return leakReport({
    verdict: 'interrupted',
    exitCode: 143,
    diagnosis: undefined,
    interrupted: {
      signal: 'SIGTERM',
      afterMs: 83_000,
      phase: 'churn',
      workDone: { message: 9600, session: 1200 },
      samples: 48,
      verdictSoFar: 'leak',
      notes: ['Abandoned in flight: sessions.run.'],
    },
  });
}

describe('an interrupted run in every output', () => {
  it('terminal: the verdict line, then the signal and how far it got, the verdict so far, the table "so far"', () => {
    const lines = formatVerdictTable(interruptedReport()).split('\n');
    expect(lines[0]).toBe('⏹️ INTERRUPTED  checkpoint-churn on checkpoint (leaky)');
    expect(lines[1]).toBe('Interrupted by SIGTERM after 1 min 23 s, in phase churn: 1 200 sessions, 9 600 messages, 48 samples.');
    expect(lines[2]).toMatch(
      /^Verdict so far: leak \(on the samples taken before the signal; not the run's verdict: an interrupted run never passes\)\.$/,
    );
    expect(lines[3]).toBe('Abandoned in flight: sessions.run.');
    expect(lines[4]).toMatch(/^Expectation\s+So far\s+Estimate\s+Limit$/);
  });

  it('summary.md: headed interrupted with exit 143, an Interrupted section, the expectations as verdicts so far', () => {
    const md = renderSummaryMd(interruptedReport());
    expect(md).toMatch(/^## ⏹️ interrupted · `checkpoint-churn`/);
    expect(md).toContain('exit code 143');
    expect(md).toContain(
      '### ⏹️ Interrupted\n\n**Interrupted by SIGTERM after 1 min 23 s, in phase churn: 1 200 sessions, 9 600 messages, 48 samples.**',
    );
    expect(md).toContain('| | Expectation | Verdict so far | Estimate | Limit | Why |');
  });

  it('report.html: the interrupted badge and section', () => {
    const html = renderHtml(interruptedReport(), leakySamples(48));
    expect(html).toContain('<span class="badge v-interrupted">⏹️ interrupted</span>');
    expect(html).toContain('<h2>Interrupted</h2><p><b>Interrupted by SIGTERM after 1 min 23 s');
    expect(html).toContain('<th>Verdict so far</th>');
  });

  it('a run that was not interrupted shows none of it', () => {
    const report = leakReport();
    expect(formatVerdictTable(report)).not.toMatch(/Interrupted|So far/);
    expect(renderSummaryMd(report)).not.toMatch(/Interrupted|so far/);
  });
});
