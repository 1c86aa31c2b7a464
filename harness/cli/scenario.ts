// `churnlab run <name> [--target <path|package>] [--sessions N | --max-sessions N] [--out <dir>] [--seed N]`
// `churnlab list` (`npm run scenario <name> -- ...`, `npm run scenario -- --list` in this repository)
// Scenarios: the built-in ones and those the config lists (churnlab.config.* or --config).
// Exit codes: 0 every expectation holds, 1 leak or broken expectation, 2 inconclusive,
// 3 bad input, 4 target error (threw at load, crashed, hung, out of memory), 5 harness error,
// 130 / 143 interrupted by SIGINT / SIGTERM (the samples so far judged, the report written).
// Progress goes to stderr; the verdict table and, as the very last line, the report directory
// go to stdout, so scripts can take the last line.
import { resolve } from 'node:path';
import { configScenarios, loadConfig, scenarioDefaults } from '../config/load.ts';
import { formatProgress, formatVerdictTable } from '../report/terminal.ts';
import { pickScenario } from '../scenario/registry.ts';
import { runScenario, type Progress } from '../scenario/run.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { parseParamFlags } from '../scenario/params.ts';
import { parseOpenCodeMode } from '../opencode-real/select.ts';
import { LOCAL_FLAGS, LOCAL_USAGE, localOptionsFromFlags, normaliseHoldFlag } from '../profile/cli-options.ts';
import { isEntry, parseCli, printRunError, runCli, type CliContext } from './entry.ts';

const USAGE = `usage: churnlab run <name> [--target <path|package> | --command "<cmd>"] [--sessions N | --max-sessions N] [--param name=value ...] [--out <dir>] [--seed N] [--no-diagnose] [--config <file>] [--opencode mock|real]
${LOCAL_USAGE}
       churnlab list [--config <file>]
(in churnlab's own repository: npm run scenario <name> -- [flags]; npm run scenario -- --list)`;

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new BadInputError(`${flag} ${value}: expected a whole number > 0`);
  return n;
}

function progressPrinter(): (p: Progress) => void {
  const tty = process.stderr.isTTY;
  let lastPrintMs = 0;
  let samples = 0;
  let phase: string | undefined;
  return (p) => {
    samples += 1;
    const line = formatProgress({ sample: p.sample, unit: p.unit, samples, width: tty ? process.stderr.columns : undefined });
    // A log shows every phase's first sample, so a reader (or a script) sees each phase begin.
    const newPhase = p.phase !== phase;
    phase = p.phase;
    if (tty) {
      process.stderr.write(`\r\x1b[2K${line}`);
    } else if (newPhase || Date.now() - lastPrintMs > 2000) {
      lastPrintMs = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
}

export async function main(argv: string[], { signal }: CliContext = { signal: new AbortController().signal }): Promise<number> {
  const args = parseCli(
    {
      args: normaliseHoldFlag(argv),
      allowPositionals: true,
      options: {
        list: { type: 'boolean' },
        target: { type: 'string' },
        command: { type: 'string' },
        param: { type: 'string', multiple: true },
        sessions: { type: 'string' },
        'max-sessions': { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        'no-diagnose': { type: 'boolean' },
        config: { type: 'string' },
        opencode: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...LOCAL_FLAGS,
      },
    },
    USAGE,
  );
  if (!args) return EXIT.pass;
  // churnlab.config.* (found from the working directory up, or --config): the user's scenarios,
  // the reports root and the scenario's default target, when the command line names neither.
  const config = await loadConfig({ configFile: args.values.config });
  const scenarios = await configScenarios(config);
  if (args.values.list) {
    for (const s of scenarios) process.stdout.write(`${s.name.padEnd(24)} ${s.summary}\n`);
    return EXIT.pass;
  }
  const [name, ...extra] = args.positionals;
  if (!name) throw new BadInputError(`no scenario named.\n${USAGE}`);
  if (extra.length > 0) throw new BadInputError(`unexpected arguments: ${extra.join(' ')}\n${USAGE}`);
  const scenario = pickScenario(scenarios, name);
  const seed = args.values.seed === undefined ? undefined : Number(args.values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new BadInputError(`--seed ${args.values.seed}: expected a whole number`);

  const params = parseParamFlags(args.values.param ?? [], scenario.params as unknown as Record<string, unknown>, scenario.name);
  const opencode = parseOpenCodeMode(args.values.opencode);
  if (args.values.opencode !== undefined && opencode === undefined)
    throw new BadInputError(`--opencode ${args.values.opencode}: expected mock or real`);

  const fromConfig = config.file ? scenarioDefaults(config, scenario.name) : undefined;
  const local = localOptionsFromFlags(args.values, Boolean(process.stdin.isTTY));
  if (local.problem) throw new BadInputError(local.problem);

  process.stderr.write(`churnlab: ${scenario.name}: ${scenario.summary}\n`);
  const progress = progressPrinter();
  const { report, dir, exitCode } = await runScenario(scenario, {
    target: args.values.target ?? (args.values.command ? undefined : fromConfig?.target),
    command: args.values.command,
    params,
    sessions: positiveInt('--sessions', args.values.sessions),
    maxSessions: positiveInt('--max-sessions', args.values['max-sessions']),
    seed,
    outRoot: args.values.out ? resolve(args.values.out) : fromConfig?.outRoot,
    diagnose: !args.values['no-diagnose'],
    commandLine: `npx churnlab run ${argv.join(' ')}`,
    onProgress: progress,
    opencode,
    log: (line) => process.stderr.write(`${line}\n`),
    local: local.options,
    signal,
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (report.error) printRunError(report.error);
  process.stdout.write(`${formatVerdictTable(report)}\n`);
  process.stdout.write(`${dir}\n`);
  return exitCode;
}

if (isEntry(import.meta.url)) runCli(main, 'churnlab', { interruptible: true });
