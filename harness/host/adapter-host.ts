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

function createAdapterHost(): TargetHost {
  let namespace: Record<string, unknown> | undefined;
  let adapter: Adapter | undefined;
  let reaper: IdleReaper | undefined;
  // Cursors emitted since the last reply (drained by every reply: bounded by one call's work).
  let pending: EmittedCursor[] = [];
  const counters = { starts: 0, startErrors: 0, turns: 0, stops: 0 };

  const need = (): Adapter => {
    if (!adapter) throw new Error('adapter host: the adapter is not loaded yet');
    return adapter;
  };
  const drain = (): EmittedCursor[] => {
    const out = pending;
    pending = [];
    return out;
  };

  return {
    async load(ctx: HostLoadContext) {
      const options = ctx.options as AdapterHostOptions;
      if (typeof options.opencodeUrl !== 'string') {
        throw new Error('adapter host: options.opencodeUrl (the OpenCode server URL) is required');
      }
      const url = pathToFileURL(isAbsolute(ctx.target) ? ctx.target : resolve(ctx.target)).href;
      namespace = (await import(url)) as Record<string, unknown>;
      const factory = findFactory(namespace);
      if (!factory) {
        throw new TypeError(
          `${ctx.target} is not an adapter module: expected an exported createAdapter({ opencodeUrl, emitCursor, options }) ` +
            `returning { start, sendTurn, stop }; found exports: ${Object.keys(namespace).join(', ') || '(none)'}`,
        );
      }
      const { opencodeUrl, idleMs, sweepEveryMs, ...rest } = options;
      const made = await factory({
        opencodeUrl,
        options: rest,
        emitCursor(threadId, cursor) {
          // Only JSON crosses to the harness; a cursor that does not survive it is the adapter's bug.
          pending.push({ threadId: String(threadId), cursor: cursor === undefined ? null : JSON.parse(JSON.stringify(cursor)) });
        },
      });
      const missing = REQUIRED.filter((m) => typeof (made as unknown as Record<string, unknown>)?.[m] !== 'function');
      if (missing.length > 0) throw new TypeError(`${ctx.target}: createAdapter() returned an object without ${missing.join(', ')}()`);
      adapter = made;
      reaper = new IdleReaper({
        idleMs: idleMs ?? ADAPTER_DEFAULTS.idleMs,
        sweepEveryMs: sweepEveryMs ?? ADAPTER_DEFAULTS.sweepEveryMs,
        stop: (threadId) => made.stop(threadId),
      });
      return { host: 'adapter', target: ctx.target };
    },

    methods: {
      async 'adapter.start'(input: AdapterStartInput): Promise<AdapterStartReply> {
        counters.starts += 1;
        try {
          const { sessionId } = await need().start(input);
          reaper!.touch(input.threadId);
          return { sessionId, cursors: drain() };
        } catch (e) {
          counters.startErrors += 1;
          // Cursors emitted before the failure are still the adapter's word: keep them for the next reply.
          throw e;
        }
      },
      async 'adapter.turn'(input: AdapterTurnInput): Promise<AdapterTurnReply> {
        counters.turns += 1;
        const out = await reaper!.duringTurn(input.threadId, () => need().sendTurn(input));
        return { sessionId: out.sessionId, text: out.text, cursors: drain() };
      },
      async 'adapter.stop'(params: { threadId: string }) {
        counters.stops += 1;
        reaper!.forget(params.threadId);
        await need().stop(params.threadId);
        return { cursors: drain() };
      },
      async 'adapter.reaped'(): Promise<AdapterReapedReply> {
        const reaped = (await reaper?.drain()) ?? [];
        return { reaped, cursors: drain() };
      },
      stats() {
        const own = adapter?.stats?.() ?? {};
        return {
          ...counters,
          reaps: reaper?.reapCount ?? 0,
          liveBindings: reaper?.live ?? 0,
          ...Object.fromEntries(Object.entries(own).map(([k, v]) => [`adapter.${k}`, v])),
        };
      },
    },

    roots() {
      return { target: namespace, adapter };
    },

    async dispose() {
      reaper?.dispose();
      await adapter?.dispose?.();
    },
  };
}

export default createAdapterHost();
