// An interrupted gate never passes: the run in flight is 'interrupted' (exit 128 + signal), the
// entries not started are listed, the gate exits with the interrupt's code even when every entry
// it reached passed, and a merge of its directory (or of its run directories) says so too.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interrupted } from '../../harness/core/interrupt.ts';
import { mergeGates } from '../../harness/gate/merge.ts';
import type { EntryResult, GateRun } from '../../harness/gate/model.ts';
import { entryOutcome, gateOutcome } from '../../harness/gate/outcome.ts';
import { prepareSuite } from '../../harness/gate/prepare.ts';
import { runGate } from '../../harness/gate/run.ts';
import { loadScenarios } from '../../harness/scenario/registry.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';

function run(over: Partial<GateRun> = {}): GateRun {
  return {
    runId: 'r1',
    dir: 'runs/x/r1',
    verdict: 'pass',
    exitCode: 0,
    durationMs: 1000,
    failed: [],
    budgets: [],
    speed: {},
    workDone: {},
    command: 'npm run scenario x',
    ...over,
  };
}
const interruptedRun = () =>
  run({
    runId: 'r2',
    verdict: 'interrupted',
    exitCode: 143,
    interrupted: {
      signal: 'SIGTERM',
      afterMs: 12_000,
      phase: 'churn',
      workDone: { unit: 500 },
      samples: 35,
      verdictSoFar: 'pass',
      notes: [],
    },
  });
const entry = (id: string, status: EntryResult['status'], exitCode: number): EntryResult => ({
  id,
  kind: 'scenario',
  scenario: 'selfcheck-control',
  summary: '',
  target: 't',
  unit: 'unit',
  verdicts: 'gate',
  status,
  exitCode,
  headline: status,
  runs: [],
  speed: [],
  notes: [],
});

describe('gate outcome of an interrupted run', () => {
  it('the entry is interrupted with 143, ahead of a leak, and its headline says how far it got', () => {
    const leak = run({ verdict: 'leak', exitCode: 1, failed: [{ id: 'heap', description: 'heap', verdict: 'leak', reason: 'grows' }] });
    const o = entryOutcome([leak, interruptedRun()], [], 'gate');
    expect(o).toMatchObject({ status: 'interrupted', exitCode: 143 });
    expect(o.headline).toBe('interrupted by SIGTERM after 12 s in churn (500 units), verdict so far: pass');
  });

  it('a gate interrupted between entries exits 143 although every entry it ran passed', () => {
    const o = gateOutcome([entry('a', 'pass', 0)], { signal: 'SIGINT', notRun: ['b'] });
    expect(o.exitCode).toBe(130);
    expect(o.headline).toBe('interrupted by SIGINT, not run: b; so far: passed: 1 entry');
    expect(gateOutcome([entry('a', 'pass', 0)]).exitCode).toBe(0);
  });
});

describe('runGate under an interrupt', () => {
  it('stops in the first entry, lists the second as not run, and a merge of it says interrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'churnlab-gate-interrupted-'));
    const entries = prepareSuite(
      {
        baseline: 'baseline.json',
        entries: [
          { kind: 'scenario', id: 'first', scenario: 'selfcheck-control', sessions: 1_000_000 },
          { kind: 'scenario', id: 'second', scenario: 'selfcheck-control', sessions: 300 },
        ],
      },
      { source: 'test', baseDir: REPO_ROOT, scenarios: await loadScenarios(join(REPO_ROOT, 'scenarios')) },
    );
    const controller = new AbortController();
    const gateDir = join(dir, 'gate');
    const report = await runGate(entries, {
      dir: gateDir,
      baselineFile: join(dir, 'baseline.json'),
      commandLine: 'npm run gate',
      signal: controller.signal,
      // The first run is under way once it is announced: the signal reaches it while it starts.
      log: (line) => {
        if (line.includes('[1/2] first')) setTimeout(() => controller.abort(new Interrupted('SIGTERM', Date.now())), 200);
      },
    });
    expect(report.exitCode).toBe(143);
    expect(report.passed).toBe(false);
    expect(report.interrupted).toEqual({ signal: 'SIGTERM', notRun: ['second'] });
    expect(report.entries.map((e) => [e.id, e.status, e.exitCode])).toEqual([['first', 'interrupted', 143]]);
    expect(report.entries[0]!.runs[0]!.interrupted?.signal).toBe('SIGTERM');
    expect(report.headline).toMatch(/^interrupted by SIGTERM, not run: second; so far: interrupted \(exit 143\)/);
    const summary = readFileSync(join(gateDir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/^## ⏹️ churnlab gate interrupted \(exit 143\)/);
    expect(summary).toContain('Not run: `second`');

    const merged = mergeGates([gateDir], { outDir: join(dir, 'merged'), commandLine: 'npm run report -- merge' });
    expect(merged).toMatchObject({ exitCode: 143, passed: false, interrupted: { signal: 'SIGTERM', notRun: ['second'] } });
    expect(readFileSync(join(dir, 'merged', 'summary.md'), 'utf8')).toMatch(/^## ⏹️ churnlab gate interrupted/);
    // The run directory alone, merged as a plain run: its own report decides.
    const fromRuns = mergeGates([join(gateDir, 'runs')], { outDir: join(dir, 'merged-runs'), commandLine: 'npm run report -- merge' });
    expect(fromRuns.entries.map((e) => [e.status, e.exitCode])).toEqual([['interrupted', 143]]);
    expect(fromRuns.entries[0]!.headline).toMatch(/^interrupted by SIGTERM after .* in \w+/);
  }, 120_000);
});
