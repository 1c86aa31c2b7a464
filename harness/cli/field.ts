// `npm run field [-- --only <name,...>] [--sessions N] [--cap-min M] [--out <dir>] [--md <file>]`:
// installs the field corpus (harness/field/plugins.ts) into the churnlab cache once, runs each
// plugin through the scenarios one at a time, and writes docs/field.md. Exit 0 when every run
// finished (whatever its verdict), 3 on bad input or a failed install, 5 when a run could not start.
import { cpus } from 'node:os';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FIELD_DEFAULTS } from '../field/defaults.ts';
import { ensureFieldInstalled, fieldCacheDir } from '../field/install.ts';
import { fieldMarkdown } from '../field/markdown.ts';
import { FIELD_PLUGINS } from '../field/plugins.ts';
import { runField } from '../field/run.ts';

const USAGE = 'usage: npm run field [-- --only <name,...>] [--sessions N] [--cap-min M] [--out <dir>] [--md <file>]';
const EXIT = { ok: 0, badInput: 3, harnessError: 5 } as const;
const log = (line: string) => process.stderr.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`churnlab field: ${message}\n${USAGE}\n`);
  process.exit(EXIT.badInput);
}

const args = parseArgs({
  options: { only: { type: 'string' }, sessions: { type: 'string' }, 'cap-min': { type: 'string' }, out: { type: 'string' }, md: { type: 'string' }, help: { type: 'boolean' } },
  allowPositionals: false,
  strict: true,
}).values;
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(EXIT.ok);
}
const positive = (flag: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`${flag} must be a positive number, got "${value}"`);
  return n;
};
const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only?.filter((name) => !FIELD_PLUGINS.some((p) => p.name === name)) ?? [];
if (unknown.length > 0) fail(`--only: not in the corpus: ${unknown.join(', ')} (the corpus: ${FIELD_PLUGINS.map((p) => p.name).join(', ')})`);
const plugins = only ? FIELD_PLUGINS.filter((p) => only.includes(p.name)) : FIELD_PLUGINS;
const sessions = Math.round(positive('--sessions', args.sessions, FIELD_DEFAULTS.sessions));
const runCapMs = positive('--cap-min', args['cap-min'], FIELD_DEFAULTS.runCapMs / 60_000) * 60_000;
const outDir = resolve(args.out ?? join('reports', 'field', new Date().toISOString().replace(/[:.]/g, '-')));
const mdFile = resolve(args.md ?? join('docs', 'field.md'));

const install = await ensureFieldInstalled(FIELD_PLUGINS, log, fieldCacheDir());
if (!install.ok) {
  log(`churnlab field: ${install.reason}`);
  process.exit(EXIT.badInput);
}
mkdirSync(outDir, { recursive: true });
const started = Date.now();
const results = await runField({ plugins, installDir: install.dir, outDir, sessions, runCapMs, log });
const totalMs = Date.now() - started;
writeFileSync(join(outDir, 'field-results.json'), JSON.stringify(results.map((r) => ({ ...r, runs: r.runs.map(({ report, ...run }) => ({ ...run, reportDir: 'reportDir' in run.status ? run.status.reportDir : undefined, verdict: report?.verdict })) })), null, 2));
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;
writeFileSync(mdFile, fieldMarkdown(results, { sessions, runCapMs, machine, date: new Date().toISOString().slice(0, 10), totalMs }));
log(`churnlab field: wrote ${mdFile}; runs and reports in ${outDir}`);
process.stdout.write(`${mdFile}\n`);
process.exitCode = results.some((r) => r.runs.some((run) => run.status.kind === 'crashed')) ? EXIT.harnessError : EXIT.ok;
