// OpenCode runs plugins in Bun; the plugin host runs them in Node. Every use of `Bun.*` and of `$`
// (Bun's shell) is counted per hook and API, so a report can say which paths the verdict does not
// cover. Small faithful shims stand in where Node has the same thing (Bun.file(path).text/json/
// exists, Bun.write, Bun.env, Bun.sleep); any other Bun API throws a message that says so, and so
// does `$`: silently running shell commands during a leak test would be worse than failing.
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import type { PluginInput } from '@opencode-ai/plugin';
import { currentHook } from './hooks.ts';

export interface BunUse {
  api: string;
  hook: string;
  count: number;
  shimmed: boolean;
}

/** Counters per (hook, API): bounded by the APIs a plugin names, never per session. */
export class BunUses {
  private readonly uses = new Map<string, BunUse>();

  count(api: string, shimmed: boolean): void {
    const hook = currentHook() ?? 'plugin load';
    const key = `${hook}\u0000${api}`;
    const use = this.uses.get(key);
    if (use) use.count += 1;
    else this.uses.set(key, { api, hook, count: 1, shimmed });
  }

  list(): BunUse[] {
    return [...this.uses.values()].map((u) => ({ ...u }));
  }
}

type Data = string | ArrayBufferView | ArrayBuffer | { text(): Promise<string> };

function pathOf(target: unknown): string {
  if (typeof target === 'string') return target;
  if (target instanceof URL) return target.pathname;
  if (target && typeof target === 'object' && typeof (target as { name?: unknown }).name === 'string')
    return (target as { name: string }).name;
  throw new TypeError('churnlab Bun shim: expected a path, a file: URL or a Bun.file()');
}

function bunFile(path: string, uses: BunUses): Record<string, unknown> {
  const method =
    <T>(name: string, run: () => Promise<T>) =>
    () => {
      uses.count(`Bun.file().${name}`, true);
      return run();
    };
  return {
    name: path,
    type: 'text/plain;charset=utf-8',
    text: method('text', () => readFile(path, 'utf8')),
    json: method('json', async () => JSON.parse(await readFile(path, 'utf8')) as unknown),
    arrayBuffer: method('arrayBuffer', async () => {
      const b = await readFile(path);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    }),
    bytes: method('bytes', async () => new Uint8Array(await readFile(path))),
    exists: method('exists', () =>
      access(path).then(
        () => true,
        () => false,
      ),
    ),
    stat: method('stat', () => stat(path)),
  };
}

async function bytesOf(data: Data): Promise<string | Uint8Array> {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data && typeof (data as { text?: unknown }).text === 'function') return (data as { text(): Promise<string> }).text();
  throw new TypeError('churnlab Bun shim: Bun.write takes a string, bytes or a Bun.file()');
}

function unavailable(api: string): never {
  throw new Error(`churnlab's plugin host runs in Node and has no ${api}: the verdict does not cover the paths that use it.`);
}

/** The `Bun` global the host installs before loading a plugin (counted shims, the rest refused). */
export function bunGlobal(uses: BunUses): object {
  const shims: Record<string, unknown> = {
    file: (path: unknown) => bunFile(pathOf(path), uses),
    write: async (dest: unknown, data: Data) => {
      const bytes = await bytesOf(data);
      await writeFile(pathOf(dest), bytes);
      return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
    },
    env: process.env,
    sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return new Proxy(shims, {
    get(target, prop) {
      if (typeof prop !== 'string') return undefined;
      const api = `Bun.${prop}`;
      if (prop in target) {
        uses.count(api, true);
        return target[prop];
      }
      uses.count(api, false);
      return () => unavailable(api);
    },
    has: (target, prop) => typeof prop === 'string',
  });
}

/** OpenCode hands plugins Bun's `$`; here every use is counted, then refused with a message that says so. */
export function countedShell(uses: BunUses): PluginInput['$'] {
  const refuse = (api: string) => {
    uses.count(api, false);
    throw new Error(
      `churnlab's plugin host has no Bun shell: this plugin used ${api} (PluginInput.$). ` +
        'The verdict does not cover the paths that run shell commands; guard them behind an option to test the rest.',
    );
  };
  const shell = new Proxy(function $() {}, {
    apply: () => refuse('$'),
    get: (_t, prop) => {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return () => refuse(`$.${prop}`);
    },
  });
  return shell as unknown as PluginInput['$'];
}
