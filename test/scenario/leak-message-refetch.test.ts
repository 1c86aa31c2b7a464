// Seed leak 2 end to end (`npm run scenario leak-message-refetch`), through the same code path as
// the CLI: real target process, real SDK client, mock OpenCode over loopback.
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-message-refetch.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { explain, fixture, shortPrimed, testOut, verdictTable } from './helpers.ts';

const RATE = 'session.messages-per-tool-call-flat';
const TIMERS = 'no-refed-timers-after-dispose';

describe('leak-message-refetch', () => {
  it("fails the leaky plugin: names the growing session.messages rate and the ref'd interval", async () => {
    // 200 messages of history already grow the bytes per tool call far past the verdict's floor.
    const { exitCode, report } = await runScenario(shortPrimed(scenario), {
      target: fixture('targets/message-refetch/leaky.ts'),
      params: { messagesPerSession: 200 },
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const rate = report.expectations.find((e) => e.id === RATE)!;
    expect(rate.verdict).toBe('leak');
    // Flat 3 calls per tool call (three hooks), bytes per tool call growing with history.
    expect(rate.reasons[0]).toMatch(
      /^session\.messages: .+ per tool call at 10 messages, .+ (?:KB|MB) at 200; 3\.0 calls per tool call at 10 messages, 3\.0 at 200\./,
    );
    expect(rate.reasons.some((r) => /response bytes per tool call grew/.test(r))).toBe(true);
    for (const h of [10, 100, 200])
      expect(
        rate.reasons.some((r) => r.startsWith(`${h} messages | 3.0 |`)),
        `table row ${h}`,
      ).toBe(true);
    expect(rate.metric!.slopePerUnit).toBeGreaterThan(1024); // bytes per tool call per message of history
    const timers = report.expectations.find((e) => e.id === TIMERS)!;
    expect(timers.verdict).toBe('leak');
    expect(timers.reasons[0]).toMatch(/1 ref'd timer still scheduled after dispose/);
  }, 600_000);

  it("passes the fixed plugin: no re-fetch per tool call, nothing ref'd after dispose", async () => {
    // The heap steps ~775 KB when preemptive compaction first fires (near message 350): a 380-message
    // warm-up session takes that step before the judged samples, which come every 20 messages.
    const sampleEveryMessages = 20;
    const { exitCode, report } = await runScenario(
      // One tool call per two messages: the scenario's cadence in its own unit.
      { ...scenario, sampleEveryUnits: sampleEveryMessages / 2 },
      { params: { warmupMessages: 380, sampleEveryMessages }, outRoot: testOut() },
    );
    expect(report.error).toBeUndefined();
    expect(verdictTable(report), explain(report)).toEqual([
      [RATE, 'bounded'],
      ['heap-bounded', 'bounded'],
      [TIMERS, 'bounded'],
    ]);
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    expect(report.workDone['tool call']).toBeGreaterThanOrEqual(400);
  }, 600_000);
});
