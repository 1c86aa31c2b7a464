// Base vs head on a real (temporary) git repository: a fixed plugin at one commit and its leaky
// twin at the next must come out 'regressed'; the same commit on both sides must not; every
// temporary worktree is gone afterwards; bad refs are bad input that names the ref.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRefs } from '../../harness/refs/compare-refs.ts';
import { BadInputError } from '../../harness/scenario/target-spec.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import { smallScenario } from '../profile/small-scenario.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'profile', 'fixtures');
// 4 runs per side is the fewest with which the exact rank test can reach alpha 0.05.
const RUNS = 4;
const ALPHA = 0.05;
const SESSIONS = 48;
// 8 samples a run (3 priming, 1 warm-up, 4 judged) instead of 17: both sides prime alike and the
// decision rests on exact entry counts, so long priming (there for absolute heap verdicts) and
// many points only cost this test minutes; the 12 warm-up sessions leave the leaky guard Map
// past the census's 8-entry minimum at its first look, so it is followed from there on.
const scenario = { ...smallScenario, params: { ...smallScenario.params, warmupSessions: 12 }, sampleEveryUnits: 12, primeSamples: 3 };

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { encoding: 'utf8' }).trim();

let repo: string;
const worktrees = () => git(repo, 'worktree', 'list').split('\n').length;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'churnlab-user-repo-'));
  git(repo, 'init', '-q');
  writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
  // The user's installed dependencies, which compare links into each worktree.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  copyFileSync(join(FIXTURES, 'guard-fixed.ts'), join(repo, 'plugin.ts'));
  git(repo, 'add', '.gitignore', 'plugin.ts');
  git(repo, 'commit', '-q', '-m', 'fixed guard');
  copyFileSync(join(FIXTURES, 'guard-leaky.ts'), join(repo, 'plugin.ts'));
  git(repo, 'commit', '-q', '-am', 'leaky guard');
});

describe('npm run compare (base vs head)', () => {
  it('flags the leaky commit against the fixed one, figure by figure', async () => {
    const out = mkdtempSync(join(tmpdir(), 'churnlab-compare-'));
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('churnlab-base-') || f.startsWith('churnlab-head-')).length;
    const r = await compareRefs({
      target: join(repo, 'plugin.ts'),
      base: 'HEAD~1',
      scenario,
      runsPerSide: RUNS,
      sessions: SESSIONS,
      alpha: ALPHA,
      outDir: out,
    });
    expect(r.status).toBe('compared');
    if (r.status !== 'compared') return;
    expect(r.head.ref).toBe('(working tree)');
    const gate = r.metrics.find((m) => m.label === 'entries per session (gateSessions)');
    expect(gate, r.metrics.map((m) => m.line).join('\n')).toBeDefined();
    expect(gate!.comparison.outcome).toBe('regressed');
    expect(gate!.line).toMatch(/^entries per session \(gateSessions\): 0 -> 0\.\d+ .*significant regression/);
    expect(r.outcome).toBe('regressed');
    expect(r.exitCode).toBe(1);
    expect(r.runDirs.map((d) => d.side)).toEqual(['base', 'head', 'head', 'base', 'base', 'head', 'head', 'base']);
    // Temporary worktrees are gone.
    expect(worktrees()).toBe(1);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('churnlab-base-') || f.startsWith('churnlab-head-')).length).toBe(before);
  }, 600_000);

  it('does not flag the same commit on both sides', async () => {
    const out = mkdtempSync(join(tmpdir(), 'churnlab-compare-'));
    const r = await compareRefs({
      target: join(repo, 'plugin.ts'),
      base: 'HEAD~1',
      head: 'HEAD~1',
      scenario,
      runsPerSide: RUNS,
      sessions: SESSIONS,
      alpha: ALPHA,
      outDir: out,
    });
    expect(r.status).toBe('compared');
    if (r.status !== 'compared') return;
    expect(r.metrics.filter((m) => m.comparison.outcome === 'regressed').map((m) => m.line)).toEqual([]);
    expect(r.outcome).not.toBe('regressed');
    expect(r.exitCode).not.toBe(1);
    expect(worktrees()).toBe(1);
  }, 600_000);

  it('names a bad ref and the repository as bad input, before any run', async () => {
    const run = compareRefs({
      target: join(repo, 'plugin.ts'),
      base: 'no-such-branch',
      scenario,
      outDir: mkdtempSync(join(tmpdir(), 'churnlab-compare-')),
    });
    await expect(run).rejects.toBeInstanceOf(BadInputError);
    await expect(run).rejects.toThrow(`--base no-such-branch: not a commit in the git repository ${repo}`);
    await expect(compareRefs({ target: join(repo, 'plugin.ts'), base: 'HEAD', head: '--all', scenario, outDir: repo })).rejects.toThrow(
      /--head --all: not a git ref/,
    );
    await expect(compareRefs({ target: join(tmpdir(), 'nope.ts'), base: 'HEAD', scenario, outDir: repo })).rejects.toThrow(
      /--target .*nope\.ts: no such file/,
    );
    expect(worktrees()).toBe(1);
  });
});
