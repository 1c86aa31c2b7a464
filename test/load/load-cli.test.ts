// The load CLI's contract for bad input: exit 3, a message naming the flag and what it expects,
// and no load started.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/core/paths.ts';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli/load.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run load: bad input', () => {
  it('a count that is not a number exits 3 naming the flag', () => {
    expect(cli('--', '--max-requests', 'lots')).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/--max-requests lots: expected a number/),
    });
  });

  it('--scenario-options that is not a JSON object exits 3 with an example', () => {
    const { code, stderr } = cli('--scenario-options', '{ttl: 5}');
    expect(code).toBe(3);
    expect(stderr).toMatch(/--scenario-options: expected a JSON object such as '\{"ttlMs":1200000\}'/);
  });

  it('a missing --target exits 3 (the range checks of every figure: test/load/options.test.ts)', () => {
    expect(cli('--target', './no/such/daemon.ts')).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/--target \.\/no\/such\/daemon\.ts: no such file/),
    });
  });
});
