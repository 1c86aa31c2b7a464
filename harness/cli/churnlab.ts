// `churnlab <command> [flags]`: the one command a project runs (package.json `bin`, through
// bin/churnlab.mjs). Each command is the main() of its own module in this folder, loaded only
// when named, with that module's flags and exit codes (0 pass, 1 leak, 2 inconclusive, 3 bad
// input, 4 target error, 5 harness error).
import { BadInputError } from '../scenario/target-spec.ts';
import { isEntry, runCli, type CliContext } from './entry.ts';

type Main = (argv: string[], context: CliContext) => Promise<number>;

interface Command {
  summary: string;
  load(): Promise<Main>;
  /** Flags put before the user's (`list` is `run --list`). */
  prefix?: string[];
  /** A run that SIGINT/SIGTERM ends with a report (exit 128 + signal) rather than at once. */
  interruptible?: boolean;
}

const COMMANDS: Record<string, Command> = {
  run: {
    interruptible: true,
    summary: 'run one scenario against your target: churnlab run leak-unclean-exit --target ./src/plugin.ts',
    load: async () => (await import('./scenario.ts')).main,
  },
  list: {
    summary: "list the scenarios: built-in and your config's",
    load: async () => (await import('./scenario.ts')).main,
    prefix: ['--list'],
  },
  gate: {
    interruptible: true,
    summary: 'run the gate suite of churnlab.config.ts (budgets, speed baseline) for CI',
    load: async () => (await import('./gate.ts')).main,
  },
  compare: {
    interruptible: true,
    summary: 'compare your target at two git refs (base vs working tree)',
    load: async () => (await import('./compare.ts')).main,
  },
  load: {
    interruptible: true,
    summary: 'put a service target under HTTP load while its memory is sampled',
    load: async () => (await import('./load.ts')).main,
  },
  report: {
    summary: "report merge <dir>...: combine a CI matrix's gate directories",
    load: async () => (await import('./report.ts')).main,
  },
  selfcheck: {
    summary: 'prove on this machine that a planted leak is caught and an empty target stays flat',
    load: async () => (await import('./selfcheck.ts')).main,
  },
  opencode: { summary: 'opencode install: fetch the real `opencode serve` for --opencode real', load: async () => opencodeSubcommand },
  init: {
    summary: 'write churnlab.config.ts, a CI workflow and a .gitignore entry into this project',
    load: async () => (await import('./init.ts')).main,
  },
};

export const USAGE = `usage: churnlab <command> [flags]      (churnlab <command> --help for its flags)
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}
exit codes: 0 pass, 1 leak or breached budget, 2 inconclusive, 3 bad input, 4 target error, 5 harness error, 130/143 interrupted (SIGINT/SIGTERM)`;

async function opencodeSubcommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'install') return (await import('./opencode-install.ts')).main(rest);
  if (sub === '--help' || sub === '-h') {
    process.stdout.write('usage: churnlab opencode install\n');
    return 0;
  }
  throw new BadInputError(`${sub === undefined ? 'no subcommand' : `unknown subcommand "${sub}"`}; known: churnlab opencode install`);
}

export async function main(argv: string[], context: CliContext = { signal: new AbortController().signal }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new BadInputError(`no command.\n${USAGE}`);
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { PACKAGE_ROOT } = await import('../core/paths.ts');
    process.stdout.write(`${(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new BadInputError(`unknown command "${name}".\n${USAGE}`);
  return (await command.load())([...(command.prefix ?? []), ...rest], context);
}

if (isEntry(import.meta.url)) start(process.argv.slice(2));

/** What bin/churnlab.mjs calls with the command line. */
export function start(argv: string[]): void {
  const name = argv.find((arg) => arg !== '--');
  runCli(main, 'churnlab', {
    argv,
    interruptible: name !== undefined && Object.hasOwn(COMMANDS, name) && COMMANDS[name]!.interruptible === true,
  });
}
