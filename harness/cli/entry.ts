// What every churnlab command does around its main(): the arguments as npm hands them over, and
// the exit code from how main ended (the README's CLI contract).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RunReport } from '../report/model.ts';
import { CLI_DEFAULTS } from '../core/defaults.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { isInterruptExitCode } from '../core/interrupt.ts';
import { handleInterrupts } from './interrupt.ts';

/** What a command's main gets besides its arguments. */
export interface CliContext {
  /**
   * Aborted by the first SIGINT or SIGTERM (harness/cli/interrupt.ts) when the command is
   * interruptible: hand it to the run. Other commands keep Node's default (the signal ends them).
   */
  signal: AbortSignal;
}

/**
 * Run `main` on this process's arguments and set the exit code: main's own, 3 with the message
 * for bad input, 5 with the stack for anything else. `npm run x -- --flag` reaches us without
 * the `--`, but the same line typed to tsx (or a doubled `--` through npm) keeps it: accept both.
 * With `interruptible`, SIGINT and SIGTERM abort `context.signal` instead of ending the process:
 * the run reports what it knew and exits 128 + the signal's number.
 */
export function runCli(
  main: (argv: string[], context: CliContext) => Promise<number>,
  prefix = 'churnlab',
  options: { interruptible?: boolean; argv?: string[] } = {},
): void {
  const signal = options.interruptible
    ? handleInterrupts((line) =>
        process.stderr.write(`
${line}
`),
      )
    : new AbortController().signal;
  main(
    (options.argv ?? process.argv.slice(2)).filter((arg) => arg !== '--'),
    { signal },
  ).then(
    (code) => {
      process.exitCode = code;
      if (isInterruptExitCode(code)) setTimeout(() => process.exit(code), CLI_DEFAULTS.interruptedExitAfterMs).unref();
    },
    (e: unknown) => {
      if (e instanceof BadInputError) {
        process.stderr.write(`${prefix}: ${e.message}\n`);
        process.exitCode = EXIT.badInput;
      } else {
        process.stderr.write(`${prefix}: internal error: ${(e as Error).stack ?? String(e)}\n`);
        process.exitCode = EXIT.harnessError;
      }
    },
  );
}

/** True when the module at `moduleUrl` is the script node was started with (not imported by the dispatcher). */
export function isEntry(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/** A run that ended in an error: what happened, the target's last stderr lines, and what was kept. */
export function printRunError(error: NonNullable<RunReport['error']>): void {
  process.stderr.write(`\nchurnlab: ${error.kind}: ${error.message}\n`);
  if (error.stderrTail) process.stderr.write(`--- target stderr (last lines) ---\n${error.stderrTail}\n`);
  process.stderr.write('The samples taken so far and a partial report are kept.\n');
}

/**
 * A command's flags by node:util's parseArgs, as every churnlab command takes them: a flag it does
 * not know, or a value where none belongs, is bad input followed by the usage; `--help` prints the
 * usage and returns undefined, and main then ends with exit 0.
 */
export function parseCli<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> | undefined {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    throw new BadInputError(`${(e as Error).message}\n${usage}`);
  }
  if ((parsed.values as { help?: unknown }).help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  return parsed;
}
