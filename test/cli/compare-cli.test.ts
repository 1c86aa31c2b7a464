// The `npm run compare` command line: bad input exits 3 with a message naming what was wrong.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/core/paths.ts';

const run = async (...args: string[]) => {
  try {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'harness/cli/compare.ts'), ...args], {
      cwd: REPO_ROOT,
    });
    return { code: 0, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
};

describe('npm run compare: bad input', () => {
  it('exits 3 and says --base is required', async () => {
    const r = await run('--target', 'fixtures/targets/unclean-exit/leaky.ts');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--base is required');
  });

  it('exits 3 and names a ref that is not a commit', async () => {
    const r = await run('--', '--target', 'fixtures/targets/unclean-exit/leaky.ts', '--base', 'no-such-ref-xyz');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--base no-such-ref-xyz: not a commit in the git repository');
  });
});
