// `npx tsx bench/stability.ts [rounds]`: runs every seed scenario on its fixed and leaky twin, round
// after round, one run at a time, and prints each verdict: a flipped verdict is a bug. Not a test.
// The per-run figures (time to verdict, estimates) go to bench/results/stability-<time>.jsonl too.
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScenario } from '../harness/scenario/registry.ts';
import { runScenario } from '../harness/scenario/run.ts';
import { REPO_ROOT } from '../harness/core/paths.ts';

const N = Number(process.argv[2] ?? 5);
const cases: [string, string | undefined, number | undefined][] = [
  ['leak-unclean-exit', undefined, undefined],
  ['leak-unclean-exit', 'fixtures/targets/unclean-exit/leaky.ts', 2500],
  ['leak-message-refetch', undefined, undefined],
  ['leak-message-refetch', 'fixtures/targets/message-refetch/leaky.ts', undefined],
  ['leak-bypass-rotation', undefined, undefined],
  ['leak-bypass-rotation', 'fixtures/targets/bypass-rotation/leaky.ts', 600],
  ['leak-bypass-nan-ttl', undefined, undefined],
  ['leak-bypass-nan-ttl', 'fixtures/targets/bypass-rotation/leaky.ts', 600],
  ['leak-session-cache', undefined, undefined],
  ['leak-session-cache', 'fixtures/targets/session-cache/leaky.ts', 300],
];
const resultsDir = join(REPO_ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const out = join(resultsDir, `stability-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
for (let i = 0; i < N; i++) {
  for (const [name, target, sessions] of cases) {
    const scenario = await findScenario(join(REPO_ROOT, 'scenarios'), name);
    const t0 = Date.now();
    const { report, exitCode } = await runScenario(scenario, {
      target: target ? join(REPO_ROOT, target) : undefined,
      sessions,
      outRoot: join(tmpdir(), 'churnlab-stability'),
      diagnose: false,
    });
    const seconds = (Date.now() - t0) / 1000;
    const twin = target ? 'leaky' : 'fixed';
    const est = report.expectations.map((e) => `${e.id}=${e.verdict}(${e.estimate ?? ''})`).join(' ');
    console.log(`${i} ${name} ${twin} exit=${exitCode} ${seconds.toFixed(1)}s ${est}`);
    const growers = report.topCollections.slice(0, 3).map((c) => ({ name: c.name, slopePerUnit: c.slopePerUnit, lastSize: c.lastSize }));
    appendFileSync(
      out,
      `${JSON.stringify({ round: i, scenario: name, twin, exitCode, seconds, work: report.workDone, expectations: report.expectations.map((e) => ({ id: e.id, verdict: e.verdict, estimate: e.estimate })), growers })}\n`,
    );
  }
}
console.log(`figures: ${out}`);
