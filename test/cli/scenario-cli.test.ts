// The CLI contract scripts depend on: --list, unknown names list the known ones, bad input exits 3
// with a message naming what was wrong and what was expected.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/core/paths.ts';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli/scenario.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run scenario', () => {
  it('--list prints every scenario with its one-line summary', () => {
    const { code, stdout } = cli('--list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^leak-unclean-exit\s+Sessions that end without session\.deleted/m);
    expect(stdout).toMatch(/^selfcheck-control\s+/m);
  });

  it('an unknown scenario exits 3 and lists the known ones', () => {
    const { code, stderr } = cli('leak-unclean-exitt');
    expect(code).toBe(3);
    expect(stderr).toMatch(/unknown scenario "leak-unclean-exitt"/);
    expect(stderr).toMatch(/leak-unclean-exit\s+Sessions that end/);
  });

  it('a --target that does not exist exits 3 and says what was expected', () => {
    const { code, stderr } = cli('leak-unclean-exit', '--target', './no/such/plugin.ts');
    expect(code).toBe(3);
    expect(stderr).toMatch(/--target \.\/no\/such\/plugin\.ts: no such file/);
    expect(stderr).toMatch(/Expected a path to a plugin module/);
  });

  it('accepts a literal -- before the flags, as typed after npm run', () => {
    const { code, stderr } = cli('leak-unclean-exit', '--', '--target', './no/such/plugin.ts');
    expect(code).toBe(3);
    expect(stderr).toMatch(/--target \.\/no\/such\/plugin\.ts: no such file/);
  });

  it('a bad --sessions or an unknown flag exits 3 with the usage', () => {
    expect(cli('leak-unclean-exit', '--sessions', 'many').stderr).toMatch(/--sessions many: expected a whole number > 0/);
    const unknown = cli('leak-unclean-exit', '--sesions', '10');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/usage: churnlab run <name>/);
  });
});
