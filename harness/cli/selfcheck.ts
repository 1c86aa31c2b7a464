// `npm run selfcheck`: proves on this machine that churnlab catches a planted leak and that an
// empty target comes out flat. Exit 0 only when both hold.
import { join } from 'node:path';
import { findScenario } from '../scenario/registry.ts';
import { EXIT, REPO_ROOT, runScenario } from '../scenario/run.ts';

const checks = [
  { scenario: 'selfcheck-planted-leak', expected: EXIT.leak, meaning: 'the planted 1 KB/unit leak is caught' },
  { scenario: 'selfcheck-control', expected: EXIT.pass, meaning: 'the empty control comes out bounded' },
];

let failures = 0;
for (const check of checks) {
  const scenario = await findScenario(join(REPO_ROOT, 'scenarios'), check.scenario);
  const { report, dir, exitCode } = await runScenario(scenario, { diagnose: false });
  const ok = exitCode === check.expected;
  if (!ok) failures += 1;
  const heap = report.expectations.find((e) => e.id === 'heap-bounded');
  process.stdout.write(
    `${ok ? 'ok  ' : 'FAIL'} ${check.meaning}: verdict ${report.verdict} (exit ${exitCode}, expected ${check.expected}); heap ${heap?.estimate ?? 'n/a'}\n     ${dir}\n`,
  );
}
process.exitCode = failures === 0 ? 0 : 1;
