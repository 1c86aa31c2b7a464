// memlab loads the same under plain Node (the published CLI) and under tsx (the CLI on the
// sources, `npm run scenario`, field runs), which hand a CommonJS package's exports over differently.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/core/paths.ts';

describe('loading memlab', () => {
  it('works under tsx, where the package has no default export', () => {
    const script = [
      "import { withMemlab } from './harness/diagnose/memlab.ts';",
      "console.log(await withMemlab(async () => 'loaded'));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('loaded');
  }, 60_000);
});
