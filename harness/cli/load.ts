// `churnlab load [--target <service module>] [--profile hooks|daemon] [--opencode-api]
//   [--scenario-options '<json>'] [--ttl-ms N] [--duration-s N] [--max-requests N]
//   [--connections N] [--sessions N] [--virtual-ms-per-request N] [--out <dir>] [--no-diagnose]`
// Load on a service target with autocannon while the harness samples its memory. Exit codes as
// `npm run scenario` (EXIT in harness/core/exit.ts), 130 / 143 when interrupted. Progress on stderr; the verdict table, the
// load table and, as the very last line, the report directory on stdout.
import { resolve } from 'node:path';
import { formatProgress, formatVerdictTable } from '../report/terminal.ts';
import { formatLoadTable } from '../report/load-section.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { runLoad } from '../load/run.ts';
import { LOAD_DEFAULTS } from '../core/defaults.ts';
import { PROFILES, type ProfileName } from '../load/profiles.ts';
import { isEntry, parseCli, printRunError, runCli, type CliContext } from './entry.ts';

const USAGE = `usage: churnlab load [--target <service module>] [--profile ${PROFILES.join('|')}] [--opencode-api]
         [--scenario-options '<json>'] [--ttl-ms N] [--duration-s N] [--max-requests N] [--connections N]
         [--sessions N] [--virtual-ms-per-request N] [--samples N] [--windows N] [--min-heap-bytes-per-request N]
         [--request-timeout-s N] [--max-error-rate SHARE] [--seed N] [--out <dir>] [--no-diagnose]
defaults: target ${LOAD_DEFAULTS.target} (--opencode-api: ${LOAD_DEFAULTS.opencodeApiTarget}), profile daemon,
          ${LOAD_DEFAULTS.durationMs / 1000} s and ${LOAD_DEFAULTS.maxRequests} requests (whichever comes first), ${LOAD_DEFAULTS.connections} connections,
          ${LOAD_DEFAULTS.sessions} live sessions, ${LOAD_DEFAULTS.virtualMsPerRequest} ms of virtual time per request,
          ${LOAD_DEFAULTS.requestTimeoutS} s request timeout, no unexpected error allowed (--max-error-rate ${LOAD_DEFAULTS.maxUnexpectedErrorRate})`;

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new BadInputError(`${flag} ${value}: expected a number`);
  return n;
}

function json(flag: string, value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw new BadInputError(`${flag}: expected a JSON object such as '{"ttlMs":1200000}', got ${value} (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BadInputError(`${flag}: expected a JSON object, got ${value}`);
  return parsed as Record<string, unknown>;
}

const LOAD_CLI_OPTIONS = {
  target: { type: 'string' },
  profile: { type: 'string' },
  'opencode-api': { type: 'boolean' },
  'scenario-options': { type: 'string' },
  'ttl-ms': { type: 'string' },
  'duration-s': { type: 'string' },
  'max-requests': { type: 'string' },
  connections: { type: 'string' },
  sessions: { type: 'string' },
  'virtual-ms-per-request': { type: 'string' },
  samples: { type: 'string' },
  'min-heap-bytes-per-request': { type: 'string' },
  'request-timeout-s': { type: 'string' },
  'max-error-rate': { type: 'string' },
  windows: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  'no-diagnose': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type LoadCliValues = NonNullable<
  ReturnType<typeof parseCli<{ args: string[]; allowPositionals: false; options: typeof LOAD_CLI_OPTIONS }>>
>['values'];
type LoadRunOptions = NonNullable<Parameters<typeof runLoad>[0]>;

export async function main(argv: string[], { signal }: CliContext = { signal: new AbortController().signal }): Promise<number> {
  const args = parseCli({ args: argv, allowPositionals: false, options: LOAD_CLI_OPTIONS }, USAGE);
  if (!args) return EXIT.pass;
  const v = args.values;
  const { profile, serviceOptions, durationS } = profileAndServiceOptions(v);

  process.stderr.write(`churnlab load: ${v.target ?? 'default target'} (${profile ?? 'daemon'} profile)\n`);
  const { report, dir, exitCode } = await runLoad({
    target: v.target,
    profile,
    serviceOptions,
    durationMs: durationS === undefined ? undefined : durationS * 1000,
    ...loadLimits(v),
    outRoot: v.out ? resolve(v.out) : undefined,
    diagnose: !v['no-diagnose'],
    commandLine: `npx churnlab load ${argv.join(' ')}`,
    signal,
    onProgress: progressPrinter(),
  });
  printLoadOutcome(report, dir);
  return exitCode;
}

/** The profile (--opencode-api is one), the service's options (--ttl-ms among them) and --duration-s, checked. */
function profileAndServiceOptions(v: LoadCliValues): {
  profile: ProfileName | undefined;
  serviceOptions: Record<string, unknown>;
  durationS: number | undefined;
} {
  if (v['opencode-api'] && v.profile && v.profile !== 'opencode-api')
    throw new BadInputError(`--opencode-api and --profile ${v.profile} contradict each other`);
  const profile = (v['opencode-api'] ? 'opencode-api' : v.profile) as ProfileName | undefined;
  if (profile !== undefined && !PROFILES.includes(profile))
    throw new BadInputError(`--profile ${profile}: expected one of ${PROFILES.join(', ')}`);
  const serviceOptions = json('--scenario-options', v['scenario-options']);
  const ttlMs = num('--ttl-ms', v['ttl-ms']);
  if (ttlMs !== undefined) serviceOptions.ttlMs = ttlMs;
  const durationS = num('--duration-s', v['duration-s']);
  return { profile, serviceOptions, durationS };
}

/** The numeric flags, in the order they are checked. */
function loadLimits(v: LoadCliValues): Partial<LoadRunOptions> {
  return {
    maxRequests: num('--max-requests', v['max-requests']),
    connections: num('--connections', v.connections),
    sessions: num('--sessions', v.sessions),
    virtualMsPerRequest: num('--virtual-ms-per-request', v['virtual-ms-per-request']),
    samples: num('--samples', v.samples),
    windows: num('--windows', v.windows),
    minHeapBytesPerRequest: num('--min-heap-bytes-per-request', v['min-heap-bytes-per-request']),
    requestTimeoutS: num('--request-timeout-s', v['request-timeout-s']),
    maxUnexpectedErrorRate: num('--max-error-rate', v['max-error-rate']),
    seed: num('--seed', v.seed),
  };
}

/** Progress on stderr: each phase's first sample, then at most one line every 2 s. */
function progressPrinter(): NonNullable<LoadRunOptions['onProgress']> {
  let samples = 0;
  let lastPrintMs = 0;
  let phase: string | undefined;
  return (p) => {
    samples += 1;
    // Every phase's first sample is shown, so a reader (or a script) sees each phase begin.
    const newPhase = p.phase !== phase;
    phase = p.phase;
    if (!newPhase && Date.now() - lastPrintMs < 2000) return;
    lastPrintMs = Date.now();
    process.stderr.write(`${formatProgress({ sample: p.sample, unit: p.unit, samples })}\n`);
  };
}

function printLoadOutcome(report: Awaited<ReturnType<typeof runLoad>>['report'], dir: string): void {
  if (report.error) printRunError(report.error);
  if (report.load) process.stdout.write(`${formatLoadTable(report.load)}\n\n`);
  process.stdout.write(`${formatVerdictTable(report)}\n`);
  // The failed requests in a sentence: a verdict table alone would read like a memory finding.
  const errors = report.expectations.find((e) => e.id === 'errors-within-budget');
  if (errors && !errors.passed) process.stdout.write(`requests failed: ${errors.reasons[0] ?? ''}\n`);
  process.stdout.write(`${dir}\n`);
}

if (isEntry(import.meta.url)) runCli(main, 'churnlab', { interruptible: true });
