// An interrupted run (SIGTERM from a CI timeout, Ctrl-C) ends with a report: the CLI stops
// driving, judges the samples so far, writes report.json marked interrupted, prints the report
// folder last, exits 128 + the signal's number, and leaves no child process behind. A second
// signal exits at once. Runs are sized to never end by themselves: only the signal ends them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { processTree } from '../../harness/observe/proc-tree.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';

interface Cli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr has a line matching `pattern`; rejects if the CLI exits first. */
  waitForStderr(pattern: RegExp): Promise<void>;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];
// A test that failed before its CLI ended must not leave it running (its target's watchdog follows it).
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startCli(script: string, args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'harness/cli', script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const w of [...waiters]) if (w.pattern.test(err)) w.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStderr: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(err)) return resolve();
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`the CLI exited (${code}) before stderr matched ${pattern}:\n${err}`)));
      }),
  };
}

/** Alive and not a zombie: a process churnlab started and did not end. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The CLI's descendants (target, mock servers, esbuild) while it runs. */
async function descendants(cli: Cli): Promise<number[]> {
  return (await processTree(cli.child.pid!)).slice(1);
}

/** Processes still alive among `pids`, after giving them a few seconds to go (they are killed, not asked). */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 50 && pids.some(alive); i += 1) await delay(200);
  return pids.filter(alive);
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}

const readRunReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
// The empty control over far more units than a test waits for (only the signal ends it), after a
// one-sample warm-up.
const endless = (out: string) => [
  'selfcheck-control',
  '--sessions',
  '1000000',
  '--param',
  'warmupUnits=100',
  '--out',
  out,
  '--no-diagnose',
];
// Generous: a shared machine can slow a run many times over.
const CLI_TIMEOUT_MS = 400_000;

describe('an interrupted scenario run', () => {
  it(
    'SIGTERM after the warm-up: exit 143, report.json marked interrupted with the work done, the folder last, no child left',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'churnlab-interrupt-'));
      const cli = startCli('scenario.ts', endless(out));
      await cli.waitForStderr(/^\[churn\] /m);
      const children = await descendants(cli);
      expect(children.length).toBeGreaterThan(0); // the target at least
      cli.child.kill('SIGTERM');
      const code = await cli.exited;

      expect(code, cli.stderr()).toBe(143);
      const dir = lastLine(cli.stdout());
      expect(dir.startsWith(join(out, 'selfcheck-control'))).toBe(true);
      const report = readRunReport(dir);
      expect(report.verdict).toBe('interrupted');
      expect(report.exitCode).toBe(143);
      expect(report.interrupted).toMatchObject({ signal: 'SIGTERM', phase: 'churn' });
      expect(report.interrupted!.workDone.unit).toBeGreaterThan(0);
      expect(report.interrupted!.samples).toBe(report.timing.samples);
      expect(report.expectations.length).toBeGreaterThan(0); // judged on the samples so far
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/Interrupted by SIGTERM after .*, in phase churn: [\d ]+ units/);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Interrupted by SIGTERM');
      expect(cli.stdout()).toMatch(/INTERRUPTED\s+selfcheck-control/);
      expect(cli.stdout()).toMatch(/Verdict so far: \w+/);
      expect(await survivors(children)).toEqual([]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'SIGINT (Ctrl-C) exits 130 with the report, even before any judged sample',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'churnlab-interrupt-'));
      const cli = startCli('scenario.ts', endless(out));
      await cli.waitForStderr(/^\[prime\] /m);
      const children = await descendants(cli);
      cli.child.kill('SIGINT');
      const code = await cli.exited;

      expect(code, cli.stderr()).toBe(130);
      const report = readRunReport(lastLine(cli.stdout()));
      expect(report.verdict).toBe('interrupted');
      expect(report.interrupted).toMatchObject({ signal: 'SIGINT', phase: 'prime' });
      expect(report.interrupted!.notes.join(' ')).toMatch(/No judged sample yet/);
      expect(await survivors(children)).toEqual([]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'a second signal exits at once, still killing the children',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'churnlab-interrupt-'));
      const cli = startCli('scenario.ts', endless(out));
      await cli.waitForStderr(/^\[prime\] /m);
      const children = await descendants(cli);
      cli.child.kill('SIGTERM');
      await cli.waitForStderr(/SIGTERM: stopping/);
      cli.child.kill('SIGTERM');
      const code = await cli.exited;

      expect(code, cli.stderr()).toBe(143);
      expect(cli.stderr()).toMatch(/SIGTERM again: exiting now/);
      expect(await survivors(children)).toEqual([]);
    },
    CLI_TIMEOUT_MS,
  );
});

describe('an interrupted load run', () => {
  it(
    'SIGTERM during the measured load: exit 143 with a report of the requests so far',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'churnlab-interrupt-'));
      // 20 s: a 2 s warm-up (10 %), then a load the signal cuts short.
      const cli = startCli('load.ts', [
        '--duration-s',
        '20',
        '--max-requests',
        '100000000',
        '--connections',
        '2',
        '--out',
        out,
        '--no-diagnose',
      ]);
      await cli.waitForStderr(/^\[load\] /m);
      const children = await descendants(cli);
      cli.child.kill('SIGTERM');
      const code = await cli.exited;

      expect(code, cli.stderr()).toBe(143);
      const dir = lastLine(cli.stdout());
      expect(existsSync(join(dir, 'summary.md'))).toBe(true);
      const report = readRunReport(dir);
      expect(report.verdict).toBe('interrupted');
      expect(report.interrupted).toMatchObject({ signal: 'SIGTERM', phase: 'load' });
      expect(report.interrupted!.workDone.request).toBeGreaterThan(0);
      expect(report.load?.stoppedBy).toBe('interrupted');
      expect(report.load!.totals.requests).toBeGreaterThan(0);
      expect(cli.stdout()).toMatch(/stopped by an interrupt/);
      expect(await survivors(children)).toEqual([]);
    },
    CLI_TIMEOUT_MS,
  );
});
