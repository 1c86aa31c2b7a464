// Starts a target in its own Node process (inspector on 127.0.0.1, IPC channel, virtual clock
// preloaded) and turns every way it can end into one clear TargetOutcome. The harness never
// hangs on a target: calls have a timeout, the run has a limit, and a dying child rejects
// everything pending.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULTS } from '../core/defaults.ts';
import { ownModule } from '../core/paths.ts';
import { connectCdp, type CdpSession } from '../wire/cdp.ts';
import { ENV } from './child/env.ts';
import { LineSplitter, TailBuffer } from './lines.ts';
import { trackChild } from './children.ts';
import { nextState, type LastWords, type TargetEvent, type TargetState, type Verdict } from './state.ts';
import { looksLikeOom, TargetCallError, TargetError, type ErrorInfo, type TargetOutcome } from './outcome.ts';
import { EXIT_ANNOUNCEMENT, type CallMessage, type ChildToParent, type ClockState } from '../wire/protocol.ts';

export { TargetCallError, TargetError, type TargetOutcome } from './outcome.ts';

export interface LogEntry {
  /** 'info' | 'warn': the target's host said so over IPC; 'stdout' | 'stderr': a raw output line. */
  level: 'info' | 'warn' | 'stdout' | 'stderr';
  message: string;
}

export interface TargetErrorEvent {
  where: string;
  error: { name: string; message: string };
}

export interface LaunchOptions {
  /** 'unit' | 'plugin' | path of a host module whose default export is a TargetHost. */
  host: string;
  /** Path (absolute or relative to cwd) or package name of the target module. */
  target: string;
  /** Free-form options handed to host.load (JSON-serialisable). */
  options?: Record<string, unknown>;
  cwd?: string;
  /** Added to the inherited environment. The harness's own NODE_OPTIONS is not inherited. */
  env?: Record<string, string>;
  /** Node flags for the target, e.g. ['--max-old-space-size=64']. */
  execArgv?: string[];
  startTimeoutMs?: number;
  callTimeoutMs?: number;
  runTimeoutMs?: number;
  virtualEpochMs?: number;
  onTargetError?: (event: TargetErrorEvent) => void;
  onLog?: (entry: LogEntry) => void;
}

export interface TargetErrorsSummary {
  count: number;
  byWhere: Record<string, number>;
  last?: TargetErrorEvent;
}

export interface CallOptions {
  /** Overrides LaunchOptions.callTimeoutMs for this call. */
  timeoutMs?: number;
}

export interface TargetProcess {
  readonly pid: number;
  readonly inspectorUrl: string;
  readonly cdp: CdpSession;
  /** Epoch of the virtual clock inside the target (Date.now() there starts at this). */
  readonly virtualEpochMs: number;
  /** What host.load() returned (the 'unit' host: { host, target, exports }). */
  readonly hostInfo: unknown;
  /** Rejects with TargetError when the target dies, hangs or times out; TargetCallError when the method threw. */
  call<T = unknown>(method: string, params?: unknown, options?: CallOptions): Promise<T>;
  advanceClock(ms: number): Promise<ClockState>;
  targetErrors(): TargetErrorsSummary;
  stderrTail(): string;
  /** Settles (never rejects) when the process has ended, whatever the reason. */
  readonly outcome: Promise<TargetOutcome>;
  /** host.dispose, then IPC disconnect, SIGTERM, SIGKILL, each after graceMs. Idempotent. */
  stop(graceMs?: number): Promise<TargetOutcome>;
}

const requireHere = createRequire(import.meta.url);
const TSX_LOADER = pathToFileURL(requireHere.resolve('tsx')).href;
const PRELOAD = pathToFileURL(ownModule('./child/preload', import.meta.url)).href;
const CHILD_MAIN = ownModule('./child/main', import.meta.url);
// Built-in hosts by name (the child maps them to modules: child/main.ts BUILT_IN_HOSTS).
const NAMED_HOSTS = new Set(['unit', 'plugin', 'service', 'adapter']);

/** Paths are made absolute against cwd; bare names (packages, built-in hosts) pass through. */
function resolveSpecifier(spec: string, cwd: string): string {
  if (isAbsolute(spec)) return spec;
  if (spec.startsWith('.') || spec.includes('/') || spec.includes('\\')) {
    // "@scope/pkg" is a package, not a path.
    if (spec.startsWith('@') && !spec.startsWith('@/')) return spec;
    return resolve(cwd, spec);
  }
  return spec;
}

export async function launchTarget(opts: LaunchOptions): Promise<TargetProcess> {
  const launched = new LaunchedTarget(opts);
  await launched.started;
  return launched;
}

interface PendingCall {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** The host and target as the child loads them, and how messages name them. */
interface ResolvedTarget {
  cwd: string;
  host: string;
  target: string;
  /** '"fixtures/x.ts" (unit host)': paths under cwd are shown relative to it, others in full. */
  label: string;
}

function resolveTarget(opts: LaunchOptions): ResolvedTarget {
  const cwd = opts.cwd ?? process.cwd();
  const host = NAMED_HOSTS.has(opts.host) ? opts.host : resolveSpecifier(opts.host, cwd);
  const target = resolveSpecifier(opts.target, cwd);
  const shown = (p: string) => {
    const rel = isAbsolute(p) ? relative(cwd, p) : p;
    return rel && !rel.startsWith('..') ? rel : p;
  };
  return { cwd, host, target, label: `"${shown(target)}" (${NAMED_HOSTS.has(host) ? host : shown(host)} host)` };
}

/** The child Node process: inspector on any free port, tsx and the clock preload, IPC. */
function spawnChild(opts: LaunchOptions, resolved: ResolvedTarget, virtualEpochMs: number): ChildProcess {
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  // The harness's NODE_OPTIONS (test runner loaders, --inspect) must not leak into the target.
  if (opts.env?.NODE_OPTIONS === undefined) delete env.NODE_OPTIONS;
  env[ENV.host] = resolved.host;
  env[ENV.target] = resolved.target;
  env[ENV.options] = JSON.stringify(opts.options ?? {});
  env[ENV.virtualEpochMs] = String(virtualEpochMs);
  const args = [...(opts.execArgv ?? []), '--inspect=127.0.0.1:0', '--import', TSX_LOADER, '--import', PRELOAD, CHILD_MAIN];
  return spawn(process.execPath, args, { cwd: resolved.cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
}

/**
 * One target process. Its life is one TargetState (harness/target/state.ts), changed only by
 * move(); pid, inspectorUrl, hostInfo and the CDP session are facts learned once along the way.
 */
class LaunchedTarget implements TargetProcess {
  readonly started: Promise<void>;
  readonly outcome: Promise<TargetOutcome>;
  pid = 0;
  inspectorUrl = '';
  readonly virtualEpochMs: number;
  hostInfo: unknown = undefined;
  /** Kept after the end, so a late caller gets the closed session's errors rather than a throw. */
  private cdpSession: CdpSession | undefined;

  private state: TargetState = { kind: 'starting', hostReady: false };
  private readonly lastWords: LastWords = { oom: false };
  private readonly child: ChildProcess;
  private readonly untrackChild: () => void;
  private readonly label: string;
  private readonly callTimeoutMs: number;
  private readonly tail: TailBuffer;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private readonly errors: TargetErrorsSummary = { count: 0, byWhere: {} };
  private readonly timers: NodeJS.Timeout[] = [];
  private settleOutcome!: (o: TargetOutcome) => void;
  private startResolve!: () => void;
  private startReject!: (e: Error) => void;

  constructor(private readonly opts: LaunchOptions) {
    const resolved = resolveTarget(opts);
    this.label = resolved.label;
    this.callTimeoutMs = opts.callTimeoutMs ?? DEFAULTS.targetCallTimeoutMs;
    this.tail = new TailBuffer(DEFAULTS.stderrTailLines, (line) => this.onStderrLine(line));
    this.outcome = new Promise((res) => (this.settleOutcome = res));
    this.started = new Promise((res, rej) => {
      this.startResolve = res;
      this.startReject = rej;
    });
    // The caller may never look at `started` if it fails after launchTarget returned.
    this.started.catch(() => {});

    this.virtualEpochMs = opts.virtualEpochMs ?? DEFAULTS.virtualEpochMs;
    this.child = spawnChild(opts, resolved, this.virtualEpochMs);
    this.untrackChild = trackChild(this.child, 'process');
    this.pid = this.child.pid ?? 0;
    this.wireOutput();
    this.wireProcess();

    const startTimeoutMs = opts.startTimeoutMs ?? DEFAULTS.targetStartTimeoutMs;
    this.addTimer(startTimeoutMs, () => {
      if (this.state.kind !== 'starting' && this.state.kind !== 'attaching') return;
      this.decide((tail) => ({ kind: 'start-timeout', afterMs: startTimeoutMs, stderrTail: tail }));
    });
    const runTimeoutMs = opts.runTimeoutMs ?? DEFAULTS.targetRunTimeoutMs;
    this.addTimer(runTimeoutMs, () => this.decide((tail) => ({ kind: 'timeout', afterMs: runTimeoutMs, stderrTail: tail })));
  }

  get cdp(): CdpSession {
    if (!this.cdpSession) throw new Error(`Target ${this.label}: no inspector session (not started)`);
    return this.cdpSession;
  }

  call<T = unknown>(method: string, params?: unknown, options?: CallOptions): Promise<T> {
    if (this.state.kind === 'ended') return Promise.reject(new TargetError(this.state.outcome, this.label, method, this.pid));
    if (this.state.kind === 'draining' || !this.child.connected) {
      return this.outcome.then((o) => Promise.reject(new TargetError(o, this.label, method, this.pid)));
    }
    const id = this.nextId++;
    const timeoutMs = options?.timeoutMs ?? this.callTimeoutMs;
    return new Promise<T>((resolvePromise, rejectPromise) => {
      const timer = setTimeout(() => this.decide((tail) => ({ kind: 'hung', method, afterMs: timeoutMs, stderrTail: tail })), timeoutMs);
      timer.unref();
      this.pending.set(id, { method, resolve: resolvePromise as (v: unknown) => void, reject: rejectPromise, timer });
      const message: CallMessage = { type: 'call', id, method, ...(params === undefined ? {} : { params }) };
      try {
        this.child.send(message, (err) => {
          // Channel closed under us: the exit handler rejects the call with the real outcome.
          if (err) void err;
        });
      } catch {
        // Same as above: the 'exit' path settles it.
      }
    });
  }

  advanceClock(ms: number): Promise<ClockState> {
    return this.call<ClockState>('clock.advance', { ms });
  }

  targetErrors(): TargetErrorsSummary {
    return { count: this.errors.count, byWhere: { ...this.errors.byWhere }, ...(this.errors.last ? { last: this.errors.last } : {}) };
  }

  stderrTail(): string {
    return this.tail.text();
  }

  /** Settles with the outcome; a second stop, or a stop of a process already on its way out, only waits for it. */
  stop(graceMs = 5_000): Promise<TargetOutcome> {
    const hostLoaded = this.state.kind !== 'starting' || this.state.hostReady;
    if (this.move({ type: 'stop' })) void this.stopGracefully(graceMs, hostLoaded);
    return this.outcome;
  }

  private async stopGracefully(graceMs: number, hostLoaded: boolean): Promise<void> {
    if (hostLoaded && this.child.connected) {
      // Let the host release what it holds (timers, sockets) so the process can end cleanly.
      await settledWithin(
        this.call('host.dispose', undefined, { timeoutMs: graceMs }).catch(() => {}),
        graceMs,
      );
    }
    this.cdpSession?.close();
    if (this.child.connected) {
      try {
        this.child.disconnect(); // the child exits on 'disconnect'
      } catch {
        // already disconnected
      }
    }
    if (!(await settledWithin(this.outcome, graceMs))) {
      this.child.kill('SIGTERM');
      if (!(await settledWithin(this.outcome, graceMs))) this.child.kill('SIGKILL');
    }
  }

  /** The one place the state changes: the new state, or undefined when the event does not apply in the current one. */
  private move(event: TargetEvent): TargetState | undefined {
    const next = nextState(this.state, event);
    if (next) this.state = next;
    return next;
  }

  private addTimer(ms: number, fn: () => void): void {
    const t = setTimeout(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** The harness has judged the target (hung, too slow, never ready): record why, then kill it. */
  private decide(verdict: Verdict): void {
    if (this.move({ type: 'verdict', verdict })) this.child.kill('SIGKILL');
  }

  private wireOutput(): void {
    const child = this.child;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    const out = new LineSplitter((line) => this.opts.onLog?.({ level: 'stdout', message: line }));
    const err = new LineSplitter((line) => this.tail.add(line));
    child.stdout!.on('data', (chunk: string) => out.push(chunk));
    child.stderr!.on('data', (chunk: string) => err.push(chunk));
    child.stdout!.on('end', () => out.flush());
    child.stderr!.on('end', () => err.flush());
    child.on('message', (msg: ChildToParent) => this.onMessage(msg));
  }

  /** Exit (or a failed spawn) moves to draining; the outcome is judged once stderr has ended. */
  private wireProcess(): void {
    const child = this.child;
    // The OOM report is the last thing on stderr.
    let markStderrDone!: () => void;
    const stderrDone = new Promise<void>((res) => (markStderrDone = res));
    child.stderr!.on('end', () => markStderrDone());
    child.stderr!.on('close', () => markStderrDone());
    child.stderr!.on('error', () => markStderrDone());
    child.on('error', (error) => {
      // Spawn failure (no 'exit' follows when there is no pid).
      if (child.pid) return;
      this.tail.add(`spawn failed: ${error.message}`);
      if (this.move({ type: 'exit', exit: { code: null, signal: null } })) this.end();
    });
    child.once('exit', (code, signal) => {
      if (!this.move({ type: 'exit', exit: { code, signal } })) return;
      // Wait for stderr to drain (an OOM report arrives just before the abort), but not
      // forever: a grandchild may hold the pipe open.
      const drain = setTimeout(() => this.end(), DEFAULTS.targetStdioDrainMs);
      void stderrDone.then(() => {
        clearTimeout(drain);
        this.end();
      });
    });
  }

  private onStderrLine(line: string): void {
    this.opts.onLog?.({ level: 'stderr', message: line });
    if (!this.inspectorUrl) {
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(line);
      if (m?.[1]) {
        this.inspectorUrl = m[1];
        this.maybeAttach();
      }
    }
    // Node waits at exit until inspector clients leave; leave at once so the exit goes on.
    if (line.startsWith('Waiting for the debugger to disconnect')) this.cdpSession?.close();
    if (looksLikeOom(line)) this.lastWords.oom = true;
    const exitCode = line.startsWith(EXIT_ANNOUNCEMENT) ? Number(line.slice(EXIT_ANNOUNCEMENT.length)) : undefined;
    if (Number.isInteger(exitCode)) this.lastWords.exitCode = exitCode;
  }

  private onMessage(msg: ChildToParent): void {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'reply':
        return this.onReply(msg);
      case 'ready':
        this.hostInfo = msg.hostInfo;
        this.move({ type: 'host-ready' });
        this.maybeAttach();
        return;
      case 'load-error':
        this.lastWords.loadError = msg.error;
        return;
      case 'target-error':
        return this.onTargetError(msg.where, msg.error);
      case 'log':
        this.opts.onLog?.({ level: msg.level, message: msg.message });
        return;
    }
  }

  private onReply(msg: Extract<ChildToParent, { type: 'reply' }>): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new TargetCallError(p.method, msg.error, this.label));
  }

  private onTargetError(where: string, error: ErrorInfo): void {
    const event: TargetErrorEvent = { where, error };
    this.errors.count += 1;
    this.errors.byWhere[where] = (this.errors.byWhere[where] ?? 0) + 1;
    this.errors.last = event;
    if (where === 'uncaughtException' || where === 'unhandledRejection') {
      this.lastWords.fatal = error;
      // Node's own print of the fatal error can be missing from the pipe on a loaded machine
      // while this IPC report has arrived, so the report goes into the tail too.
      const stack = (error.stack ?? `${error.name}: ${error.message}`).split('\n').slice(0, 8);
      this.tail.add(`[${where}, reported by the target over IPC] ${stack[0] ?? ''}`);
      for (const line of stack.slice(1)) this.tail.add(line);
    }
    this.opts.onTargetError?.(event);
  }

  /** Once the host is ready and the inspector URL is known, attach CDP and resolve the start. */
  private maybeAttach(): void {
    if (!this.inspectorUrl || !this.move({ type: 'attach' })) return;
    connectCdp(this.inspectorUrl).then(
      async (session) => {
        this.cdpSession = session;
        if (this.state.kind !== 'attaching') {
          session.close();
          return;
        }
        session.on('NodeRuntime.waitingForDisconnect', () => session.close());
        try {
          await session.send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true });
        } catch {
          // Older Node: the stderr line does the same job.
        }
        if (this.move({ type: 'attached' })) this.startResolve();
      },
      (error: Error) => {
        this.tail.add(`churnlab: could not attach to the target's inspector at ${this.inspectorUrl}: ${error.message}`);
        this.decide((tail) => ({ kind: 'start-timeout', afterMs: 0, stderrTail: tail }));
      },
    );
  }

  /** Judge the drained process, then settle everything that waits on it. */
  private end(): void {
    const ended = this.move({ type: 'end', lastWords: this.lastWords, stderrTail: this.tail.text() });
    if (ended?.kind !== 'ended') return;
    const { outcome } = ended;
    for (const t of this.timers) clearTimeout(t);
    this.untrackChild();
    this.cdpSession?.close();
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new TargetError(outcome, this.label, p.method, this.pid));
    }
    this.startReject(new TargetError(outcome, this.label, undefined, this.pid));
    this.settleOutcome(outcome);
  }
}

/** True if `promise` settled within ms. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((res) => {
    timer = setTimeout(() => res(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
