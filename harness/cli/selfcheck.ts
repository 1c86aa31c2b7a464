// `churnlab selfcheck` (`npm run selfcheck`): proves on this machine that churnlab catches a
// planted leak and that an empty target comes out flat. Exit 0 only when both hold.
import { BUILT_IN_SCENARIOS_DIR } from '../core/paths.ts';
import { findScenario } from '../scenario/registry.ts';
import { runScenario } from '../scenario/run.ts';
import { EXIT } from '../core/exit.ts';
import { isEntry, parseCli, runCli } from './entry.ts';

const USAGE = 'usage: churnlab selfcheck   (runs the planted-leak and empty-control scenarios; reports under ./reports)';

const checks = [
  { scenario: 'selfcheck-planted-leak', expected: EXIT.leak, meaning: 'the planted 1 KB/unit leak is caught' },
  { scenario: 'selfcheck-control', expected: EXIT.pass, meaning: 'the empty control comes out bounded' },
];

export async function main(argv: string[]): Promise<number> {
  if (!parseCli({ args: argv, allowPositionals: false, options: { help: { type: 'boolean', short: 'h' } } }, USAGE)) return EXIT.pass;
  let failures = 0;
  for (const check of checks) {
    const scenario = await findScenario(BUILT_IN_SCENARIOS_DIR, check.scenario);
    const { report, dir, exitCode } = await runScenario(scenario, { diagnose: false });
    const ok = exitCode === check.expected;
    if (!ok) failures += 1;
    const heap = report.expectations.find((e) => e.id === 'heap-bounded');
    process.stdout.write(
      `${ok ? 'ok  ' : 'FAIL'} ${check.meaning}: verdict ${report.verdict} (exit ${exitCode}, expected ${check.expected}); heap ${heap?.estimate ?? 'n/a'}\n     ${dir}\n`,
    );
  }
  return failures === 0 ? EXIT.pass : EXIT.leak;
}

if (isEntry(import.meta.url)) runCli(main, 'churnlab selfcheck');
