// The 'adapter' target host: runs inside the target process, loads an adapter module
// (adapter-contract.ts), runs the app's idle reaper on the virtual clock, and serves the harness's
// start / turn / stop calls over IPC. Cursors the adapter emits travel back with the next reply;
// the harness, not this process, keeps them, so they survive a restart of this process.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostLoadContext, TargetHost } from '../wire/protocol.ts';
import { ADAPTER_DEFAULTS } from '../core/defaults.ts';
import {
  type Adapter,
  type AdapterHostOptions,
  type AdapterReapedReply,
  type AdapterStartInput,
  type AdapterStartReply,
  type AdapterTurnInput,
  type AdapterTurnReply,
  type CreateAdapter,
  type EmittedCursor,
} from './adapter-contract.ts';
import { IdleReaper } from './adapter-reaper.ts';

function findFactory(ns: Record<string, unknown>): CreateAdapter | undefined {
  const def = ns.default as Record<string, unknown> | ((...a: unknown[]) => unknown) | undefined;
  if (typeof ns.createAdapter === 'function') return ns.createAdapter as CreateAdapter;
  if (def && typeof def === 'object' && typeof def.createAdapter === 'function') return def.createAdapter as CreateAdapter;
  if (typeof def === 'function') return def as CreateAdapter;
  return undefined;
}

const REQUIRED: Array<keyof Adapter> = ['start', 'sendTurn', 'stop'];

/** What the host holds between the harness's calls. */
interface AdapterHostState {
  namespace: Record<string, unknown> | undefined;
  adapter: Adapter | undefined;
  reaper: IdleReaper | undefined;
  /** Cursors emitted since the last reply (drained by every reply: bounded by one call's work). */
  pending: EmittedCursor[];
  readonly counters: { starts: number; startErrors: number; turns: number; stops: number };
}

function createAdapterHost(): TargetHost {
  const s: AdapterHostState = {
    namespace: undefined,
    adapter: undefined,
    reaper: undefined,
    pending: [],
    counters: { starts: 0, startErrors: 0, turns: 0, stops: 0 },
  };
  return {
    load: (ctx: HostLoadContext) => loadAdapter(s, ctx),
    methods: adapterMethods(s),
    roots() {
      return { target: s.namespace, adapter: s.adapter };
    },
    async dispose() {
      s.reaper?.dispose();
      await s.adapter?.dispose?.();
    },
  };
}

function need(s: AdapterHostState): Adapter {
  if (!s.adapter) throw new Error('adapter host: the adapter is not loaded yet');
  return s.adapter;
}

function drain(s: AdapterHostState): EmittedCursor[] {
  const out = s.pending;
  s.pending = [];
  return out;
}

/** Imports the adapter module into `s.namespace` and finds its createAdapter. */
async function importAdapterFactory(s: AdapterHostState, target: string): Promise<CreateAdapter> {
  const url = pathToFileURL(isAbsolute(target) ? target : resolve(target)).href;
  const namespace = (await import(url)) as Record<string, unknown>;
  s.namespace = namespace;
  const factory = findFactory(namespace);
  if (!factory) {
    throw new TypeError(
      `${target} is not an adapter module: expected an exported createAdapter({ opencodeUrl, emitCursor, options }) ` +
        `returning { start, sendTurn, stop }; found exports: ${Object.keys(namespace).join(', ') || '(none)'}`,
    );
  }
  return factory;
}

async function loadAdapter(s: AdapterHostState, ctx: HostLoadContext) {
  const options = ctx.options as AdapterHostOptions;
  if (typeof options.opencodeUrl !== 'string') {
    throw new Error('adapter host: options.opencodeUrl (the OpenCode server URL) is required');
  }
  const factory = await importAdapterFactory(s, ctx.target);
  const { opencodeUrl, idleMs, sweepEveryMs, ...rest } = options;
  const made = await factory({
    opencodeUrl,
    options: rest,
    emitCursor(threadId, cursor) {
      // Only JSON crosses to the harness; a cursor that does not survive it is the adapter's bug.
      s.pending.push({ threadId: String(threadId), cursor: cursor === undefined ? null : JSON.parse(JSON.stringify(cursor)) });
    },
  });
  const missing = REQUIRED.filter((m) => typeof (made as unknown as Record<string, unknown>)?.[m] !== 'function');
  if (missing.length > 0) throw new TypeError(`${ctx.target}: createAdapter() returned an object without ${missing.join(', ')}()`);
  s.adapter = made;
  s.reaper = new IdleReaper({
    idleMs: idleMs ?? ADAPTER_DEFAULTS.idleMs,
    sweepEveryMs: sweepEveryMs ?? ADAPTER_DEFAULTS.sweepEveryMs,
    stop: (threadId) => made.stop(threadId),
  });
  return { host: 'adapter', target: ctx.target };
}

function adapterMethods(s: AdapterHostState): TargetHost['methods'] {
  const { counters } = s;
  return {
    async 'adapter.start'(input: AdapterStartInput): Promise<AdapterStartReply> {
      counters.starts += 1;
      try {
        const { sessionId } = await need(s).start(input);
        s.reaper!.touch(input.threadId);
        return { sessionId, cursors: drain(s) };
      } catch (e) {
        counters.startErrors += 1;
        // Cursors emitted before the failure are still the adapter's word: keep them for the next reply.
        throw e;
      }
    },
    async 'adapter.turn'(input: AdapterTurnInput): Promise<AdapterTurnReply> {
      counters.turns += 1;
      const out = await s.reaper!.duringTurn(input.threadId, () => need(s).sendTurn(input));
      return { sessionId: out.sessionId, text: out.text, cursors: drain(s) };
    },
    async 'adapter.stop'(params: { threadId: string }) {
      counters.stops += 1;
      s.reaper!.forget(params.threadId);
      await need(s).stop(params.threadId);
      return { cursors: drain(s) };
    },
    async 'adapter.reaped'(): Promise<AdapterReapedReply> {
      const reaped = (await s.reaper?.drain()) ?? [];
      return { reaped, cursors: drain(s) };
    },
    stats() {
      const own = s.adapter?.stats?.() ?? {};
      return {
        ...counters,
        reaps: s.reaper?.reapCount ?? 0,
        liveBindings: s.reaper?.live ?? 0,
        ...Object.fromEntries(Object.entries(own).map(([k, v]) => [`adapter.${k}`, v])),
      };
    },
  };
}

export default createAdapterHost();
