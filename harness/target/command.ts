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
import { signalChild, trackChild } from './children.ts';

export const COMMAND_STATS_PATH = '/__churnlab/stats';
const URL_IN_LINE = /\bhttps?:\/\/(?:127\.0\.0\.1|localhost):\d+/;

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

/** The command's life: how it ended follows from whether the harness was stopping it. */
type CommandState = { kind: 'up' } | { kind: 'stopping' } | { kind: 'ended'; outcome: TargetOutcome };

/** The command under `sh -c exec`, leading its own process group (detached), so a kill reaches its children too. */
function spawnCommand(opts: CommandOptions): ChildProcess {
  // `exec` makes the command itself the pid we observe, not a shell waiting on it.
  return spawn('/bin/sh', ['-c', `exec ${opts.command}`], {
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
}

/** One started command: its state, its stderr tail, and the outcome once it and its output have closed. */
class CommandLife {
  state: CommandState = { kind: 'up' };
  readonly tail = new TailBuffer(DEFAULTS.stderrTailLines);
  readonly outcome: Promise<TargetOutcome>;

  constructor(readonly child: ChildProcess) {
    const untrack = trackChild(child, 'group');
    const errLines = new LineSplitter((line) => this.tail.add(line));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => errLines.push(chunk));
    this.outcome = new Promise<TargetOutcome>((resolve) => {
      child.once('error', (e) => this.tail.add(`spawn failed: ${e.message}`));
      child.once('close', (code, signal) => {
        untrack();
        errLines.flush();
        const outcome = this.judge(code, signal);
        this.state = { kind: 'ended', outcome };
        resolve(outcome);
      });
    });
  }

  private judge(code: number | null, signal: NodeJS.Signals | null): TargetOutcome {
    const stderrTail = this.tail.text();
    if (this.state.kind === 'stopping') return { kind: 'stopped' };
    if (signal) return { kind: 'crashed', code, signal, stderrTail };
    if (code === 0) return { kind: 'exited', code, stderrTail };
    return { kind: 'crashed', code: code ?? 0, signal: null, stderrTail };
  }

  /** SIGTERM to the group, SIGKILL after a grace period; a second stop only waits. */
  async stop(): Promise<TargetOutcome> {
    if (this.state.kind !== 'up') return this.outcome;
    this.state = { kind: 'stopping' };
    signalChild(this.child, 'SIGTERM', 'group');
    const timer = setTimeout(() => signalChild(this.child, 'SIGKILL', 'group'), DEFAULTS.commandStopGraceMs);
    await this.outcome;
    clearTimeout(timer);
    return this.outcome;
  }
}

/** The URL the command prints once it listens; a start timeout kills its group. */
function waitForUrl(life: CommandLife, label: string, startTimeoutMs: number): Promise<string> {
  const child = life.child;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      signalChild(child, 'SIGKILL', 'group');
      reject(new TargetError({ kind: 'start-timeout', afterMs: startTimeoutMs, stderrTail: life.tail.text() }, `${label} (command)`));
    }, startTimeoutMs);
    const outLines = new LineSplitter((line) => {
      const m = URL_IN_LINE.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[0].replace('localhost', '127.0.0.1'));
      }
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => outLines.push(chunk));
    void life.outcome.then((o) => {
      clearTimeout(timer);
      reject(new TargetError(o, `${label} (command; it must print its http://127.0.0.1:PORT URL on stdout once listening)`));
    });
  });
}

export async function launchCommand(opts: CommandOptions): Promise<CommandTarget> {
  const label = JSON.stringify(opts.command);
  const life = new CommandLife(spawnCommand(opts));
  const url = await waitForUrl(life, label, opts.startTimeoutMs ?? DEFAULTS.targetStartTimeoutMs);
  const pid = life.child.pid!;
  const startedMs = Date.now();
  let statsSupported = true;
  return {
    pid,
    url,
    label,
    async call<T>(method: string): Promise<T> {
      if (life.state.kind === 'ended') throw new TargetError(life.state.outcome, `${label} (command)`, method, pid);
      if (method === 'host.dispose') return undefined as T;
      if (method !== 'stats') throw new Error(`a command target cannot run '${method}': it is driven over HTTP only`);
      if (!statsSupported) return {} as T;
      const timeoutMs = opts.callTimeoutMs ?? DEFAULTS.targetCallTimeoutMs;
      const res = await fetch(`${url}${COMMAND_STATS_PATH}`, { signal: AbortSignal.timeout(timeoutMs) });
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
    stderrTail: () => life.tail.text(),
    outcome: life.outcome,
    exited: () => life.state.kind === 'ended',
    stop: () => life.stop(),
  };
}
