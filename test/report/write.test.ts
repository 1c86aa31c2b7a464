// The run directory: report.json is the record and reads back as written; run ids sort by
// time and never collide; renderings land next to it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newRunDir, readReport, writeReport } from '../../harness/report/write.ts';
import { overallVerdict } from '../../harness/core/outcome.ts';
import { leakReport, leakySamples } from './fixtures.ts';

const dirs: string[] = [];
function tempRoot(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-report-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('writeReport', () => {
  it('round-trips the report through report.json', async () => {
    const { dir } = newRunDir(tempRoot(), 'checkpoint-churn');
    const report = leakReport();
    const files = await writeReport(dir, report, leakySamples(100));
    expect(files).toEqual({ samples: 'samples.ndjson', report: 'report.json', summary: 'summary.md', html: 'report.html' });
    expect(readReport(path.join(dir, files.report))).toEqual({ ...report, files });
  });

  it('writes summary.md and report.html next to report.json, leaving no temp files', async () => {
    const { dir } = newRunDir(tempRoot(), 'x');
    await writeReport(dir, leakReport(), []);
    expect(fs.readdirSync(dir).sort()).toEqual(['report.html', 'report.json', 'summary.md']);
  });

  it('keeps the diagnosis file list the caller put in the report', async () => {
    const { dir } = newRunDir(tempRoot(), 'x');
    const base = leakReport();
    const files = await writeReport(dir, { ...base, files: { ...base.files, diagnosis: ['diagnosis/s1.heapsnapshot'] } }, []);
    expect(files.diagnosis).toEqual(['diagnosis/s1.heapsnapshot']);
  });

  it('refuses to read a report of an unknown schema version', () => {
    const file = path.join(tempRoot(), 'report.json');
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 2 }));
    expect(() => readReport(file)).toThrow(/schemaVersion 2/);
  });
});

describe('newRunDir', () => {
  it('creates reports/<scenario>/<run-id>/ with ids that sort by time', () => {
    const root = tempRoot();
    const a = newRunDir(root, 'churn', new Date('2026-01-01T09:59:59.999Z'));
    const b = newRunDir(root, 'churn', new Date('2026-01-01T10:00:00.000Z'));
    expect(path.dirname(a.dir)).toBe(path.join(root, 'churn'));
    expect(path.basename(a.dir)).toBe(a.runId);
    expect(a.runId).toMatch(/^20260101T095959-999Z-[0-9a-f]{6}$/);
    expect([b.runId, a.runId].sort()).toEqual([a.runId, b.runId]);
  });

  it('gives distinct directories to runs started in the same millisecond', () => {
    const root = tempRoot();
    const now = new Date('2026-01-01T10:00:00.000Z');
    const ids = new Set(Array.from({ length: 50 }, () => newRunDir(root, 'churn', now).dir));
    expect(ids.size).toBe(50);
  });

  it('turns a scenario name into one safe path segment', () => {
    const root = tempRoot();
    const { dir } = newRunDir(root, '../etc/pass wd');
    expect(path.dirname(path.dirname(dir))).toBe(root);
    expect(path.basename(path.dirname(dir))).toBe('etc-pass-wd');
  });
});

describe('overallVerdict', () => {
  const expectations = leakReport().expectations;
  const failedLeak = expectations[0]!;
  const passed = expectations[1]!;
  it('is pass when every expectation passed', () => {
    expect(overallVerdict([passed])).toBe('pass');
  });
  it('is leak when an expectation failed on a leak', () => {
    expect(overallVerdict([passed, failedLeak])).toBe('leak');
  });
  it('is inconclusive when the only failures are inconclusive', () => {
    expect(overallVerdict([passed, { ...passed, passed: false, verdict: 'inconclusive' }])).toBe('inconclusive');
  });
  it('is error whenever the run had an error', () => {
    expect(overallVerdict([passed], { kind: 'target-crash', message: 'exit 1' })).toBe('error');
  });
});
