// `npm run scenario` takes the reports root and the scenario's default target from the config
// when the command line names neither. A target that throws at load keeps the run short (exit 4)
// while still proving which target ran and where its report went.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/core/paths.ts';

describe('npm run scenario with a config', () => {
  it("runs the config's target for the scenario and writes under the config's outDir", () => {
    const dir = mkdtempSync(join(tmpdir(), 'churnlab-scenario-config-'));
    const config = join(dir, 'churnlab.config.ts');
    writeFileSync(
      config,
      `import { defineConfig } from ${JSON.stringify(join(REPO_ROOT, 'harness/config/define.ts'))};
export default defineConfig({ outDir: 'my-reports', targets: { 'leak-unclean-exit': ${JSON.stringify(join(REPO_ROOT, 'fixtures/targets/broken/throws-at-load.ts'))} } });
`,
    );
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'harness/cli/scenario.ts', 'leak-unclean-exit', '--config', config, '--no-diagnose'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(4);
    const runDir = r.stdout.trim().split('\n').pop()!;
    expect(runDir.startsWith(join(dir, 'my-reports', 'leak-unclean-exit'))).toBe(true);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { target: { label: string } };
    expect(report.target.label).toBe('fixtures/targets/broken/throws-at-load.ts');
    expect(existsSync(join(REPO_ROOT, 'reports', 'leak-unclean-exit', runDir.split('/').pop()!))).toBe(false);
  }, 300_000);
});
