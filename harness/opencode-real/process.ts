// One `opencode serve` process: started behind a tiny sh watchdog that leads its own process
// group (so one kill reaches the server and anything it spawned, and so the server dies within
// ~1 s of the harness even when the harness is SIGKILLed), ready when it prints
// "opencode server listening on http://…" (a request sent between the port accepting TCP and
// that line can hang for good), stopped with SIGTERM then SIGKILL of the whole group.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { REAL_DEFAULTS } from '../core/defaults.ts';
import { signalChild, trackChild } from '../target/children.ts';

const LISTENING = /opencode server listening on (http:\/\/[^\s]+)/;
const PID_LINE = /^churnlab-server-pid (\d+)$/m;

// $1 harness pid, $2 poll seconds, then the command. Prints the server's pid, watches both pids,
// and kills the whole group when the harness is gone.
const WATCHDOG = [
  'parent=$1; poll=$2; shift 2',
  '"$@" &',
  'child=$!',
  'echo "churnlab-server-pid $child" >&2',
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep "$poll"; done',
  'if kill -0 "$child" 2>/dev/null; then kill -9 0; fi',
  'wait "$child"',
].join('\n');

export interface ServerSpawnOptions {
  binary: string;
  /** Arguments after the binary (default: serve on 127.0.0.1, any port). */
  args?: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** The pid the watchdog follows (default: this process). */
  parentPid?: number;
}

export type ServerExit = { code: number | null; signal: NodeJS.Signals | null };

export interface ServerProcess {
  /** The server's own pid (RSS from /proc/<pid>). */
  readonly pid: number;
  /** The watchdog's pid = the process group id. */
  readonly pgid: number;
  /** From the "listening" line. */
  readonly url: string;
  /** Spawn to the "listening" line. */
  readonly startMs: number;
  readonly exited: Promise<ServerExit>;
  /** Last lines of stdout and stderr. */
  logTail(): string;
  /** SIGKILL the group now (a crash), or SIGTERM first with a grace period. */
  stop(how?: 'kill' | 'graceful'): Promise<ServerExit>;
}

export type StartFailure = { kind: 'timeout'; ms: number } | { kind: 'exited'; exit: ServerExit } | { kind: 'spawn'; message: string };

export class ServerStartError extends Error {
  constructor(
    readonly failure: StartFailure,
    readonly logTail: string,
  ) {
    super(
      failure.kind === 'timeout'
        ? `opencode serve printed no "listening" line within ${failure.ms} ms`
        : failure.kind === 'exited'
          ? `opencode serve exited before it was ready (code ${failure.exit.code}, signal ${failure.exit.signal})`
          : `opencode serve could not start: ${failure.message}`,
    );
  }
}

class Tail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }
  text(): string {
    return [...this.lines, this.partial].filter((l) => l.length > 0).join('\n');
  }
}

/** The watchdog running the server, leader of its own process group; a failed spawn is a ServerStartError. */
async function spawnWatchdog(opts: ServerSpawnOptions): Promise<{ child: ChildProcess; pgid: number }> {
  const args = opts.args ?? ['serve', '--hostname', '127.0.0.1', '--port', '0'];
  const parentPid = String(opts.parentPid ?? process.pid);
  const watchdogArgs = ['-c', WATCHDOG, 'churnlab-watchdog', parentPid, String(REAL_DEFAULTS.watchdogPollS), opts.binary, ...args];
  let child: ChildProcess;
  try {
    child = spawn('sh', watchdogArgs, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new ServerStartError({ kind: 'spawn', message: (e as Error).message }, '');
  }
  const pgid = child.pid;
  if (pgid === undefined) {
    const message = await new Promise<string>((resolve) => child.once('error', (e) => resolve(e.message)));
    throw new ServerStartError({ kind: 'spawn', message }, '');
  }
  return { child, pgid };
}

/** What the watchdog's output says: the server's pid (the watchdog's line on stderr) and its URL (the "listening" line). */
class ServerOutput {
  serverPid: number | undefined;
  url: string | undefined;
  /** Called when the pid or the URL is learned. */
  onChange: () => void = () => {};
  private stdout = '';
  private stderr = '';

  constructor(child: ChildProcess, tail: Tail) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      tail.push(chunk);
      if (this.url !== undefined) return;
      this.stdout += chunk;
      this.url = LISTENING.exec(this.stdout)?.[1];
      if (this.url !== undefined) this.onChange();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.serverPid === undefined) {
        this.stderr += chunk;
        const m = PID_LINE.exec(this.stderr);
        if (m) {
          this.serverPid = Number(m[1]);
          chunk = this.stderr.replace(PID_LINE, '');
          this.onChange();
        }
      }
      tail.push(chunk);
    });
  }

  ready(): boolean {
    return this.url !== undefined && this.serverPid !== undefined;
  }
}

/** SIGKILL the group now (a crash), or SIGTERM the server first with a grace period. */
function stopper(child: ChildProcess, exited: Promise<ServerExit>, output: ServerOutput): ServerProcess['stop'] {
  return async (how = 'graceful') => {
    const serverPid = output.serverPid;
    if (how === 'graceful' && serverPid !== undefined) {
      try {
        process.kill(serverPid, 'SIGTERM');
      } catch {
        // already gone
      }
      const grace = new Promise<undefined>((r) => setTimeout(() => r(undefined), REAL_DEFAULTS.stopGraceMs).unref());
      const graced = await Promise.race([exited, grace]);
      if (graced) {
        signalChild(child, 'SIGKILL', 'group'); // anything the server left behind
        await gone(serverPid);
        return graced;
      }
    }
    signalChild(child, 'SIGKILL', 'group');
    const exit = await exited;
    if (output.serverPid !== undefined) await gone(output.serverPid);
    return exit;
  };
}

/** Ready, exited, or out of time: whichever comes first. */
function firstOf(output: ServerOutput, exited: Promise<ServerExit>, timeoutMs: number): Promise<'ready' | 'timeout' | ServerExit> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    output.onChange = () => {
      if (output.ready()) {
        clearTimeout(timer);
        resolve('ready');
      }
    };
    void exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
    output.onChange();
  });
}

export async function spawnServer(opts: ServerSpawnOptions): Promise<ServerProcess> {
  const timeoutMs = opts.startTimeoutMs ?? REAL_DEFAULTS.startTimeoutMs;
  const started = Date.now();
  const tail = new Tail(REAL_DEFAULTS.logTailLines);
  const { child, pgid } = await spawnWatchdog(opts);
  // Every server is killed with its group if the harness ends first (the registry in target/children.ts).
  const untrack = trackChild(child, 'group');
  const exited = new Promise<ServerExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(untrack);
  const output = new ServerOutput(child, tail);
  const stop = stopper(child, exited, output);

  const outcome = await firstOf(output, exited, timeoutMs);
  if (outcome !== 'ready') {
    await stop('kill');
    throw new ServerStartError(outcome === 'timeout' ? { kind: 'timeout', ms: timeoutMs } : { kind: 'exited', exit: outcome }, tail.text());
  }
  return {
    pid: output.serverPid!,
    pgid,
    url: output.url!.replace(/\/$/, ''),
    startMs: Date.now() - started,
    exited,
    logTail: () => tail.text(),
    stop,
  };
}

/**
 * A free port on 127.0.0.1. `--port 0` would make the server take 4096 whenever it is free, and
 * two servers started at once (parallel tests, other runs) would race for it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether a pid is a live process (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Until the pid is gone (reaped by init once its watchdog parent died), bounded. */
async function gone(pid: number): Promise<void> {
  const until = Date.now() + REAL_DEFAULTS.stopGraceMs;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}
