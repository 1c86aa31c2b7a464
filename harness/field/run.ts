// `npm run field`: every plugin of the corpus through the main scenario (and leak-message-refetch
// where it reads histories), one run at a time, each in its own process with its own HOME and a
// time cap, with a progress line and an ETA. Each run's report.json is read back for the summary.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunReport } from '../report/model.ts';
import { FIELD_DEFAULTS } from '../core/defaults.ts';
import { pluginEntry } from './install.ts';
import type { FieldPlugin } from './plugins.ts';
import type { ProbeResult } from './probe.ts';
import { partialObservation, type PartialObservation } from './partial.ts';
import { signalChild, trackChild } from '../target/children.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCENARIO_CLI = join(REPO_ROOT, 'harness', 'cli', 'scenario.ts');
const PROBE = join(REPO_ROOT, 'harness', 'field', 'probe.ts');
const OFFLINE = join(REPO_ROOT, 'harness', 'field', 'offline.mjs');

export type RunStatus =
  | { kind: 'finished'; exitCode: number; reportDir?: string }
  | { kind: 'capped'; capMs: number; reportDir?: string }
  | { kind: 'crashed'; reason: string };

export interface FieldRun {
  plugin: FieldPlugin;
  scenario: string;
  durationMs: number;
  status: RunStatus;
  report?: RunReport;
  /** A capped run's samples so far (no verdict). */
  partial?: PartialObservation;
  /** Last lines of the run's stderr, for a run that failed. */
  stderrTail: string;
}

export interface FieldPluginResult {
  plugin: FieldPlugin;
  entry: string;
  probe: ProbeResult;
  runs: FieldRun[];
}

export interface FieldOptions {
  plugins: readonly FieldPlugin[];
  installDir: string;
  /** Per-plugin work dirs and reports. */
  outDir: string;
  /** A fixed run of this many churn sessions (--sessions); undefined: sequential, stopping once decided. */
  sessions?: number;
  runCapMs: number;
  log: (line: string) => void;
  /** Injected for tests. */
  now?: () => number;
}

export const scenariosFor = (p: FieldPlugin): string[] => ['leak-unclean-exit', ...(p.readsHistory ? ['leak-message-refetch'] : [])];

/** A plugin's folder name in a field run's output. */
export const slug = (name: string): string => name.replace(/^@/, '').replace(/[^a-z0-9.-]+/gi, '-');

/** A plugin's own HOME and XDG dirs, with its config files, and the environment it runs with. */
function pluginEnvironment(p: FieldPlugin, dir: string): NodeJS.ProcessEnv {
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  for (const [file, { content }] of Object.entries(p.homeFiles ?? {})) {
    mkdirSync(dirname(join(home, file)), { recursive: true });
    writeFileSync(join(home, file), content);
  }
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'CHURNLAB_CACHE_DIR'])
    if (process.env[key] !== undefined) env[key] = process.env[key];
  for (const [key, { value }] of Object.entries(p.env ?? {})) env[key] = value;
  return {
    ...env,
    // Every process of the run, the target's included, has fetch to the internet fail at once.
    NODE_OPTIONS: `--import ${pathToFileURL(OFFLINE).href}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    NO_PROXY: '127.0.0.1,localhost',
  };
}

interface ChildResult {
  code: number | null;
  capped: boolean;
  stdout: string;
  stderrTail: string;
  error?: string;
}

/**
 * Runs `node --import tsx <args>` in its own process group. At the cap the scenario CLI gets
 * SIGTERM: it stops its run, judges the samples taken and writes its report ("interrupted", with
 * the verdict so far), so a plugin whose run outlasts the cap still shows what failed. The group
 * is killed as a whole if it has not ended FIELD_DEFAULTS.capGraceMs later.
 */
function runNode(args: string[], env: NodeJS.ProcessEnv, capMs: number, onLine?: (line: string) => void): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail = '';
    let partial = '';
    let capped = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      stderrTail = (stderrTail + text).slice(-4000);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine?.(line);
    });
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      capped = true;
      signalChild(child, 'SIGTERM', 'process');
      grace = setTimeout(() => signalChild(child, 'SIGKILL', 'group'), FIELD_DEFAULTS.capGraceMs);
    }, capMs);
    const clearTimers = () => {
      clearTimeout(timer);
      clearTimeout(grace);
    };
    const untrack = trackChild(child, 'group');
    child.on('error', (e) => {
      clearTimers();
      untrack();
      resolve({ code: null, capped, stdout, stderrTail, error: e.message });
    });
    child.on('close', (code) => {
      clearTimers();
      untrack();
      resolve({ code, capped, stdout, stderrTail });
    });
  });
}

async function probePlugin(entry: string, env: NodeJS.ProcessEnv, dir: string): Promise<ProbeResult> {
  const project = join(dir, 'probe-project');
  mkdirSync(project, { recursive: true });
  const out = await runNode([PROBE, entry, project], env, FIELD_DEFAULTS.probeTimeoutMs);
  const last = out.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as ProbeResult;
  } catch {
    return {
      plugins: [],
      skippedExports: [],
      error: out.capped
        ? `loading took longer than ${FIELD_DEFAULTS.probeTimeoutMs / 1000} s`
        : `could not load: ${out.error ?? out.stderrTail.trim().split('\n').slice(-3).join(' | ')}`,
    };
  }
}

function readReport(dir: string | undefined): RunReport | undefined {
  if (!dir || !existsSync(join(dir, 'report.json'))) return undefined;
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
}

/** The report folder a run printed as its last stdout line, or the newest under `reportsDir`. */
function reportDirOf(stdout: string): string | undefined {
  const last = stdout.trim().split('\n').at(-1)?.trim();
  return last && existsSync(join(last, 'report.json')) ? last : undefined;
}

const mmss = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

/** Mean time of the runs done so far times the runs left (the cap until one has finished). */
export function etaMs(doneMs: readonly number[], left: number, capMs: number): number {
  const mean = doneMs.length > 0 ? doneMs.reduce((a, b) => a + b, 0) / doneMs.length : capMs;
  return mean * left;
}

export async function runField(opts: FieldOptions): Promise<FieldPluginResult[]> {
  const now = opts.now ?? Date.now;
  const total = opts.plugins.reduce((n, p) => n + scenariosFor(p).length, 0);
  const started = now();
  const durations: number[] = [];
  const results: FieldPluginResult[] = [];
  let index = 0;
  for (const plugin of opts.plugins) {
    const dir = join(opts.outDir, slug(plugin.name));
    const env = pluginEnvironment(plugin, dir);
    const entry = pluginEntry(opts.installDir, plugin.name);
    const probe = await probePlugin(entry, env, dir);
    const hooks = probe.plugins.flatMap((p) => p.hooks);
    opts.log(
      `churnlab field: ${plugin.name}@${plugin.version}: ${probe.error ? `load failed: ${probe.error}` : `registers ${hooks.length > 0 ? hooks.join(', ') : 'no session hooks'}`}`,
    );
    const runs: FieldRun[] = [];
    for (const scenario of scenariosFor(plugin)) {
      index += 1;
      const left = total - index + 1;
      const capMs = plugin.size?.runCapMs ?? opts.runCapMs;
      const sessions = plugin.size?.sessions ?? opts.sessions;
      opts.log(
        `[${index}/${total}] ${plugin.name} · ${scenario} · elapsed ${mmss(now() - started)} · ETA ~${mmss(etaMs(durations, left, opts.runCapMs))} (cap ${mmss(capMs)} for this run)`,
      );
      const runStart = now();
      const size = sessions === undefined ? [] : ['--sessions', String(sessions)];
      const args = [SCENARIO_CLI, scenario, '--target', entry, ...size, '--out', join(dir, 'reports'), '--profile'];
      const out = await runNode(args, env, capMs, (line) => {
        // The scenario's own progress ("[churn] 1 200/1 800 sessions · …"), every 500 sessions.
        const m = /^\[[a-z-]+\] ([\d\s]+)(?:\/[\d\s]+)? sessions/u.exec(line);
        const done = m ? Number(m[1]!.replace(/\s/gu, '')) : 0;
        if (done > 0 && done % 100 === 0) opts.log(`  [${index}/${total}] ${plugin.name} ${line}`);
      });
      const durationMs = now() - runStart;
      durations.push(durationMs);
      const reportDir = reportDirOf(out.stdout);
      const status: RunStatus = out.error
        ? { kind: 'crashed', reason: out.error }
        : out.capped
          ? { kind: 'capped', capMs, ...(reportDir ? { reportDir } : {}) }
          : { kind: 'finished', exitCode: out.code ?? -1, ...(reportDir ? { reportDir } : {}) };
      const report = readReport(reportDir);
      const partial = report ? undefined : partialObservation(join(dir, 'reports', scenario));
      runs.push({
        plugin,
        scenario,
        durationMs,
        status,
        ...(report ? { report } : {}),
        ...(partial ? { partial } : {}),
        stderrTail: out.stderrTail.split('\n').slice(-12).join('\n'),
      });
      opts.log(`  [${index}/${total}] ${plugin.name} · ${scenario}: ${describeStatus(status, report)} in ${mmss(durationMs)}`);
    }
    results.push({ plugin, entry, probe, runs });
  }
  return results;
}

export function describeStatus(status: RunStatus, report?: RunReport): string {
  if (status.kind === 'crashed') return `could not run (${status.reason})`;
  if (status.kind === 'capped') {
    // The CLI's report of the interrupted run, when it wrote one in the grace time: never a pass.
    const soFar = report?.interrupted?.verdictSoFar;
    return soFar
      ? `stopped at the ${mmss(status.capMs)} cap: ${soFar} so far (no final verdict)`
      : `stopped at the ${mmss(status.capMs)} cap (no verdict)`;
  }
  const verdict = report?.verdict ?? 'no report';
  return `${verdict} (exit ${status.exitCode})`;
}
