// The main job end to end (issue: `npm run scenario leak-unclean-exit`), through the same code
// path as the CLI: real target process, real SDK client, mock OpenCode over loopback.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-unclean-exit.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { readSamples } from '../../harness/report/samples-writer.ts';
import { collectionsByName, explain, fixture, maxSizes, shortPrimed, testOut, verdictTable } from './helpers.ts';

const GUARDS = ['continuityInjected', 'nudgeFired', 'nudgePriorScores', 'checkpointStates'];
/**
 * The fixed gateway runs sequentially from a nominal 2400 sessions instead of the scenario's 5000
 * (a user's default): its guards fill their 2000 cap by ~2100 sessions at 0.9 per session, and a
 * saturating collection is decided at its cap or at the nominal size; a run still undecided
 * there goes on by itself, up to 4x.
 */
const CAPPED_NOMINAL = { sessions: 2400 };
/**
 * The control and the all-clean gateway keep nothing, so their heap verdict is the plugin host's
 * own: after the scenario's usual 300 warm-up sessions their flat heap is decided by a nominal
 * 1500; a run still undecided there goes on by itself.
 */
const FLAT_NOMINAL = { sessions: 1500 };

describe('leak-unclean-exit', () => {
  it('passes the fixed gateway: every guard stays at or under 2000 entries at every sample', async () => {
    const { exitCode, report, dir } = await runScenario(scenario, { params: CAPPED_NOMINAL, outRoot: testOut() });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    // Sequential: the guards are seen at their cap and the heap levelled off, by the nominal size.
    expect(report.stopping, explain(report)).toMatchObject({ mode: 'sequential', outcome: 'decided' });
    const max = maxSizes(readSamples(join(dir, report.files.samples)));
    for (const name of GUARDS) {
      expect(max.get(name), name).toBeGreaterThanOrEqual(1900);
      expect(max.get(name), name).toBeLessThanOrEqual(2000);
    }
  }, 600_000);

  it('fails the leaky gateway once its guards pass the cap, and names each one with its entries per session', async () => {
    const { exitCode, report } = await runScenario(shortPrimed(scenario), {
      target: fixture('targets/unclean-exit/leaky.ts'),
      outRoot: testOut(),
    });
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    // Sequential: the look planned for 2400 is taken at 2000, the first sample past the 2000 cap
    // (+300 warm-up at 0.9 entries per session; the seeded session lives make that exact). It
    // decides the run unless a jump of the heap just before it leaves the heap's later half
    // unconfident there (about 1 run in 5); then the next look, at 3000, does.
    expect(report.stopping).toMatchObject({ mode: 'sequential', outcome: 'decided' });
    expect(report.stopping!.looks.find((l) => l.early)).toMatchObject({
      at: 2000,
      early: expect.stringMatching(/^Set \w+ passed the declared limit of 2000 entries$/),
    });
    expect([2000, 3000]).toContain(report.stopping!.stoppedAt);
    expect(report.stopping!.summary).toMatch(/^decided at (2|3) 000 sessions .*collections-bounded: leak in both halves/);
    const collections = report.expectations.find((e) => e.id === 'collections-bounded');
    expect(collections?.verdict).toBe('leak');
    const named = collectionsByName(report);
    for (const name of GUARDS) {
      const c = named.get(name);
      expect(c, `${name} among the top growers`).toBeDefined();
      // ~90 % of sessions end uncleanly; each leaves one entry behind.
      expect(c!.slopePerUnit).toBeGreaterThan(0.8);
      expect(c!.slopePerUnit).toBeLessThan(1.0);
    }
    expect(report.diagnosis?.collections.some((d) => GUARDS.some((g) => d.retainerPath.join(' ').includes(g)))).toBe(true);
  }, 600_000);

  it('passes the empty control plugin: the harness adds no growth of its own', async () => {
    const { exitCode, report } = await runScenario(scenario, {
      target: fixture('targets/unclean-exit/control.ts'),
      params: FLAT_NOMINAL,
      outRoot: testOut(),
    });
    expect(verdictTable(report), explain(report)).toEqual([
      ['collections-bounded', 'bounded'],
      ['heap-bounded', 'bounded'],
      ['handles-bounded', 'bounded'],
    ]);
    expect(exitCode, explain(report)).toBe(EXIT.pass);
  }, 600_000);

  it('passes the leaky gateway when every session ends cleanly (its cleanup path works)', async () => {
    const allClean = { ...scenario, params: { ...scenario.params, cleanEndShare: 1 } };
    const { exitCode, report } = await runScenario(allClean, {
      target: fixture('targets/unclean-exit/leaky.ts'),
      params: FLAT_NOMINAL,
      outRoot: testOut(),
    });
    expect(exitCode, explain(report)).toBe(EXIT.pass);
  }, 600_000);
});
