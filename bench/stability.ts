// `npx tsx bench/stability.ts [rounds]`: runs every seed scenario on its fixed and leaky twin, round
// after round, one run at a time, and prints each verdict: a flipped verdict is a bug. Not a test.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScenario } from '../harness/scenario/registry.ts';
import { REPO_ROOT, runScenario } from '../harness/scenario/run.ts';
const N = Number(process.argv[2] ?? 5);
const cases: [string, string | undefined, number | undefined][] = [
  ['leak-unclean-exit', undefined, undefined], ['leak-unclean-exit', 'fixtures/targets/unclean-exit/leaky.ts', 2500],
  ['leak-message-refetch', undefined, undefined], ['leak-message-refetch', 'fixtures/targets/message-refetch/leaky.ts', undefined],
  ['leak-bypass-rotation', undefined, undefined], ['leak-bypass-rotation', 'fixtures/targets/bypass-rotation/leaky.ts', 600],
  ['leak-session-cache', undefined, undefined], ['leak-session-cache', 'fixtures/targets/session-cache/leaky.ts', 300],
];
for (let i = 0; i < N; i++) {
  for (const [name, target, sessions] of cases) {
    const scenario = await findScenario(join(REPO_ROOT, 'scenarios'), name);
    const t0 = Date.now();
    const { report, exitCode } = await runScenario(scenario, { target: target ? join(REPO_ROOT, target) : undefined, sessions, outRoot: join(tmpdir(), 'churnlab-stability'), diagnose: false });
    const est = report.expectations.map((e) => `${e.id}=${e.verdict}(${e.estimate ?? ''})`).join(' ');
    console.log(`${i} ${name} ${target ? 'leaky' : 'fixed'} exit=${exitCode} ${((Date.now() - t0) / 1000).toFixed(1)}s ${est}`);
  }
}
