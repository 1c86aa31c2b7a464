// The README's "Write your own scenario" skeleton is a real file: it type-checks (npx tsc), the
// README quotes it verbatim, and it runs: the runner does its declared warm-up, then its step in
// the judged main phase.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/scenario/run.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import skeleton from './own/notes-unclean.ts';
import { explain, fixture, testOut } from './helpers.ts';

const SKELETON_FILE = join(REPO_ROOT, 'test/scenario/own/notes-unclean.ts');

describe("the README's own-scenario skeleton", () => {
  it('is quoted verbatim in the README', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Write your own scenario'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(SKELETON_FILE, 'utf8'));
  });

  it('runs its declared warm-up in phase warmup, then its step in the judged phase churn', async () => {
    const { report } = await runScenario(skeleton, {
      target: fixture('targets/unclean-exit/fixed.ts'),
      sessions: 200,
      params: { warmupSessions: 100 },
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error, explain(report)).toBeUndefined();
    expect(report.phases.map((p) => p.name)).toEqual(['prime', 'warmup', 'churn']);
    expect(report.workDone.session).toBe(300);
    expect(report.stopping).toMatchObject({ mode: 'fixed', phase: 'churn', nominal: 200 });
  });
});
