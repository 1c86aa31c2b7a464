// `npm run gate` end to end against a temporary config (no file of the repository is edited):
// the repository's own bypass-rotation entry with its fixed reference target swapped for the
// leaky twin must fail with exit 1 and a summary that names the leaking Set. The passing side
// (the real suite on its fixed targets) is `npm run gate` itself; a small passing gate run is
// in test/report/merge.test.ts. Bad input is checked without running anything.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateReport } from '../../harness/gate/model.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import { SHORT_PRIME_SAMPLES } from '../scenario/helpers.ts';

function gate(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli/gate.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const at = (p: string) => JSON.stringify(join(REPO_ROOT, p));

describe('npm run gate', () => {
  it('fails with exit 1 and names the leak when a fixed reference target is swapped for its leaky twin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'churnlab-gate-'));
    const config = join(dir, 'churnlab.config.ts');
    // The entry's scenario, short-primed: the failure asserted is a count, which priming does not touch.
    writeFileSync(
      join(dir, 'short-primed.ts'),
      `import scenario from ${at('scenarios/leak-bypass-rotation.ts')};
export default { ...scenario, name: 'leak-bypass-rotation-short-primed', primeSamples: ${SHORT_PRIME_SAMPLES} };
`,
    );
    // 300 cycles instead of 1000 after 60 of warm-up instead of 120 (as leak-bypass-rotation's own
    // leaky test): the leaky Set, +1 entry per 5 cycles from the start, passes its cap of 41 by ~205.
    writeFileSync(
      config,
      `import { defineConfig } from ${at('harness/config/define.ts')};
import { gateSuite } from ${at('ci/gate-suite.ts')};
const entry = gateSuite.entries.find((e) => e.id === 'bypass-rotation')!;
export default defineConfig({
  scenarios: ['./short-primed.ts'],
  gate: {
    baseline: 'baseline.json',
    entries: [
      {
        ...entry,
        scenario: 'leak-bypass-rotation-short-primed',
        params: { ...entry.params, warmupCycles: 60 },
        target: ${at('fixtures/targets/bypass-rotation/leaky.ts')},
        sessions: 300,
      },
    ],
  },
});
`,
    );
    const stepSummary = join(dir, 'step-summary.md');
    writeFileSync(stepSummary, '');
    const out = join(dir, 'gate');
    const { code, stdout, stderr } = gate(['--config', config, '--out', out], { GITHUB_STEP_SUMMARY: stepSummary });
    expect(code, stderr).toBe(1);
    expect(stdout.trim().split('\n').pop()).toBe(out);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/^## ❌ churnlab gate failed \(exit 1\)/);
    expect(summary).toContain('fixtures/targets/bypass-rotation/leaky.ts');
    // The leak is named: the Set and its growth per cycle, in the verdict and in the breached budget.
    expect(summary).toMatch(/Set bypassed: leak/);
    expect(summary).toMatch(/budget entries per cycle .*Set bypassed: \+1 entry per 5 cycles, over the budget/);
    expect(readFileSync(stepSummary, 'utf8')).toBe(summary);
    const report = JSON.parse(readFileSync(join(out, 'gate.json'), 'utf8')) as GateReport;
    expect(report).toMatchObject({ kind: 'churnlab-gate', exitCode: 1, passed: false });
    expect(report.entries[0]).toMatchObject({ id: 'bypass-rotation', status: 'fail', exitCode: 1 });
  }, 600_000);

  it('an --only naming no entry exits 3 and lists the entries', () => {
    const { code, stderr } = gate(['--only', 'unclean-exitt', '--list']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/--only unclean-exitt: no such entry in .*churnlab\.config\.ts\. Entries: unclean-exit, message-refetch/);
  });

  it('--list --json prints the entry ids a CI matrix runs', () => {
    const { code, stdout } = gate(['--list', '--json']);
    expect(code).toBe(0);
    const ids = JSON.parse(stdout) as string[];
    expect(ids).toContain('unclean-exit');
    expect(ids).toContain('unclean-exit-speed');
  });

  it('a --config that does not exist exits 3 and says what was expected', () => {
    const { code, stderr } = gate(['--config', 'no/such.config.ts']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/--config no\/such\.config\.ts: no such file/);
  });
});
