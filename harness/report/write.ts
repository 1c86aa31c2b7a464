// Writing a run directory: reports/<scenario>/<run-id>/ with report.json, summary.md and
// report.html (samples.ndjson is streamed there during the run by samples-writer.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sample } from '../core/types.ts';
import type { RunReport } from './model.ts';
import { renderHtml } from './html.ts';
import { renderSummaryMd } from './summary-md.ts';

export const RUN_FILES = {
  samples: 'samples.ndjson',
  report: 'report.json',
  summary: 'summary.md',
  html: 'report.html',
} as const;

/**
 * A new, empty run directory. The id sorts by time (UTC, to the millisecond) and ends in a
 * random part; the directory is created exclusively, so two runs never share one.
 */
export function newRunDir(root: string, scenario: string, now: Date = new Date()): { dir: string; runId: string } {
  const parent = path.join(root, safeName(scenario));
  fs.mkdirSync(parent, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '-'); // 20260101T120000-123Z
  for (let attempt = 0; ; attempt += 1) {
    const runId = `${stamp}-${crypto.randomBytes(3).toString('hex')}`;
    const dir = path.join(parent, runId);
    try {
      fs.mkdirSync(dir);
      return { dir, runId };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw error;
    }
  }
}

/** A scenario name as one safe path segment. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return cleaned || 'scenario';
}

/** Write report.json, summary.md and report.html into `dir`; returns the file names (relative to dir). */
export async function writeReport(dir: string, report: RunReport, samples: Sample[]): Promise<RunReport['files']> {
  const files: RunReport['files'] = {
    ...RUN_FILES,
    ...(report.files?.diagnosis ? { diagnosis: report.files.diagnosis } : {}),
    ...(report.files?.local ? { local: report.files.local } : {}),
  };
  const full: RunReport = { ...report, files };
  await fs.promises.mkdir(dir, { recursive: true });
  // The JSON first: it is the record; the renderings can be rebuilt from it and the samples.
  await writeAtomic(path.join(dir, files.report), `${JSON.stringify(full, null, 2)}\n`);
  await writeAtomic(path.join(dir, files.summary), renderSummaryMd(full));
  await writeAtomic(path.join(dir, files.html), renderHtml(full, samples));
  return files;
}

/** Read back a report.json, refusing schema versions this code does not know. */
export function readReport(file: string): RunReport {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { schemaVersion?: unknown };
  if (parsed.schemaVersion !== 1) throw new Error(`${file}: unsupported report schemaVersion ${String(parsed.schemaVersion)}`);
  return parsed as RunReport;
}

/** Write to a side file and rename: a crash never leaves a half-written report behind. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, text, 'utf8');
  await fs.promises.rename(tmp, file);
}
