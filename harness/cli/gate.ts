// `churnlab gate [--only <id>[,<id>]] [--config <file>] [--out <dir>] [--runs N] [--update-baseline]`
// `churnlab gate --list [--json]`  (entry ids, e.g. for a CI matrix; `npm run gate -- ...` here)
// Runs the gate suite of churnlab.config.* (found from the working directory up, or --config):
// every entry's runs, memory budgets, speed against the baseline. Writes gate.json, summary.md
// (also appended to $GITHUB_STEP_SUMMARY when set) and index.html. Exit codes as a scenario run:
// 0 pass, 1 leak / breached budget / failing speed regression, 2 inconclusive, 3 bad input,
// 4 target error, 5 harness error, 130 / 143 interrupted; an interrupt outranks an error, which
// outranks a leak.
import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configScenarios, loadConfig } from '../config/load.ts';
import { prepareSuite } from '../gate/prepare.ts';
import { GATE_FILES, runGate } from '../gate/run.ts';
import { STATUS_ICON } from '../gate/summary-md.ts';
import { newRunDir } from '../report/write.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { isEntry, parseCli, runCli, type CliContext } from './entry.ts';

const USAGE = `usage: churnlab gate [--only <id>[,<id>...]] [--config <file>] [--out <dir>] [--runs N] [--update-baseline]
       churnlab gate --list [--json]`;

export async function main(argv: string[], { signal }: CliContext): Promise<number> {
  const args = parseCli(
    {
      args: argv,
      allowPositionals: false,
      options: {
        only: { type: 'string', multiple: true },
        config: { type: 'string' },
        out: { type: 'string' },
        runs: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
  );
  if (!args) return EXIT.pass;
  const runs = args.values.runs === undefined ? undefined : Number(args.values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0))
    throw new BadInputError(`--runs ${args.values.runs}: expected a whole number > 0`);
  const config = await loadConfig({ configFile: args.values.config });
  const source = config.file ?? 'churnlab.config.ts';
  if (!config.gate) {
    throw new BadInputError(
      config.file
        ? `${config.file}: no gate suite; expected defineConfig({ gate: { entries: [...] } }).`
        : `no churnlab.config.{ts,mts,js,mjs} in ${process.cwd()} or above; pass --config <file>.`,
    );
  }
  const only = (args.values.only ?? [])
    .flatMap((o) => o.split(','))
    .map((o) => o.trim())
    .filter(Boolean);
  const entries = prepareSuite(config.gate, {
    source,
    baseDir: config.dir,
    scenarios: await configScenarios(config),
    defaultTargets: config.targets,
    budgets: config.budgets,
    only,
  });
  if (args.values.list) {
    const ids = entries.map((e) => e.id);
    process.stdout.write(
      args.values.json ? `${JSON.stringify(ids)}\n` : ids.map((id, i) => `${id.padEnd(28)} ${entries[i]!.name}\n`).join(''),
    );
    return EXIT.pass;
  }
  const dir = args.values.out ? resolve(args.values.out) : newRunDir(config.outDir, 'gate').dir;
  const report = await runGate(entries, {
    dir,
    baselineFile: config.baselineFile,
    updateBaseline: args.values['update-baseline'],
    runsOverride: runs,
    configFile: config.file,
    only,
    commandLine: `npx churnlab gate${argv.length ? ` ${argv.join(' ')}` : ''}`,
    log: (line) => process.stderr.write(`${line}\n`),
    signal,
  });
  const summary = join(dir, GATE_FILES.summary);
  if (process.env.GITHUB_STEP_SUMMARY) {
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, readFileSync(summary, 'utf8'));
  }
  for (const e of report.entries) process.stdout.write(`${STATUS_ICON[e.status]} ${e.id.padEnd(28)} exit ${e.exitCode}  ${e.headline}\n`);
  process.stdout.write(`churnlab gate: ${report.headline}\n${dir}\n`);
  return report.exitCode;
}

if (isEntry(import.meta.url)) runCli(main, 'churnlab gate', { interruptible: true });
