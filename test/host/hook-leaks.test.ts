// Leaks that live only inside hooks the plugin host used not to call (messages.transform,
// chat.params, permission.ask) are caught by leak-unclean-exit and named; their fixed twins pass.
// Plugins whose hooks are never called, or that register none, never pass (exit 2).
// Runs are test-sized: 140 sessions (20 of warm-up), a sample every 10, and a cap of 100 entries
// (what the capped fixed twin keeps) instead of the scenario's 2000, so a leak crosses it in ~110
// sessions; a run still undecided at 140 goes on by itself.
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-unclean-exit.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { expectCollectionsBounded, expectHandlesBounded } from '../../harness/scenario/expect.ts';
import { collectionsByName, explain, fixture, SHORT_PRIME_SAMPLES, testOut } from '../scenario/helpers.ts';

const small = {
  ...scenario,
  // Every tool call asks permission, so each session passes through permission.ask.
  params: { ...scenario.params, warmupSessions: 20, sessions: 120, permissionShare: 1 },
  sampleEveryUnits: 10,
  // Counts only (collections, handles): priming keeps the harness's tier-up out of heap verdicts.
  primeSamples: SHORT_PRIME_SAMPLES,
  expect: [expectCollectionsBounded({ atMost: 100 }), expectHandlesBounded()],
};

const run = (target: string) => runScenario(small, { target: fixture(target), outRoot: testOut(), diagnose: false });

const PAIRS = [
  {
    hook: 'experimental.chat.messages.transform',
    leaky: 'targets/hooks/prune-leaky.ts',
    fixed: 'targets/hooks/prune-fixed.ts',
    collection: 'prunedCalls',
  },
  { hook: 'chat.params', leaky: 'targets/hooks/params-leaky.ts', fixed: 'targets/hooks/params-fixed.ts', collection: 'callsBySession' },
  {
    hook: 'permission.ask',
    leaky: 'targets/hooks/permission-leaky.ts',
    fixed: 'targets/hooks/permission-fixed.ts',
    collection: 'asksBySession',
  },
];

describe('leaks that live only inside one hook', () => {
  for (const p of PAIRS) {
    it(`fails a plugin that leaks only in ${p.hook} and names ${p.collection}`, async () => {
      const { exitCode, report } = await run(p.leaky);
      expect(report.error).toBeUndefined();
      expect(exitCode, explain(report)).toBe(EXIT.leak);
      expect(collectionsByName(report).get(p.collection)?.slopePerUnit).toBeGreaterThan(0.5);
      expect(report.coverage?.kind === 'plugin' && report.coverage.calls[p.hook]).toBeGreaterThan(0);
    }, 600_000);

    it(`passes its fixed twin (${p.fixed.split('/').pop()})`, async () => {
      const { exitCode, report } = await run(p.fixed);
      expect(exitCode, explain(report)).toBe(EXIT.pass);
      expect(report.coverage?.kind === 'plugin' && report.coverage.neverCalled).toEqual([]);
    }, 600_000);
  }
});

describe('a run that exercised nothing never passes', () => {
  it('exits 2 and names the registered hooks OpenCode never calls', async () => {
    const { exitCode, report } = await run('targets/coverage/misnamed-hooks.ts');
    expect(exitCode, explain(report)).toBe(EXIT.inconclusive);
    // The expectations alone would have passed: the coverage made it inconclusive.
    expect(
      report.expectations.every((e) => e.passed),
      explain(report),
    ).toBe(true);
    expect(report.coverage?.summary).toBe('none of the 2 registered hooks was called: chat.system, session.idle');
    expect(report.coverage?.warnings?.[0]).toMatch(/No registered hook was called/);
  }, 600_000);

  it('exits 2 for a plugin that disabled itself and registered no hooks, and says so', async () => {
    const { exitCode, report } = await run('targets/coverage/disabled-without-key.ts');
    expect(
      report.expectations.every((e) => e.passed),
      explain(report),
    ).toBe(true);
    expect(exitCode, explain(report)).toBe(EXIT.inconclusive);
    expect(report.coverage?.summary).toBe('the plugin registered no hooks: nothing was tested');
  }, 600_000);
});
