// The `churnlab` command: one dispatcher over every command's main (same flags, same exit codes),
// --help everywhere, and `churnlab init`, which sets a project up and never overwrites a file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import { detectTarget } from '../../harness/cli/init.ts';

const BIN = join(REPO_ROOT, 'bin/churnlab.mjs');
const dirs: string[] = [];
const tempProject = (pkg: object) => {
  const dir = mkdtempSync(join(tmpdir(), 'churnlab-init-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function churnlab(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('churnlab', () => {
  it('--help names every command; an unknown command exits 3 with the usage', () => {
    const help = churnlab(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['run', 'list', 'gate', 'compare', 'load', 'report', 'selfcheck', 'opencode', 'init'])
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    const unknown = churnlab(['rn', 'leak-unclean-exit']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/unknown command "rn"[\s\S]*usage: churnlab <command>/);
  });

  it("each command's --help is its own usage, and its flag errors are bad input (exit 3)", () => {
    expect(churnlab(['gate', '--help']).stdout).toMatch(/^usage: churnlab gate /);
    const bad = churnlab(['run', 'leak-unclean-exit', '--sesions', '10']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/usage: churnlab run <name>/);
  });

  it('init finds the target in package.json "exports" before "main"', () => {
    expect(detectTarget(tempProject({ main: 'lib/index.js', exports: { '.': { types: './x.d.ts', import: './src/plugin.js' } } }))).toEqual(
      { target: './src/plugin.js', from: 'package.json "exports"' },
    );
    expect(detectTarget(tempProject({ main: 'lib/index.js' }))).toEqual({ target: './lib/index.js', from: 'package.json "main"' });
    expect(detectTarget(tempProject({ name: 'x' }))).toBeUndefined();
  });

  it('init without a target to find exits 3 and asks for --target; with one it writes the three files once', () => {
    const dir = tempProject({ name: 'no-entry' });
    const none = churnlab(['init'], dir);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no target: .*package\.json names no "exports" or "main"; pass --target/);

    writeFileSync(join(dir, 'churnlab.config.ts'), '// mine\n');
    const init = churnlab(['init', '--target', './src/plugin.ts'], dir);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/skipped\s+churnlab\.config\.ts \(exists, left as it is\)/);
    expect(init.stdout).toMatch(/written\s+\.github\/workflows\/churnlab\.yml/);
    expect(init.stdout).toMatch(/written\s+\.gitignore/);
    expect(readFileSync(join(dir, 'churnlab.config.ts'), 'utf8')).toBe('// mine\n');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('reports/\n');
    expect(churnlab(['init', '--target', './src/plugin.ts'], dir).stdout).toMatch(/present\s+\.gitignore \(already ignores reports\/\)/);
  });
});
