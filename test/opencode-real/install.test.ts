// Installing the real server on first use, with stand-ins for npm (no 355 MiB download): where it
// goes, that it happens once, and that every failure names the command to run. The CLI's exit
// code for a missing server is checked end to end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureOpencodeInstalled, findOpencodeBinary, INSTALL_COMMAND, opencodeCacheDir } from '../../harness/opencode-real/install.ts';
import { OpenCodeNotInstalledError, startRealBackend } from '../../harness/opencode-real/backend.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const NPM_OK = here('./fake-npm-ok/npm');
const NPM_FAIL = here('./fake-npm-fail/npm');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'churnlab-install-test-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('installing opencode-ai on first use', () => {
  it('puts the cache under CHURNLAB_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(opencodeCacheDir({ CHURNLAB_CACHE_DIR: '/c' })).toBe('/c/opencode-ai-1.18.33');
    expect(opencodeCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/churnlab/opencode-ai-1.18.33');
    expect(opencodeCacheDir({})).toMatch(/\/\.cache\/churnlab\/opencode-ai-1\.18\.33$/);
  });

  it('says what is missing, and where, when nothing is installed', () => {
    const dir = join(tempDir(), 'cache');
    expect(findOpencodeBinary(dir)).toEqual({ found: false, dir, reason: `opencode-ai@1.18.33 is not installed in ${dir}` });
  });

  it('installs once with npm, then finds the platform binary without running npm again', async () => {
    const dir = join(tempDir(), 'cache');
    const lines: string[] = [];
    const first = await ensureOpencodeInstalled({ dir, npm: NPM_OK, log: (l) => lines.push(l) });
    expect(first).toMatchObject({ ok: true, alreadyInstalled: false, dir });
    expect(first.ok && first.path).toMatch(/node_modules\/opencode-linux-[a-z0-9-]+\/bin\/opencode$/);
    expect(lines[0]).toContain(`installing opencode-ai@1.18.33 (~355 MiB) into ${dir}`);
    const second = await ensureOpencodeInstalled({ dir, npm: NPM_OK });
    expect(second).toMatchObject({ ok: true, alreadyInstalled: true });
    expect(readFileSync(`${dir}.npm-calls`, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it("reports a failed install with npm's own words and the command to run", async () => {
    const dir = join(tempDir(), 'cache');
    const result = await ensureOpencodeInstalled({ dir, npm: NPM_FAIL });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('exited with 1');
    expect(!result.ok && result.reason).toContain('ENOTFOUND');
    expect(!result.ok && result.command).toContain(INSTALL_COMMAND);
    expect(!result.ok && result.command).toContain(`npm install --prefix ${dir} --no-save --no-audit --no-fund opencode-ai@1.18.33`);
  });

  it('refuses to start the real backend without the binary unless asked to install, naming the command', async () => {
    const saved = process.env.CHURNLAB_CACHE_DIR;
    process.env.CHURNLAB_CACHE_DIR = tempDir();
    try {
      const error = await startRealBackend({ install: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenCodeNotInstalledError);
      expect((error as Error).message).toContain(`Install it once with:\n  ${INSTALL_COMMAND}`);
    } finally {
      if (saved === undefined) delete process.env.CHURNLAB_CACHE_DIR;
      else process.env.CHURNLAB_CACHE_DIR = saved;
    }
  });

  it('ends `npm run scenario … --opencode real` with exit 3 and the command when the install fails', () => {
    const cache = tempDir();
    const out = tempDir();
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'harness/cli/scenario.ts'), 'leak-unclean-exit', '--opencode', 'real', '--out', out],
      {
        cwd: ROOT,
        env: { ...process.env, CHURNLAB_CACHE_DIR: cache, PATH: `${here('./fake-npm-fail')}:${process.env.PATH}` },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('installing opencode-ai@1.18.33');
    expect(run.stderr).toContain(INSTALL_COMMAND);
    expect(existsSync(join(cache, 'opencode-ai-1.18.33', 'node_modules', 'opencode-ai'))).toBe(false);
  });
});
