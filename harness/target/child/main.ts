// The target process's main module: loads the host and the target, then serves the harness's
// calls over IPC. Runs after preload.ts, so the virtual clock is already in place.
import { isAbsolute, resolve } from 'node:path';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { getHeapCodeStatistics } from 'node:v8';
import {
  EXIT_ANNOUNCEMENT,
  type CallMessage,
  type ChildToParent,
  type ClockAdvanceParams,
  type MemoryState,
  type TargetHost,
} from '../../wire/protocol.ts';
import { DEFAULTS } from '../../core/defaults.ts';
import { createAwaitedTime, realWorkInFlight } from './awaited-time.ts';
import { plainGc } from './collect.ts';
import { virtualClock } from './clock.ts';
import { ENV } from './env.ts';
import { serializeError } from './errors.ts';
import { countResources, handleStat } from './handles.ts';
import { startParentWatchdog } from './watchdog.ts';

/** Hosts known by name; anything else is a path to a module whose default export is a TargetHost. */
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js'; // sources under tsx, or dist/
const BUILT_IN_HOSTS: Record<string, URL> = {
  unit: new URL(`../hosts/unit${EXT}`, import.meta.url),
  plugin: new URL(`../../host/plugin-host${EXT}`, import.meta.url),
  service: new URL(`../../host/service-host${EXT}`, import.meta.url),
  adapter: new URL(`../../host/adapter-host${EXT}`, import.meta.url),
};
/** Where the census finds the host's roots (see harness/observe/census-names.ts). */
const ROOTS_KEY = Symbol.for('churnlab.roots');
/** Harness-owned objects worth naming in the census (the virtual clock's pending timers). */
const INTERNALS_KEY = Symbol.for('churnlab.internals');
/** Resources that exist before the target loads (IPC, stdio pipes, watchdog): not the target's. */
let baseline: Record<string, number> = {};
/** Virtual time passes while a call the harness awaits waits on timers only (see awaited-time.ts). */
const awaitedTime = createAwaitedTime({
  clock: virtualClock(),
  busy: () => realWorkInFlight(baseline),
  pollMs: DEFAULTS.awaitedTimePollMs,
  maxPollMs: DEFAULTS.awaitedTimeMaxPollMs,
});
virtualClock().onTimerAdded = () => awaitedTime.timerAdded();

function send(message: ChildToParent, then?: () => void): void {
  if (!process.connected) return then?.();
  try {
    process.send!(message, undefined, {}, () => then?.());
  } catch (error) {
    // A result that JSON cannot carry: answer with an error instead of dying.
    if (message.type === 'reply' && message.ok) {
      send({ type: 'reply', id: message.id, ok: false, error: serializeError(error) }, then);
    } else then?.();
  }
}

function reportTargetError(where: string, error: unknown): void {
  const { name, message } = serializeError(error);
  send({ type: 'target-error', where, error: { name, message } });
}

async function loadHost(name: string): Promise<TargetHost> {
  const url = BUILT_IN_HOSTS[name] ?? pathToFileURL(isAbsolute(name) ? name : resolve(name));
  const mod = (await import(url.href)) as { default?: unknown };
  let host = mod.default;
  if (typeof host === 'function') host = await (host as () => unknown)();
  if (!host || typeof host !== 'object' || typeof (host as TargetHost).load !== 'function') {
    throw new TypeError(`host module ${url.href} has no default export with load(), methods and roots()`);
  }
  return host as TargetHost;
}

async function main(): Promise<void> {
  if (!process.send) {
    console.error('churnlab: harness/target/child/main.ts must be started by launchTarget() (no IPC channel)');
    process.exit(2);
  }
  const clock = virtualClock();
  (globalThis as Record<symbol, unknown>)[INTERNALS_KEY] = { '(virtual clock)': { timers: clock.pendingTimers } };
  // The harness going away (IPC closed) ends the target: no orphans. The watchdog covers a
  // target too busy to notice.
  process.on('disconnect', () => process.exit(0));
  process.on('exit', (code) => {
    try {
      writeSync(2, `${EXIT_ANNOUNCEMENT}${code}\n`);
    } catch {
      // stderr closed: the exit status alone tells.
    }
  });
  const watchdog = startParentWatchdog();
  // Report why we are about to crash; Node still prints the error and exits as usual.
  process.on('uncaughtExceptionMonitor', (error, origin) => reportTargetError(origin, error));
  clock.onTimerError = (error) => reportTargetError('timer', error);

  // Calls are queued until the host is loaded; listening also keeps the process alive while a
  // load step waits (on real I/O, or on a virtual timer that awaited time moves on to).
  let host: TargetHost | undefined;
  const early: CallMessage[] = [];
  process.on('message', (msg: CallMessage) => {
    if (!msg || msg.type !== 'call') return;
    if (host) void serve(host, msg);
    else early.push(msg);
  });

  // Baseline of resources the harness owns (IPC pipe, stdio pipes, the watchdog), taken
  // before the target runs.
  await watchdog;
  void process.stdout;
  void process.stderr;
  baseline = countResources();

  const hostName = process.env[ENV.host] ?? 'unit';
  const target = process.env[ENV.target] ?? '';
  try {
    const loaded = await loadHost(hostName);
    const options = JSON.parse(process.env[ENV.options] || '{}') as Record<string, unknown>;
    const hostInfo = await awaitedTime.during(() => loaded.load({ target, options, reportTargetError }));
    (globalThis as Record<symbol, unknown>)[ROOTS_KEY] = loaded.roots();
    host = loaded;
    send({ type: 'ready', pid: process.pid, virtualNowMs: clock.now(), hostInfo: hostInfo ?? { host: hostName, target } });
    for (const msg of early.splice(0)) void serve(loaded, msg);
  } catch (error) {
    // Also on stderr, so the harness's stderr tail shows the stack.
    const info = serializeError(error);
    console.error(`churnlab: could not load target ${target} (host ${hostName}):\n${info.stack ?? `${info.name}: ${info.message}`}`);
    send({ type: 'load-error', error: info }, () => process.exit(1));
  }
}

async function serve(host: TargetHost, msg: CallMessage): Promise<void> {
  try {
    const result = await dispatch(host, msg.method, msg.params);
    send({ type: 'reply', id: msg.id, ok: true, result });
  } catch (error) {
    send({ type: 'reply', id: msg.id, ok: false, error: serializeError(error) });
  }
}

async function dispatch(host: TargetHost, method: string, params: unknown): Promise<unknown> {
  switch (method) {
    case 'clock.advance': {
      const ms = (params as ClockAdvanceParams | undefined)?.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`clock.advance needs { ms: number >= 0 }, got ${JSON.stringify(params)}`);
      }
      return virtualClock().advance(ms);
    }
    case 'clock.now':
      return { virtualNowMs: virtualClock().now() };
    case 'heap.collect':
      plainGc();
      return {};
    case 'handles':
      return handleStat(baseline, virtualClock());
    case 'memory': {
      const m = process.memoryUsage();
      const code = getHeapCodeStatistics();
      const codeBytes = code.code_and_metadata_size + code.bytecode_and_metadata_size;
      const state: MemoryState = { rssBytes: m.rss, externalBytes: m.external, arrayBuffersBytes: m.arrayBuffers, codeBytes };
      return state;
    }
    case 'host.dispose':
      await awaitedTime.during(async () => host.dispose?.());
      return {};
    default: {
      const fn = Object.hasOwn(host.methods, method) ? host.methods[method] : undefined;
      if (typeof fn !== 'function') {
        throw new Error(`unknown method '${method}' (host methods: ${Object.keys(host.methods).join(', ') || 'none'})`);
      }
      return awaitedTime.during(async () => fn(params));
    }
  }
}

void main();
