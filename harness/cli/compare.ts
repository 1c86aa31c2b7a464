// `churnlab compare --target <path> --base <git ref> [--head <ref>] [--scenario <name>]
//                   [--runs N] [--sessions N] [--seed N] [--alpha A] [--out <dir>]`
// Runs one scenario against the target at two git refs of the repository that holds it
// (interleaved runs, same seed) and compares the per-unit figures. --head defaults to the
// working tree as it is, uncommitted changes included.
// Exit codes: 0 no regression, 1 regression, 2 inconclusive (more runs suggested), 3 bad input,
// 4 a run's target failed, 5 harness error, 130 / 143 interrupted (comparison.json says so).
import { join, resolve } from 'node:path';
import { configScenarios, loadConfig } from '../config/load.ts';
import { pickScenario } from '../scenario/registry.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { compareRefs, interruptedComparisonText } from '../refs/compare-refs.ts';
import { CLI_DEFAULTS, PROFILE_DEFAULTS } from '../core/defaults.ts';
import { isEntry, parseCli, runCli, type CliContext } from './entry.ts';

const USAGE = `usage: churnlab compare --target <path> --base <git ref> [--head <ref>] [--scenario <name>] [--runs N] [--sessions N] [--seed N] [--alpha A] [--out <dir>] [--config <file>]
  --head defaults to the working tree as it is now; --scenario to leak-unclean-exit; --runs to ${PROFILE_DEFAULTS.compareRunsPerSide} per side.`;

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new BadInputError(`${flag} ${value}: expected a whole number > 0`);
  return n;
}

export async function main(argv: string[], { signal }: CliContext = { signal: new AbortController().signal }): Promise<number> {
  const args = parseCli(
    {
      args: argv,
      options: {
        target: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        scenario: { type: 'string' },
        runs: { type: 'string' },
        sessions: { type: 'string' },
        seed: { type: 'string' },
        alpha: { type: 'string' },
        out: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
  );
  if (!args) return EXIT.pass;
  const v = args.values;
  if (!v.target) throw new BadInputError(`--target is required: the plugin module in your repository.\n${USAGE}`);
  if (!v.base) throw new BadInputError(`--base is required: the git ref to compare against (e.g. main).\n${USAGE}`);
  const alpha = v.alpha === undefined ? undefined : Number(v.alpha);
  if (alpha !== undefined && !(alpha > 0 && alpha < 0.5))
    throw new BadInputError(`--alpha ${v.alpha}: expected a number in (0, 0.5), e.g. 0.01`);
  const seed = v.seed === undefined ? undefined : Number(v.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new BadInputError(`--seed ${v.seed}: expected a whole number`);
  const config = await loadConfig({ configFile: v.config });
  const scenario = pickScenario(await configScenarios(config), v.scenario ?? CLI_DEFAULTS.scenario);
  const outDir = v.out ? resolve(v.out) : join(config.outDir, 'compare', new Date().toISOString().replace(/[-:]/g, '').replace('.', '-'));

  process.stderr.write(`churnlab compare: ${scenario.name} on ${v.target}, ${v.base} -> ${v.head ?? '(working tree)'}\n`);
  const result = await compareRefs({
    target: v.target,
    base: v.base,
    ...(v.head ? { head: v.head } : {}),
    scenario,
    runsPerSide: wholeNumber('--runs', v.runs),
    sessions: wholeNumber('--sessions', v.sessions),
    ...(seed !== undefined ? { seed } : {}),
    ...(alpha !== undefined ? { alpha } : {}),
    outDir,
    onRun: (r) => process.stderr.write(`  ${r.side} run ${r.index}/${r.of}: exit ${r.exitCode}\n`),
    signal,
  });
  if (result.status === 'run-failed') {
    process.stderr.write(`churnlab compare: a ${result.side} run failed: ${result.message}\n  report: ${result.dir}\n`);
    return result.exitCode;
  }
  if (result.status === 'interrupted') {
    for (const m of result.metrics) process.stdout.write(`${m.line}\n`);
    const soFar = result.outcomeSoFar ? `so far ${result.outcomeSoFar}, not a verdict` : 'no comparison: a side has no finished run';
    process.stdout.write(`interrupted (${interruptedComparisonText(result)}; ${soFar})\n${outDir}\n`);
    return result.exitCode;
  }
  for (const m of result.metrics) process.stdout.write(`${m.line}\n`);
  process.stdout.write(`${result.outcome}${result.suggestion ? ` (next: ${result.suggestion})` : ''}\n${outDir}\n`);
  return result.exitCode;
}

// Only when run as the command (tests import compareRefs without starting it).
if (isEntry(import.meta.url)) runCli(main, 'churnlab', { interruptible: true });
