// The CI matrix in small: two gate jobs (`--only <id>`, one entry each) on tiny synthetic runs,
// then `npm run report -- merge` on their directories: one summary and one page that link every
// run's report, the combined exit code, and an entry whose job left nothing is an error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GateReport } from '../../harness/gate/model.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';

function cli(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, GITHUB_STEP_SUMMARY: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const at = (p: string) => JSON.stringify(join(REPO_ROOT, p));
const dir = mkdtempSync(join(tmpdir(), 'churnlab-merge-'));
const jobs = { control: join(dir, 'artifacts', 'gate-control'), planted: join(dir, 'artifacts', 'gate-planted') };

beforeAll(() => {
  // The control's empty target, and the same scenario with a Map that gains an entry every 100 units.
  writeFileSync(
    join(dir, 'churnlab.config.ts'),
    `import { defineConfig } from ${at('harness/config/define.ts')};
import { entriesPerUnit, heapBytesPerUnit } from ${at('harness/gate/suite.ts')};
export default defineConfig({
  gate: {
    baseline: 'baseline.json',
    entries: [
      { kind: 'scenario', id: 'control', scenario: 'selfcheck-control', sessions: 1200, budgets: [heapBytesPerUnit(64), entriesPerUnit(0.005)] },
      { kind: 'scenario', id: 'planted', scenario: 'selfcheck-control', target: ${at('fixtures/synthetic/map-1-per-100.ts')}, sessions: 1200, budgets: [entriesPerUnit(0.005)] },
    ],
  },
});
`,
  );
  for (const [id, out] of Object.entries(jobs)) {
    const r = cli('harness/cli/gate.ts', ['--config', join(dir, 'churnlab.config.ts'), '--only', id, '--out', out]);
    if (r.code !== (id === 'control' ? 0 : 1)) throw new Error(`gate --only ${id} exited ${r.code}:\n${r.stderr}`);
  }
}, 600_000);

describe('npm run report -- merge', () => {
  it('combines the jobs into one summary and one page that links every run, failing as the worst job did', () => {
    const out = join(dir, 'merged');
    const { code, stdout, stderr } = cli('harness/cli/report.ts', [
      'merge',
      join(dir, 'artifacts'),
      '--out',
      out,
      '--expect',
      'control,planted',
    ]);
    expect(code, stderr).toBe(1);
    expect(stdout.trim().split('\n').pop()).toBe(out);
    const merged = JSON.parse(readFileSync(join(out, 'gate.json'), 'utf8')) as GateReport;
    expect(merged.entries.map((e) => [e.id, e.status, e.exitCode])).toEqual([
      ['control', 'pass', 0],
      ['planted', 'fail', 1],
    ]);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/^## ❌ churnlab gate failed \(exit 1\) · 2 entries/);
    expect(summary).toMatch(/Map sessionIndex: \+1 entry per 100 units, over the budget/);
    // Every run's report is copied in and linked from the page and the summary.
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const e of merged.entries) {
      for (const r of e.runs) {
        expect(existsSync(join(out, r.dir, 'report.html'))).toBe(true);
        expect(html).toContain(`href="${r.dir}/report.html"`);
      }
    }
    expect(summary).toContain(`(${merged.entries[1]!.runs[0]!.dir}/report.html)`);
  });

  it('an entry the matrix expected but no job reported is an error, never a pass', () => {
    const { code } = cli('harness/cli/report.ts', [
      'merge',
      jobs.control,
      '--out',
      join(dir, 'merged-missing'),
      '--expect',
      'control,planted',
    ]);
    expect(code).toBe(5);
    const merged = JSON.parse(readFileSync(join(dir, 'merged-missing', 'gate.json'), 'utf8')) as GateReport;
    expect(merged.entries.find((e) => e.id === 'planted')).toMatchObject({ status: 'error', exitCode: 5 });
  });

  it('takes plain run directories too, judged by their own verdict', () => {
    const runRoot = join(jobs.control, 'runs', 'selfcheck-control');
    const runDir = join(runRoot, readdirSync(runRoot)[0]!);
    const { code } = cli('harness/cli/report.ts', ['merge', runDir, '--out', join(dir, 'merged-run')]);
    expect(code).toBe(0);
    const merged = JSON.parse(readFileSync(join(dir, 'merged-run', 'gate.json'), 'utf8')) as GateReport;
    expect(merged.entries).toHaveLength(1);
    expect(merged.entries[0]).toMatchObject({ scenario: 'selfcheck-control', status: 'pass' });
  });

  it('a directory with nothing to merge exits 3 and says what it looked for', () => {
    const { code, stderr } = cli('harness/cli/report.ts', ['merge', mkdtempSync(join(tmpdir(), 'churnlab-empty-'))]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/nothing to merge under .*: expected gate\.json \(a gate directory\) or report\.json \(a run directory\)/);
  });
});
