// A plugin whose hooks await timers (a debounce, a retry backoff) inside a churn batch: the batch
// completes, virtual time moves by what the hooks awaited, and leak-unclean-exit judges it as any
// other plugin: the leaky twin fails with its Map named, the fixed one passes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-unclean-exit.ts';
import { createMockOpenCode } from '../../harness/opencode/index.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { expectCollectionsBounded, expectHandlesBounded } from '../../harness/scenario/expect.ts';
import { launchTarget, type TargetProcess } from '../../harness/target/launch.ts';
import { collectionsByName, explain, fixture, testOut } from '../scenario/helpers.ts';

const DEBOUNCE_MS = 50; // chat.message, in both twins
const BACKOFF_MS = 20; // tool.execute.after, in both twins

let close: () => Promise<void>;
let url: string;
beforeAll(async () => {
  const mock = createMockOpenCode({ seed: 3, reply: { toolCallsPerMessage: 2, toolOutputBytes: 64 } });
  ({ url, close } = await mock.listen());
});
afterAll(() => close());
const started: TargetProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop(2_000)));
});

describe('hooks that await timers inside a churn batch', () => {
  it('complete, and virtual time moves by exactly what the hooks awaited', async () => {
    const t = await launchTarget({
      host: 'plugin',
      target: fixture('targets/awaited-timers/leaky.ts'),
      options: { opencodeUrl: url },
      callTimeoutMs: 60_000,
    });
    started.push(t);
    const before = (await t.call<{ virtualNowMs: number }>('clock.now')).virtualNowMs;
    // One session at a time, so the awaits add up instead of overlapping.
    const done = await t.call('sessions.run', { startIndex: 0, count: 3, messagesPerSession: 2, cleanEndShare: 0, concurrency: 1 });
    expect(done).toMatchObject({ sessions: 3, toolCalls: 12 });
    const after = (await t.call<{ virtualNowMs: number }>('clock.now')).virtualNowMs;
    const { calls } = await t.call<{ calls: Record<string, number> }>('coverage');
    expect(calls['chat.message']).toBe(6);
    expect(calls['tool.execute.after']).toBe(12);
    expect(after - before).toBe(6 * DEBOUNCE_MS + 12 * BACKOFF_MS);
  }, 120_000);
});

// Test-sized, as the hook-leak pairs: a cap of 100 entries instead of the scenario's 2000.
const small = {
  ...scenario,
  params: { ...scenario.params, warmupSessions: 50, sessions: 200 },
  sampleEveryUnits: 10,
  primeSamples: 10,
  expect: [expectCollectionsBounded({ atMost: 100 }), expectHandlesBounded()],
};
const run = (target: string) => runScenario(small, { target: fixture(target), outRoot: testOut(), diagnose: false });

describe('leak-unclean-exit on a plugin that awaits timers', () => {
  it("fails the twin that keeps each session's last save, naming lastSaveBySession", async () => {
    const { exitCode, report } = await run('targets/awaited-timers/leaky.ts');
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    expect(collectionsByName(report).get('lastSaveBySession')?.slopePerUnit).toBeGreaterThan(0.5);
  }, 600_000);

  it('passes the twin that writes its saves through', async () => {
    const { exitCode, report } = await run('targets/awaited-timers/fixed.ts');
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    expect(report.coverage?.kind === 'plugin' && report.coverage.calls['chat.message']).toBeGreaterThan(0);
  }, 600_000);
});
