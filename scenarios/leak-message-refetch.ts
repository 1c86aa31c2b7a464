// Seed leak 2 (docs/seed-leaks.md): a context-guard plugin whose tool.execute.after hooks
// re-fetch the session's full history (client.session.messages) three times per tool call: the
// context-window monitor, preemptive compaction and a transcript builder. Sessions grow to 400
// messages with one tool call per assistant message, a sample every 10 messages; virtual time
// passes (20 s per turn, 15 min idle between sessions, so the fixed plugin's 2-min idle pruning
// and 5-min transcript TTL run); every other session vanishes without session.deleted; at the end
// the plugin is disposed and what still keeps the process alive is checked.
//
// Unit of work: 'tool call'. The leak fires in tool.execute.after, once per tool call, and its cost
// is per tool call (3 fetches, each the whole history); the seed asks for "calls per tool call and
// bytes per tool call". Per message would fold the reply shape (tool calls per message) into
// every figure. The x axis of the rate verdicts is the history length (messages), not work done.
// Healthy: session.messages calls and bytes per tool call flat from message 10 to 400; heap
// bounded; no ref'd timer after dispose. Leaky: bytes per tool call grow linearly with history
// (~3 KB more per tool call per message), 3.0 calls per tool call throughout, one ref'd interval.
import { defineScenario, type CommonParams } from '../harness/scenario/define.ts';
import type { PluginRun } from '../harness/scenario/context.ts';
import { DISPOSED_PHASE, expectCallsPerUnitFlat, expectHeapBounded, expectNoRefedTimersAfterDispose } from '../harness/scenario/expect.ts';

interface Params extends CommonParams {
  /** Messages of the warm-up session (not judged). */
  warmupMessages: number;
  /** Every judged session grows to this many messages (user + assistant). */
  messagesPerSession: number;
  /** A sample every this many messages of history. */
  sampleEveryMessages: number;
  /** Virtual time per user turn (prompt, reply, tool call). */
  virtualMsPerTurn: number;
  /** Virtual idle time after each session: past the fixed plugin's 10 min idle pruning. */
  idleAfterSessionMs: number;
}

async function sessionLife(run: PluginRun, p: Params, messages: number, clean: boolean): Promise<void> {
  const session = await run.openSession('refetch');
  const turnsPerStep = Math.max(1, Math.round(p.sampleEveryMessages / 2));
  for (let turns = 0; turns < messages / 2; turns += turnsPerStep) {
    const startedMs = Date.now();
    const n = Math.min(turnsPerStep, messages / 2 - turns);
    await session.exchange(n);
    // Virtual time never runs slower than wall time (see docs/architecture.md, "Time").
    await run.advance(Math.max(n * p.virtualMsPerTurn, Date.now() - startedMs));
    await run.sample();
  }
  if (clean) await session.endCleanly();
  else await session.endUncleanly();
  await run.advance(p.idleAfterSessionMs);
}

export default defineScenario<Params>({
  name: 'leak-message-refetch',
  summary: "session.messages calls and bytes per tool call must not grow with history (10 to 400 messages); no ref'd timer after dispose.",
  kind: 'plugin',
  defaultTarget: 'fixtures/targets/message-refetch/fixed.ts',
  unit: 'tool call',
  params: {
    /**
     * Judged sessions of 400 messages each (one ends cleanly, one vanishes): the growth is per
     * message of history, so two sessions give 40 pooled rate points; a sample costs ~0.3-0.5 s.
     */
    sessions: 2,
    seed: 1,
    warmupMessages: 40,
    messagesPerSession: 400,
    sampleEveryMessages: 10,
    virtualMsPerTurn: 20_000,
    idleAfterSessionMs: 15 * 60_000,
  },
  // The workload samples by hand every sampleEveryMessages (5 tool calls); this is the same cadence.
  sampleEveryUnits: 5,
  // One tool call per assistant message; 3200 B of reply text make the context reach 78 % of
  // 200 000 tokens near message 350, so preemptive compaction fires once per session.
  reply: { toolCallsPerMessage: 1, toolOutputBytes: 1024, textBytes: 3200 },
  async workload(run, p) {
    run.phase('warmup');
    await sessionLife(run, p, p.warmupMessages, true);
    run.phase('history');
    for (let i = 0; i < p.sessions; i += 1) await sessionLife(run, p, p.messagesPerSession, i % 2 === 0);
    run.phase(DISPOSED_PHASE);
    await run.dispose();
  },
  expect: [
    expectCallsPerUnitFlat({ route: 'session.messages', per: 'tool call', against: 'history' }),
    expectHeapBounded({ minBytesPerUnit: 256 }),
    expectNoRefedTimersAfterDispose(),
  ],
});
