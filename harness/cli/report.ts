// `churnlab report merge <dir>... [--out <dir>] [--expect <id>[,<id>...]]`
// Combines gate directories (a CI matrix's artifacts) and run directories into one gate.json,
// summary.md (appended to $GITHUB_STEP_SUMMARY when set) and index.html that links every run's
// report. Exits with the combined gate exit code (0 pass, 1 fail, 2 inconclusive, 3-5 errors).
import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { mergeGates } from '../gate/merge.ts';
import { GATE_FILES } from '../gate/run.ts';
import { newRunDir } from '../report/write.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { isEntry, parseCli, runCli } from './entry.ts';

const USAGE = 'usage: churnlab report merge <dir>... [--out <dir>] [--expect <id>[,<id>...]] [--config <file>]';

export async function main(argv: string[]): Promise<number> {
  const args = parseCli(
    {
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        expect: { type: 'string', multiple: true },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
  );
  if (!args) return EXIT.pass;
  const [command, ...dirs] = args.positionals;
  if (command !== 'merge')
    throw new BadInputError(`${command === undefined ? 'no command' : `unknown command "${command}"`}; known commands: merge.\n${USAGE}`);
  const out = args.values.out
    ? resolve(args.values.out)
    : newRunDir((await loadConfig({ configFile: args.values.config })).outDir, 'merged').dir;
  const expect = (args.values.expect ?? [])
    .flatMap((e) => e.split(','))
    .map((e) => e.trim())
    .filter(Boolean);
  const merged = mergeGates(dirs, { outDir: out, commandLine: `npx churnlab report ${argv.join(' ')}`, expect });
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, readFileSync(join(out, GATE_FILES.summary), 'utf8'));
  process.stdout.write(`churnlab report merge: ${merged.headline}\n${out}\n`);
  return merged.exitCode;
}

if (isEntry(import.meta.url)) runCli(main, 'churnlab report');
