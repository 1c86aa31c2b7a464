// The 'service' target host: runs an HTTP service inside the target process (so the same clock,
// CDP observers and census apply) and hands its URL to the harness, which drives it over real HTTP
// on loopback. Two kinds of service use it: a daemon that receives OpenCode hooks, and an
// OpenCode-compatible server that the scenario talks to with the real SDK.
//
// Contract for the target module (default export or named exports):
//   export async function start(options: ServiceStartOptions): Promise<{ url: string; close?(): Promise<void> }>
//   export function stats?(): Record<string, number>   // exact counters the service wants sampled
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostLoadContext, TargetHost } from '../wire/protocol.ts';
import { countRequests, type RequestCounts } from './request-counter.ts';

export interface ServiceStartOptions {
  /** Always 127.0.0.1: services under test listen on loopback only. */
  host: '127.0.0.1';
  /** 0: pick a free port; the service returns the URL it listens on. */
  port: 0;
  /** Base URL of the OpenCode server the service talks to (the mock), when the scenario has one. */
  opencodeUrl?: string;
  /** Scenario-specific options (TTLs, caps), passed through unchanged. */
  [option: string]: unknown;
}

export interface ServiceHandle {
  url: string;
  close?(): Promise<void>;
}

interface ServiceModule {
  start?(options: ServiceStartOptions): Promise<ServiceHandle>;
  stats?(): Record<string, number>;
  default?: { start?: ServiceModule['start']; stats?: ServiceModule['stats'] };
}

let namespace: ServiceModule | undefined;
let handle: ServiceHandle | undefined;
let requests: RequestCounts | undefined;

function api(): Required<Pick<ServiceModule, 'start'>> & Pick<ServiceModule, 'stats'> {
  const ns = namespace!;
  const start = ns.start ?? ns.default?.start;
  if (typeof start !== 'function') throw new TypeError('service module exports no start(options) function');
  return { start, stats: ns.stats ?? ns.default?.stats };
}

const host: TargetHost = {
  async load(ctx: HostLoadContext) {
    const url = pathToFileURL(isAbsolute(ctx.target) ? ctx.target : resolve(ctx.target)).href;
    requests ??= countRequests();
    namespace = (await import(url)) as ServiceModule;
    let start;
    try {
      start = api().start;
    } catch {
      throw new TypeError(
        `${ctx.target} is not a service module: expected an exported async start({ host, port, opencodeUrl, ... }) ` +
          `that returns { url, close? }; found exports: ${Object.keys(namespace).join(', ') || '(none)'}`,
      );
    }
    handle = await start({ ...ctx.options, host: '127.0.0.1', port: 0 } as ServiceStartOptions);
    if (!handle || typeof handle.url !== 'string' || !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(handle.url)) {
      throw new Error(`${ctx.target}: start() must resolve to { url } on 127.0.0.1, got ${JSON.stringify(handle)}`);
    }
    return { host: 'service', target: ctx.target, url: handle.url };
  },
  methods: {
    /** The service's own exact counters (e.g. how many hooks took the expensive path). */
    stats() {
      return api().stats?.() ?? {};
    },
    /** Requests the service answered, per route (the report's coverage section). */
    coverage() {
      return { requests: requests?.requests ?? 0, routes: { ...(requests?.routes ?? {}) } };
    },
  },
  roots() {
    return { target: namespace, service: handle };
  },
  async dispose() {
    await handle?.close?.();
  },
};

export default host;
