// A plugin written as OpenCode documents plugins (plain JS, named exports, the SDK client) runs
// unmodified under the host, and its real leak under unclean exits is found by name.
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-unclean-exit.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { expectationsOf } from '../../harness/scenario/define.ts';
import { expectCollectionsBounded } from '../../harness/scenario/expect.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { collectionsByName, explain, fixture, shortPrimed, testOut } from './helpers.ts';

/**
 * Its notes Map keeps an entry per unclean session (0.9 per session) and is a leak once it passes
 * its cap: a cap of 100 instead of the scenario's 2000 lets 150 sessions after 20 of warm-up,
 * sampled every 10, show that. A count fails it, so a short priming.
 */
const capped = {
  ...shortPrimed(scenario),
  params: { ...scenario.params, warmupSessions: 20 },
  sampleEveryUnits: 10,
  expect: expectationsOf(scenario, scenario.params).map((e) =>
    e.kind === 'collections-bounded' ? expectCollectionsBounded({ atMost: 100 }) : e,
  ),
};

describe('a third-party plugin under the host', () => {
  it('runs unmodified, calls OpenCode through the real SDK client, and its session-notes Map is caught leaking', async () => {
    const { exitCode, report } = await runScenario(capped, {
      target: fixture('targets/third-party/session-notes.js'),
      sessions: 150,
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(report.targetErrors?.count ?? 0).toBe(0);
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const collections = report.expectations.find((e) => e.id === 'collections-bounded');
    expect(collections?.verdict, explain(report)).toBe('leak');
    expect(collections?.reasons.join('\n')).toMatch(/Map notes: leak\./);
    const notes = collectionsByName(report).get('notes');
    expect(notes?.slopePerUnit).toBeGreaterThan(0.8);
  }, 600_000);
});
