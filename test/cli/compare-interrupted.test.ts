// An interrupted compare never says unchanged: its outcome is 'interrupted' (exit 128 + signal),
// comparison.json and comparison.md say how many runs per side had finished, the run in flight
// reports interrupted itself, and the temporary worktrees are removed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Interrupted } from '../../harness/core/interrupt.ts';
import { compareRefs } from '../../harness/refs/compare-refs.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import { smallScenario } from '../profile/small-scenario.ts';

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { encoding: 'utf8' }).trim();

let repo: string;
const worktrees = () => git(repo, 'worktree', 'list').split('\n').length;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'churnlab-user-repo-'));
  git(repo, 'init', '-q');
  writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  copyFileSync(join(REPO_ROOT, 'test', 'profile', 'fixtures', 'guard-fixed.ts'), join(repo, 'plugin.ts'));
  git(repo, 'add', '.gitignore', 'plugin.ts');
  git(repo, 'commit', '-q', '-m', 'fixed guard');
});

describe('npm run compare, interrupted', () => {
  it('a signal during the first run: interrupted with exit 143, nothing compared, the run reports it, no worktree left', async () => {
    const out = mkdtempSync(join(tmpdir(), 'churnlab-compare-'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Interrupted('SIGTERM', Date.now())), 500);
    const r = await compareRefs({
      target: join(repo, 'plugin.ts'),
      base: 'HEAD',
      scenario: { ...smallScenario, primeSamples: 5 },
      runsPerSide: 4,
      sessions: 100_000,
      outDir: out,
      signal: controller.signal,
    });

    expect(r.status).toBe('interrupted');
    if (r.status !== 'interrupted') return;
    expect(r).toMatchObject({ outcome: 'interrupted', signal: 'SIGTERM', exitCode: 143, runsDone: { base: 0, head: 0 }, metrics: [] });
    expect(r.outcomeSoFar).toBeUndefined();
    const cut = JSON.parse(readFileSync(join(r.interruptedRunDir!, 'report.json'), 'utf8')) as RunReport;
    expect(cut.verdict).toBe('interrupted');
    expect(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'))).toMatchObject({ status: 'interrupted', exitCode: 143 });
    expect(readFileSync(join(out, 'comparison.md'), 'utf8')).toMatch(
      /^## interrupted .*\n\ninterrupted by SIGTERM after 0 base and 0 head runs of 4 per side/,
    );
    expect(worktrees()).toBe(1);
  }, 120_000);

  it('a signal before the first run starts none and says so', async () => {
    const out = mkdtempSync(join(tmpdir(), 'churnlab-compare-'));
    const controller = new AbortController();
    controller.abort(new Interrupted('SIGINT', Date.now()));
    const r = await compareRefs({
      target: join(repo, 'plugin.ts'),
      base: 'HEAD',
      scenario: smallScenario,
      outDir: out,
      signal: controller.signal,
    });
    expect(r).toMatchObject({ status: 'interrupted', exitCode: 130, runDirs: [] });
    expect(worktrees()).toBe(1);
  }, 60_000);
});
