// A plugin written as OpenCode documents plugins (plain JS, named exports, the SDK client) runs
// unmodified under the host, and its real leak under unclean exits is found by name.
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-unclean-exit.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { collectionsByName, explain, fixture, shortPrimed, testOut } from './helpers.ts';

describe('a third-party plugin under the host', () => {
  it('runs unmodified, calls OpenCode through the real SDK client, and its session-notes Map is caught leaking', async () => {
    // Its notes Map keeps an entry per unclean session (0.9 per session) and must pass the
    // scenario's cap of 2000 to be called a leak: 2500 sessions after the 300 of warm-up. A count
    // fails it, so a short priming.
    const { exitCode, report } = await runScenario(shortPrimed(scenario), {
      target: fixture('targets/third-party/session-notes.js'),
      sessions: 2500,
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(report.targetErrors?.count ?? 0).toBe(0);
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const notes = collectionsByName(report).get('notes');
    expect(notes?.slopePerUnit).toBeGreaterThan(0.8);
  }, 600_000);
});
