// Seed leak 4 (shared/seed-leaks.md): per-session guards of an always-on gateway plugin that are
// deleted only on session.deleted. Thousands of sessions start, exchange messages and tool calls,
// and most vanish without an end event (process killed, network cut); a share ends cleanly.
// Healthy: every tracked collection stays <= 2000 entries (the fix's MAX_TRACKED_SESSIONS) and the
// heap is flat once the cap is reached. Leaky: the guards grow by ~1 entry per unclean session.
import { defineScenario } from '../harness/scenario/define.ts';
import { expectCollectionsBounded, expectHandlesBounded, expectHeapBounded } from '../harness/scenario/expect.ts';

export default defineScenario({
  name: 'leak-unclean-exit',
  summary: 'Sessions that end without session.deleted must not grow per-session state (cap 2000).',
  kind: 'plugin',
  defaultTarget: 'fixtures/targets/unclean-exit/fixed.ts',
  unit: 'session',
  params: {
    /** Main churn phase (nominal; a sequential run stops sooner when decided); 2.5x the 2000 cap so a capped target is seen well past its cap. */
    sessions: 5000,
    seed: 1,
    warmupSessions: 300,
    turnsPerSession: 2,
    /** Share of sessions that end with session.deleted; the rest end uncleanly. */
    cleanEndShare: 0.1,
    /** Virtual time per session: 5000 sessions span ~28 h of gateway uptime. */
    virtualMsPerSession: 20_000,
  },
  sampleEveryUnits: 100,
  reply: { toolCallsPerMessage: 2, toolOutputBytes: 2048, textBytes: 300 },
  async workload(run, p) {
    run.phase('warmup');
    await run.churn({ sessions: p.warmupSessions, turnsPerSession: p.turnsPerSession, cleanEndShare: p.cleanEndShare, virtualMsPerSession: p.virtualMsPerSession });
    await run.mainPhase('churn', p.sessions, (n) =>
      run.churn({ sessions: n, turnsPerSession: p.turnsPerSession, cleanEndShare: p.cleanEndShare, virtualMsPerSession: p.virtualMsPerSession }),
    );
  },
  expect: [
    expectCollectionsBounded({ atMost: 2000 }),
    // One leaked guard entry per session is ~70-100 B; the plugin host's own scatter is tens of KB.
    expectHeapBounded({ minBytesPerUnit: 64 }),
    expectHandlesBounded(),
  ],
});
