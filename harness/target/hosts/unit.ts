// Built-in 'unit' host: drives a module that exports `unit(i)` (and optionally `setup()` /
// `teardown()`), for the synthetic fixtures. One IPC call runs a whole batch of units.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostLoadContext, TargetHost } from '../../wire/protocol.ts';

export interface UnitModule {
  unit(i: number): void | Promise<void>;
  setup?(options: Record<string, unknown>): void | Promise<void>;
  teardown?(): void | Promise<void>;
  [name: string]: unknown;
}

/** Parameters of the 'units' method. */
export interface UnitsParams {
  from: number;
  count: number;
}
/** Parameters of the 'invoke' method: call an exported function (a probe, a stats reader). */
export interface InvokeParams {
  name: string;
  args?: unknown[];
}

let mod: UnitModule | undefined;

function loaded(): UnitModule {
  if (!mod) throw new Error('unit host: no target loaded');
  return mod;
}

const host: TargetHost = {
  async load(ctx: HostLoadContext) {
    const url = pathToFileURL(isAbsolute(ctx.target) ? ctx.target : resolve(ctx.target)).href;
    const ns = (await import(url)) as UnitModule;
    if (typeof ns.unit !== 'function') {
      throw new TypeError(`target ${ctx.target} does not export a function unit(i)`);
    }
    mod = ns;
    await ns.setup?.(ctx.options);
    return { host: 'unit', target: ctx.target, exports: Object.keys(ns) };
  },
  methods: {
    /** Runs unit(from) .. unit(from + count - 1) in order; async units are awaited one by one. */
    async units(params: UnitsParams) {
      const { from, count } = params ?? ({} as UnitsParams);
      if (!Number.isInteger(from) || !Number.isInteger(count) || count < 0) {
        throw new RangeError(`units needs { from: integer, count: integer >= 0 }, got ${JSON.stringify(params)}`);
      }
      const target = loaded();
      for (let i = from; i < from + count; i++) {
        const r = target.unit(i);
        if (r && typeof (r as Promise<void>).then === 'function') await r;
      }
      return { done: count };
    },
    async invoke(params: InvokeParams) {
      const fn = loaded()[params?.name];
      if (typeof fn !== 'function') throw new Error(`target does not export a function '${params?.name}'`);
      return await (fn as (...a: unknown[]) => unknown)(...(params.args ?? []));
    },
  },
  roots() {
    return mod ? { target: mod } : {};
  },
  async dispose() {
    await mod?.teardown?.();
  },
};

export default host;
