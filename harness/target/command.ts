// A service given as a plain command (`--command "python3 daemon.py"`): any language, started by
// the harness, observed by RSS from /proc only. It has no preload, so no virtual clock, inspector
// or IPC; it answers over HTTP like any service.
//
// Contract for the command (docs/services.md):
//   - listen on 127.0.0.1, on the port in $CHURNLAB_PORT (0: any free port), and print the URL
//     (`http://127.0.0.1:PORT`) on a line of stdout once it accepts requests;
//   - read the scenario's options from $CHURNLAB_OPTIONS (JSON) and the OpenCode URL, when the
//     scenario has one, from $CHURNLAB_OPENCODE_URL;
//   - optionally answer GET /__churnlab/stats with a JSON object of numbers (sampled as service.*).
import { spawn, type ChildProcess } from 'node:child_process';
import { DEFAULTS } from '../core/defaults.ts';
import type { ClockState } from '../wire/protocol.ts';
import { LineSplitter, TailBuffer } from './lines.ts';
import { TargetError, type TargetOutcome } from './outcome.ts';

export const COMMAND_STATS_PATH = '/__churnlab/stats';
const URL_IN_LINE = /\bhttps?:\/\/(?:127\.0\.0\.1|localhost):\d+/;
const STOP_GRACE_MS = 3000;

export interface CommandOptions {
  command: string;
  cwd: string;
  /** Scenario options, handed over as $CHURNLAB_OPTIONS (JSON). */
  options?: Record<string, unknown>;
  opencodeUrl?: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** Timeout of one stats request. */
  callTimeoutMs?: number;
}

export interface CommandTarget {
  readonly pid: number;
  readonly url: string;
  readonly label: string;
  /** 'stats' (GET /__churnlab/stats; {} when the command does not answer it) and 'host.dispose' (no-op). */
  call<T = unknown>(method: string): Promise<T>;
  /** No virtual clock: reports real time passed since start, never moves time. */
  advanceClock(ms: number): Promise<ClockState>;
  stderrTail(): string;
  /** Settles when the process has ended, whatever the reason. */
  readonly outcome: Promise<TargetOutcome>;
  /** Whether it has ended (then `outcome` is settled). */
  exited(): boolean;
  stop(): Promise<TargetOutcome>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // detached: the command leads its own process group, so its children go too.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL');
});

export async function launchCommand(opts: CommandOptions): Promise<CommandTarget> {
  const label = JSON.stringify(opts.command);
  // `exec` makes the command itself the pid we observe, not a shell waiting on it.
  const child = spawn('/bin/sh', ['-c', `exec ${opts.command}`], {
    cwd: opts.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      ...opts.env,
      CHURNLAB_HOST: '127.0.0.1',
      CHURNLAB_PORT: '0',
      CHURNLAB_OPTIONS: JSON.stringify(opts.options ?? {}),
      ...(opts.opencodeUrl ? { CHURNLAB_OPENCODE_URL: opts.opencodeUrl } : {}),
    },
  });
  live.add(child);
  const tail = new TailBuffer(DEFAULTS.stderrTailLines);
  const errLines = new LineSplitter((line) => tail.add(line));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => errLines.push(chunk));
  let stopping = false;
  let ended = false;
  const outcome = new Promise<TargetOutcome>((resolve) => {
    child.once('error', (e) => {
      tail.add(`spawn failed: ${e.message}`);
    });
    child.once('close', (code, signal) => {
      ended = true;
      live.delete(child);
      errLines.flush();
      const stderrTail = tail.text();
      if (stopping) resolve({ kind: 'stopped' });
      else if (signal) resolve({ kind: 'crashed', code, signal, stderrTail });
      else resolve({ kind: code === 0 ? 'exited' : 'crashed', code: code ?? 0, signal: null, stderrTail } as TargetOutcome);
    });
  });

  const startTimeoutMs = opts.startTimeoutMs ?? DEFAULTS.targetStartTimeoutMs;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new TargetError({ kind: 'start-timeout', afterMs: startTimeoutMs, stderrTail: tail.text() }, `${label} (command)`));
    }, startTimeoutMs);
    const outLines = new LineSplitter((line) => {
      const m = URL_IN_LINE.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[0].replace('localhost', '127.0.0.1'));
      }
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => outLines.push(chunk));
    void outcome.then((o) => {
      clearTimeout(timer);
      reject(new TargetError(o, `${label} (command; it must print its http://127.0.0.1:PORT URL on stdout once listening)`));
    });
  });

  const startedMs = Date.now();
  let statsSupported = true;
  const target: CommandTarget = {
    pid: child.pid!,
    url,
    label,
    async call<T>(method: string): Promise<T> {
      if (ended) throw new TargetError(await outcome, `${label} (command)`, method, child.pid);
      if (method === 'host.dispose') return undefined as T;
      if (method !== 'stats') throw new Error(`a command target cannot run '${method}': it is driven over HTTP only`);
      if (!statsSupported) return {} as T;
      const res = await fetch(`${url}${COMMAND_STATS_PATH}`, { signal: AbortSignal.timeout(opts.callTimeoutMs ?? DEFAULTS.targetCallTimeoutMs) });
      if (res.status === 404) {
        statsSupported = false;
        return {} as T;
      }
      const body = (await res.json()) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'number')) as T;
    },
    async advanceClock() {
      return { virtualNowMs: Date.now() - startedMs };
    },
    stderrTail: () => tail.text(),
    outcome,
    exited: () => ended,
    async stop() {
      if (!ended) {
        stopping = true;
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
        await outcome;
        clearTimeout(timer);
      }
      return outcome;
    },
  };
  return target;
}
