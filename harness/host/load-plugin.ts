// Loads an OpenCode plugin module the way OpenCode does: a `{ server }` plugin module (default
// export or the module itself), else every exported function is a plugin (a default export that
// is also a named export counts once). Non-function exports are skipped with a note, where older
// OpenCode releases crashed ("fn is not a function").
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from '@opencode-ai/plugin';

export interface LoadedPlugin {
  name: string;
  plugin: Plugin;
}

export interface LoadedModule {
  namespace: Record<string, unknown>;
  plugins: LoadedPlugin[];
  skipped: string[];
}

/** A path (absolute or relative to cwd) or a package name resolved from cwd. */
export function resolveTargetSpecifier(spec: string, cwd = process.cwd()): string {
  if (isAbsolute(spec)) return pathToFileURL(spec).href;
  if (spec.startsWith('.') || (spec.includes('/') && /\.(m|c)?[jt]s$/.test(spec))) {
    return pathToFileURL(resolve(cwd, spec)).href;
  }
  const require = createRequire(resolve(cwd, 'package.json'));
  return pathToFileURL(require.resolve(spec)).href;
}

function isFunction(value: unknown): value is Plugin {
  return typeof value === 'function';
}

function serverOf(value: unknown): Plugin | undefined {
  if (value && typeof value === 'object' && 'server' in value) {
    const server = (value as { server: unknown }).server;
    if (isFunction(server)) return server;
  }
  return undefined;
}

export function pluginsOf(namespace: Record<string, unknown>): { plugins: LoadedPlugin[]; skipped: string[] } {
  const fromModule = serverOf(namespace.default) ?? (isFunction(namespace.server) ? namespace.server : undefined);
  if (fromModule) return { plugins: [{ name: 'server', plugin: fromModule }], skipped: [] };
  const seen = new Set<unknown>();
  const plugins: LoadedPlugin[] = [];
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(namespace)) {
    if (!isFunction(value)) {
      skipped.push(name);
      continue;
    }
    if (seen.has(value)) continue;
    seen.add(value);
    plugins.push({ name, plugin: value });
  }
  return { plugins, skipped };
}

export async function loadPluginModule(spec: string, cwd?: string): Promise<LoadedModule> {
  const url = resolveTargetSpecifier(spec, cwd);
  const namespace = (await import(url)) as Record<string, unknown>;
  const { plugins, skipped } = pluginsOf(namespace);
  if (plugins.length === 0) {
    throw new Error(
      `${spec} exports no OpenCode plugin: expected a default or named export that is a function ` +
        `(input: PluginInput) => Promise<Hooks>, or a { server } plugin module; found exports: ` +
        `${Object.keys(namespace).join(', ') || '(none)'}`,
    );
  }
  return { namespace, plugins, skipped };
}
