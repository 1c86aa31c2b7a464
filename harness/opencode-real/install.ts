// Where the `opencode` binary lives and how it gets there. The package (177 MiB binary, ~355 MiB
// installed: npm pulls the x64 and x64-baseline builds) stays out of the project's `npm ci`; it is
// installed once into a cache directory, by `npm run opencode:install` or on first use of
// `--opencode real`. We exec the platform package's binary directly, so a blocked postinstall
// (npm's allowScripts) does not matter.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REAL_DEFAULTS } from '../core/defaults.ts';
import { OPENCODE_PACKAGE, OPENCODE_VERSION } from './version.ts';

/** The one line a user runs to install the real server (printed in every "not installed" error). */
export const INSTALL_COMMAND = 'npx churnlab opencode install';

/** `$CHURNLAB_CACHE_DIR/opencode-ai-<v>`, else `$XDG_CACHE_HOME/churnlab/…`, else `~/.cache/churnlab/…`. */
export function opencodeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.CHURNLAB_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'churnlab');
  return join(root, `opencode-ai-${OPENCODE_VERSION}`);
}

/** The npm command that installs the package into `dir`, as argv (after `npm`). */
export function npmInstallArgs(dir: string): string[] {
  return ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', OPENCODE_PACKAGE];
}

function hasAvx2(): boolean {
  try {
    return /(^|\s)avx2(\s|$)/i.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/** Platform packages to try, best first (what the package's own postinstall would pick). */
function platformPackages(): string[] {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const base = `opencode-${platform}-${process.arch}`;
  const order = process.arch === 'x64' && !hasAvx2() ? [`${base}-baseline`, base] : [base, `${base}-baseline`];
  return [...order, ...order.map((p) => `${p}-musl`)];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type BinaryLookup = { found: true; path: string; dir: string } | { found: false; dir: string; reason: string };

/** The installed binary under `dir` (the cache dir by default), or why there is none. */
export function findOpencodeBinary(dir = opencodeCacheDir()): BinaryLookup {
  const modules = join(dir, 'node_modules');
  if (!existsSync(join(modules, 'opencode-ai', 'package.json'))) {
    return { found: false, dir, reason: `${OPENCODE_PACKAGE} is not installed in ${dir}` };
  }
  const exe = process.platform === 'win32' ? 'opencode.exe' : 'opencode';
  for (const pkg of platformPackages()) {
    const path = join(modules, pkg, 'bin', exe);
    if (executable(path)) return { found: true, path, dir };
  }
  return { found: false, dir, reason: `${OPENCODE_PACKAGE} is in ${dir} but no platform binary (${platformPackages()[0]}) came with it` };
}

export type InstallResult =
  | { ok: true; path: string; dir: string; durationMs: number; alreadyInstalled: boolean }
  | { ok: false; dir: string; reason: string; command: string };

export interface InstallOptions {
  dir?: string;
  /** Progress lines for the user (what is being done, and where). */
  log?: (line: string) => void;
  /** npm executable (tests point it at a fake). */
  npm?: string;
  timeoutMs?: number;
}

/** Install the package into the cache dir unless the binary is already there. */
export async function ensureOpencodeInstalled(opts: InstallOptions = {}): Promise<InstallResult> {
  const dir = opts.dir ?? opencodeCacheDir();
  const log = opts.log ?? (() => {});
  const command = `${INSTALL_COMMAND}   (or: npm ${npmInstallArgs(dir).join(' ')})`;
  const before = findOpencodeBinary(dir);
  if (before.found) return { ok: true, path: before.path, dir, durationMs: 0, alreadyInstalled: true };
  log(`churnlab: installing ${OPENCODE_PACKAGE} (~355 MiB) into ${dir}; once only, takes 10-60 s`);
  const started = Date.now();
  const run = await runNpm(opts.npm ?? 'npm', npmInstallArgs(dir), opts.timeoutMs ?? REAL_DEFAULTS.installTimeoutMs);
  const after = findOpencodeBinary(dir);
  if (!after.found) {
    const why = run.ok ? after.reason : run.reason;
    return { ok: false, dir, reason: `installing ${OPENCODE_PACKAGE} failed: ${why}`, command };
  }
  const durationMs = Date.now() - started;
  log(`churnlab: installed ${after.path} in ${(durationMs / 1000).toFixed(1)} s`);
  return { ok: true, path: after.path, dir, durationMs, alreadyInstalled: false };
}

type NpmRun = { ok: true } | { ok: false; reason: string };

function runNpm(npm: string, args: string[], timeoutMs: number): Promise<NpmRun> {
  return new Promise((resolve) => {
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    };
    let child;
    try {
      child = spawn(npm, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ ok: false, reason: `could not run ${npm}: ${(e as Error).message}` });
      return;
    }
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not run ${npm}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: `${npm} ${signal ? `was killed (${signal}, limit ${timeoutMs} ms)` : `exited with ${code}`}: ${tail.trim().split('\n').slice(-5).join(' | ')}`,
        });
    });
  });
}
