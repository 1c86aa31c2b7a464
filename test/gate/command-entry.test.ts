// Gate entries for services in any language: `command` runs a service scenario's target as a plain
// command (seen from /proc), `params` sets the scenario's parameters, and an RSS budget holds what
// such a run can measure. Checked up front: a budget a command target can never report, a command
// on a scenario that is not a service, params the scenario does not have.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBudget } from '../../harness/gate/budgets.ts';
import { prepareSuite } from '../../harness/gate/prepare.ts';
import { runGate } from '../../harness/gate/run.ts';
import { entriesPerUnit, heapBytesPerUnit, rssBytesPerUnit, type GateSuite } from '../../harness/gate/suite.ts';
import { loadScenarios } from '../../harness/scenario/registry.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import { leakReport } from '../report/fixtures.ts';
import { explain, hasPython } from '../scenario/helpers.ts';

const scenarios = await loadScenarios(join(REPO_ROOT, 'scenarios'));
const prepare = (suite: GateSuite, baseDir = REPO_ROOT) => prepareSuite(suite, { source: 'test config', baseDir, scenarios });
const DAEMON = 'python3 fixtures/targets/hook-daemon/daemon.py';

describe('gate command entries: checked before anything runs', () => {
  it("take a command and typed params for a service scenario, and run the command in the config file's directory", () => {
    const [p] = prepare({
      entries: [
        {
          kind: 'scenario',
          scenario: 'leak-hook-daemon',
          command: `${DAEMON} fixed`,
          params: { warmupSessions: 3000 },
          budgets: [rssBytesPerUnit(1024)],
        },
      ],
    });
    expect(p).toMatchObject({ kind: 'scenario', commandCwd: REPO_ROOT, target: undefined });
  });

  it('refuse a command on a scenario that does not drive a service, and a command next to a target', () => {
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'leak-unclean-exit', command: 'node x.js' }] })).toThrow(
      /command runs a service, but leak-unclean-exit drives a plugin target/,
    );
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'leak-hook-daemon', command: 'x', target: 'y.ts' }] })).toThrow(
      /name the target twice/,
    );
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'leak-hook-daemon', command: '  ' }] })).toThrow(
      /expected the command line that starts the service/,
    );
  });

  it('refuse a heap or entries budget on a command entry: /proc shows neither', () => {
    for (const budget of [heapBytesPerUnit(64), entriesPerUnit(0.1)]) {
      expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'leak-hook-daemon', command: 'x', budgets: [budget] }] })).toThrow(
        new RegExp(`a ${budget.kind} budget cannot be measured; hold it to rss-bytes-per-unit`),
      );
    }
  });

  it('refuse params the scenario does not have, or of another type, listing the ones it has', () => {
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'leak-hook-daemon', params: { warmup: 10 } }] })).toThrow(
      /has no parameter "warmup"\. Its parameters: .*warmupSessions=/,
    );
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'leak-hook-daemon', params: { warmupSessions: '3000' } }] })).toThrow(
      /params\.warmupSessions is "3000"; expected a number/,
    );
  });

  it('refuse a key an entry does not take, naming the ones it does', () => {
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'leak-hook-daemon', comand: 'x' } as never] })).toThrow(
      /unknown key comand; a scenario entry takes kind, id, scenario, target, command, params/,
    );
  });

  it('call an RSS budget on a run with no RSS verdict unavailable (a config error), never a pass', () => {
    const result = checkBudget(rssBytesPerUnit(1024), leakReport(), []);
    expect(result.status).toBe('unavailable');
    expect(result.reason).toMatch(/has no rss-bounded expectation/);
  });
});

describe.skipIf(!hasPython)('gate command entries end to end (needs python3)', () => {
  it('hold the Python daemon to an RSS budget alone: the fixed twin within it, the leaky twin over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'churnlab-gate-command-'));
    // Report-only: the budget alone decides each entry. (The fixed twin's own RSS verdict, past
    // the allocator's warm-up, is bounded on a quiet machine and may be inconclusive on a busy
    // one, +137 B/session with its interval touching the 256 B floor: docs/services.md.) The
    // fixed run is also the Python twin's proof of leak-hook-daemon (its verdicts, below): one
    // run of 6000 sessions instead of two alike.
    const entries = prepare({
      entries: [
        {
          kind: 'scenario',
          id: 'py-fixed',
          scenario: 'leak-hook-daemon',
          command: `${DAEMON} fixed`,
          params: { warmupSessions: 3000 },
          sessions: 3000,
          verdicts: 'report-only',
          budgets: [rssBytesPerUnit(1024)],
        },
        {
          kind: 'scenario',
          id: 'py-leaky',
          scenario: 'leak-hook-daemon',
          command: `${DAEMON} leaky`,
          // A leak that grows from the first session needs no allocator warm-up (600 by default).
          params: { warmupSessions: 100 },
          sessions: 1000,
          verdicts: 'report-only',
          budgets: [rssBytesPerUnit(1024)],
        },
      ],
    });
    const report = await runGate(entries, { dir, baselineFile: join(dir, 'baseline.json'), commandLine: 'test' });
    const [fixed, leaky] = report.entries;
    expect(fixed!.runs[0]!.budgets[0], fixed!.headline).toMatchObject({ status: 'within', label: 'RSS per session' });
    expect(fixed!.status).toBe('pass');
    expect(fixed!.target).toBe(`command: ${DAEMON} fixed`);
    expect(fixed!.runs[0]!.command).toBe(
      `npx churnlab run leak-hook-daemon --command 'python3 fixtures/targets/hook-daemon/daemon.py fixed' --sessions 3000 --param warmupSessions=3000`,
    );
    // leak-hook-daemon passes the fixed Python daemon once its allocator has warmed up.
    const fixedRun = JSON.parse(readFileSync(join(dir, fixed!.runs[0]!.dir, 'report.json'), 'utf8')) as RunReport;
    expect(fixedRun.error).toBeUndefined();
    expect(
      fixedRun.expectations.map((e) => `${e.id}:${e.verdict}`),
      explain(fixedRun),
    ).toEqual(['counter-bounded:service.sessions:bounded', 'rss-bounded:bounded']);
    expect(fixedRun.exitCode, explain(fixedRun)).toBe(EXIT.pass);
    const breached = leaky!.runs[0]!.budgets[0]!;
    expect(breached.status, leaky!.headline).toBe('breached');
    expect(breached.reason).toMatch(/^RSS of the process tree: \+\d\.\d+ KB per session .*over the budget of ≤ 1\.00 KB per session\.$/);
    expect(leaky!.status).toBe('fail');
    expect(report.exitCode).toBe(1);
  }, 600_000);
});
