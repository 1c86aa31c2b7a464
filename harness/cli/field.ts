// `npm run field [-- --only <name,...>] [--sessions N] [--cap-min M] [--out <dir>] [--md <file>]`
// (or `-- --render <dir>`: docs/field.md again from a finished run's folder, e.g. after editing findings.ts):
// installs the field corpus (harness/field/plugins.ts) into the churnlab cache once, runs each
// plugin through the scenarios one at a time (sequential runs that stop once decided; `--sessions N`
// makes each a fixed run of N), and writes docs/field.md. Exit 0 when every run
// finished (whatever its verdict), 3 on bad input or a failed install, 5 when a run could not start.
import { cpus } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FIELD_DEFAULTS } from '../core/defaults.ts';
import { ensureFieldInstalled, fieldCacheDir } from '../field/install.ts';
import { fieldMarkdown, type FieldMeta } from '../field/markdown.ts';
import { partialObservation } from '../field/partial.ts';
import { FIELD_PLUGINS } from '../field/plugins.ts';
import { runField, slug, type FieldPluginResult } from '../field/run.ts';
import type { RunReport } from '../report/model.ts';

const USAGE =
  'usage: npm run field [-- --only <name,...>] [--sessions N] [--cap-min M] [--out <dir>] [--md <file>] | [-- --render <dir> [--md <file>]]';
const EXIT = { ok: 0, badInput: 3, harnessError: 5 } as const;
const log = (line: string) => process.stderr.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`churnlab field: ${message}\n${USAGE}\n`);
  process.exit(EXIT.badInput);
}

const args = parseArgs({
  options: {
    render: { type: 'string' },
    only: { type: 'string' },
    sessions: { type: 'string' },
    'cap-min': { type: 'string' },
    out: { type: 'string' },
    md: { type: 'string' },
    help: { type: 'boolean' },
  },
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
const only = args.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = only?.filter((name) => !FIELD_PLUGINS.some((p) => p.name === name)) ?? [];
if (unknown.length > 0)
  fail(`--only: not in the corpus: ${unknown.join(', ')} (the corpus: ${FIELD_PLUGINS.map((p) => p.name).join(', ')})`);
const plugins = only ? FIELD_PLUGINS.filter((p) => only.includes(p.name)) : FIELD_PLUGINS;
// Without --sessions each run is sequential: it stops once decided, as `npm run scenario` does.
const sessions = args.sessions === undefined ? undefined : Math.round(positive('--sessions', args.sessions, 0));
const runCapMs = positive('--cap-min', args['cap-min'], FIELD_DEFAULTS.runCapMs / 60_000) * 60_000;
const outDir = resolve(args.out ?? join('reports', 'field', new Date().toISOString().replace(/[:.]/g, '-')));
const mdFile = resolve(args.md ?? join('docs', 'field.md'));

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;

/** A finished run's results (field-results.json) with each run's report.json read back. */
function loadResults(dir: string): {
  results: FieldPluginResult[];
  meta: FieldMeta;
} {
  const file = join(dir, 'field-results.json');
  if (!existsSync(file)) fail(`--render ${dir}: no field-results.json there (the folder of a finished \`npm run field\`)`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { meta: FieldMeta; results: FieldPluginResult[] } | FieldPluginResult[];
  // The first field runs saved the results alone: their size is the defaults of the time.
  const saved = Array.isArray(raw)
    ? {
        results: raw,
        meta: {
          sessions: FIELD_DEFAULTS.firstRunsSessions,
          runCapMs: FIELD_DEFAULTS.runCapMs,
          date: new Date().toISOString().slice(0, 10),
          totalMs: raw.reduce((n, r) => n + r.runs.reduce((m, run) => m + run.durationMs, 0), 0),
        },
      }
    : raw;
  for (const r of saved.results) {
    for (const run of r.runs) {
      const reportDir = 'reportDir' in run.status ? run.status.reportDir : undefined;
      if (reportDir && existsSync(join(reportDir, 'report.json')))
        run.report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunReport;
      else run.partial = partialObservation(join(dir, slug(run.plugin.name), 'reports', run.scenario));
    }
  }
  return saved;
}

if (args.render) {
  const { results, meta } = loadResults(resolve(args.render));
  writeFileSync(mdFile, fieldMarkdown(results, { ...meta, machine }));
  log(`churnlab field: wrote ${mdFile} from ${args.render}`);
  process.stdout.write(`${mdFile}\n`);
  process.exit(EXIT.ok);
}

const install = await ensureFieldInstalled(FIELD_PLUGINS, log, fieldCacheDir());
if (!install.ok) {
  log(`churnlab field: ${install.reason}`);
  process.exit(EXIT.badInput);
}
mkdirSync(outDir, { recursive: true });
const started = Date.now();
const results = await runField({
  plugins,
  installDir: install.dir,
  outDir,
  ...(sessions !== undefined ? { sessions } : {}),
  runCapMs,
  log,
});
const totalMs = Date.now() - started;
const meta: FieldMeta = { ...(sessions !== undefined ? { sessions } : {}), runCapMs, date: new Date().toISOString().slice(0, 10), totalMs };
// Reports stay in their folders; the results keep where they are (--render reads them back).
const saved = results.map((r) => ({ ...r, runs: r.runs.map(({ report: _report, ...run }) => run) }));
writeFileSync(join(outDir, 'field-results.json'), JSON.stringify({ meta, results: saved }, null, 2));
writeFileSync(mdFile, fieldMarkdown(results, { ...meta, machine }));
log(`churnlab field: wrote ${mdFile}; runs and reports in ${outDir}`);
process.stdout.write(`${mdFile}\n`);
process.exitCode = results.some((r) => r.runs.some((run) => run.status.kind === 'crashed')) ? EXIT.harnessError : EXIT.ok;
