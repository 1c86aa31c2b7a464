// Correctness checks read as checks in every output: a failed check says `fail` with its count,
// a held one `pass`, and neither ever says `leak` or `bounded` (people read those as memory). The
// run's own verdict and exit code stay those of a failed expectation.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeGates } from '../../harness/gate/merge.ts';
import { renderGateHtml } from '../../harness/gate/html.ts';
import { renderGateSummaryMd } from '../../harness/gate/summary-md.ts';
import { renderHtml } from '../../harness/report/html.ts';
import { overallVerdict } from '../../harness/core/outcome.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { renderSummaryMd } from '../../harness/report/summary-md.ts';
import { formatVerdictTable } from '../../harness/report/terminal.ts';
import { evaluateExpectations, expectChecksPass, type CheckFinding } from '../../harness/scenario/expect.ts';
import { describeVerdict } from '../../harness/vitest/matchers.ts';
import { leakReport } from './fixtures.ts';

const FAILED = 'follow-ups reach their session';
const HELD = 'the idle reaper stops threads';

function checkReport(): RunReport {
  const findings: CheckFinding[] = [
    { check: 'same-session', ok: false, detail: 'thread t1 (after idle reap 1): follow-up went to a new session.' },
    ...Array.from({ length: 40 }, (_, i) => ({ check: 'reaper-stops', ok: true, detail: `thread t${i} was stopped after 30 min idle.` })),
  ];
  const { results } = evaluateExpectations(
    [expectChecksPass('same-session', FAILED), expectChecksPass('reaper-stops', HELD)],
    [],
    'session',
    findings,
  );
  const verdict = overallVerdict(results);
  return leakReport({ expectations: results, verdict, exitCode: verdict === 'leak' ? 1 : 0, topCollections: [], caps: [] });
}

/** The lines of a rendered output that speak of one expectation. */
const linesAbout = (text: string, description: string) => text.split('\n').filter((l) => l.includes(description));

describe('correctness checks', () => {
  const report = checkReport();

  it('are judged pass / fail with counts, as a check kind, in report.json', () => {
    const json = JSON.parse(JSON.stringify(report)) as RunReport;
    const [failed, held] = json.expectations;
    expect(failed).toMatchObject({
      kind: 'check',
      verdict: 'fail',
      passed: false,
      estimate: '1 of 1 failed',
      checks: { total: 1, failed: 1 },
    });
    expect(held).toMatchObject({
      kind: 'check',
      verdict: 'pass',
      passed: true,
      estimate: '40 of 40 passed',
      checks: { total: 40, failed: 0 },
    });
    expect(failed!.reasons[0]).toMatch(/^1 of 1 same-session checks failed\. thread t1/);
    expect(held!.reasons[0]).toBe('All 40 reaper-stops checks passed.');
  });

  it('still fail the run with exit 1, as any failed expectation does', () => {
    expect(report.verdict).toBe('leak');
    expect(report.exitCode).toBe(1);
  });

  it('read fail / pass with their counts in the terminal table, summary.md, report.html and the vitest message', () => {
    const outputs: Record<string, string> = {
      terminal: formatVerdictTable(report),
      summary: renderSummaryMd(report),
      html: renderHtml(report, []),
      vitest: describeVerdict(report),
    };
    for (const [name, text] of Object.entries(outputs)) {
      const failed = linesAbout(text, FAILED).join('\n');
      const held = linesAbout(text, HELD).join('\n');
      expect(failed, name).toMatch(/\bfail\b/);
      expect(failed, name).toContain('1 of 1 failed');
      expect(held, name).toMatch(/\bpass\b/);
      expect(held, name).toContain('40 of 40 passed');
      expect(`${failed}\n${held}`, name).not.toMatch(/\bleak\b|\bbounded\b/);
    }
  });

  it('read fail with the count in the gate outputs (summary.md, index.html) of a merged run', () => {
    const runDir = mkdtempSync(join(tmpdir(), 'churnlab-checks-'));
    writeFileSync(join(runDir, 'report.json'), JSON.stringify(report));
    const gate = mergeGates([runDir], {
      outDir: mkdtempSync(join(tmpdir(), 'churnlab-checks-gate-')),
      commandLine: 'npm run report -- merge',
    });
    expect(gate.entries[0]!.headline).toBe(`fail: ${FAILED} (1 of 1 failed)`);
    expect(gate.entries[0]!.runs[0]!.failed).toEqual([expect.objectContaining({ verdict: 'fail', estimate: '1 of 1 failed' })]);
    // The run's own verdict (a column of its own) stays the run's; the check's words are its own.
    for (const text of [renderGateSummaryMd(gate), renderGateHtml(gate)]) {
      const failed = linesAbout(text, FAILED).join('\n');
      expect(failed).toContain(`fail: ${FAILED}`);
      expect(failed).toContain('1 of 1 failed');
      expect(failed).not.toMatch(new RegExp(`(leak|bounded):? ${FAILED}`));
    }
  });
});
