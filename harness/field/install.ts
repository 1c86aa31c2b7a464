// Installs the field corpus once into churnlab's cache dir (next to the real OpenCode), never into
// the project's node_modules and never by `npm ci`: `<cache>/field-plugins/node_modules`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { opencodeCacheDir } from '../opencode-real/install.ts';
import { FIELD_DEFAULTS } from '../core/defaults.ts';
import type { FieldPlugin } from './plugins.ts';

/** `<cache>/field-plugins` beside `<cache>/opencode-ai-<v>`. */
export function fieldCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(opencodeCacheDir(env)), 'field-plugins');
}

export const spec = (p: FieldPlugin): string => `${p.name}@${p.version}`;

/** The installed version of a plugin under `dir`, if any. */
export function installedVersion(dir: string, name: string): string | undefined {
  const pkg = join(dir, 'node_modules', name, 'package.json');
  if (!existsSync(pkg)) return undefined;
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version;
}

/**
 * The module OpenCode would import for a package: `exports['.']` (import, then default), else
 * `module`, else `main`, else index.js.
 */
export function pluginEntry(dir: string, name: string): string {
  const root = join(dir, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports?: unknown;
    module?: string;
    main?: string;
  };
  const fromExports = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (!value || typeof value !== 'object') return undefined;
    const v = value as Record<string, unknown>;
    if ('.' in v) return fromExports(v['.']);
    return fromExports(v.import) ?? fromExports(v.default);
  };
  const rel = fromExports(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
  return join(root, rel);
}

export type FieldInstall = { ok: true; dir: string; installed: string[] } | { ok: false; dir: string; reason: string };

/** Install the plugins whose pinned version is not there yet, in one npm call. */
export async function ensureFieldInstalled(
  plugins: readonly FieldPlugin[],
  log: (line: string) => void,
  dir = fieldCacheDir(),
): Promise<FieldInstall> {
  const missing = plugins.filter((p) => installedVersion(dir, p.name) !== p.version);
  if (missing.length === 0) return { ok: true, dir, installed: [] };
  mkdirSync(dir, { recursive: true });
  // --ignore-scripts: the corpus is run, not built; a plugin's postinstall must not run as us.
  const args = ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', ...plugins.map(spec)];
  log(`churnlab field: installing ${missing.map(spec).join(', ')} into ${dir}`);
  const result = await run('npm', args, FIELD_DEFAULTS.installTimeoutMs);
  if (!result.ok) return { ok: false, dir, reason: `npm ${args.join(' ')}: ${result.reason}` };
  const still = plugins.filter((p) => installedVersion(dir, p.name) !== p.version);
  if (still.length > 0) return { ok: false, dir, reason: `after npm install, not at the pinned version: ${still.map(spec).join(', ')}` };
  return { ok: true, dir, installed: missing.map(spec) };
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let tail = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: `${signal ? `killed (${signal})` : `exit ${code}`}: ${tail.trim().split('\n').slice(-4).join(' | ')}`,
        });
    });
  });
}
