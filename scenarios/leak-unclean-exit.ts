// Seed leak 4 (docs/seed-leaks.md): per-session guards of an always-on gateway plugin that are
// deleted only on session.deleted. Thousands of sessions start, exchange messages and tool calls,
// and most vanish without an end event (process killed, network cut); a share ends cleanly.
// Healthy: every tracked collection stays <= 2000 entries (the fix's MAX_TRACKED_SESSIONS) and the
// heap is flat once the cap is reached. Leaky: the guards grow by ~1 entry per unclean session.
import { defineScenario } from '../harness/scenario/define.ts';
import { expectCollectionsBounded, expectHandlesBounded, expectHeapBounded } from '../harness/scenario/expect.ts';
import { HOOK_MIX_DEFAULTS } from '../harness/core/defaults.ts';

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
    /** Share of turns that run a slash command (command.execute.before). */
    commandShare: HOOK_MIX_DEFAULTS.commandShare as number,
    /** Share of tool calls that ask permission (permission.ask). */
    permissionShare: HOOK_MIX_DEFAULTS.permissionShare as number,
    /** Share of sessions whose context overflows after their last turn (compacting, autocontinue). */
    compactionShare: HOOK_MIX_DEFAULTS.compactionShare as number,
    /** Share of sessions created untitled, so the server titles them (experimental.provider.small_model). */
    untitledShare: HOOK_MIX_DEFAULTS.untitledShare as number,
  },
  sampleEveryUnits: 100,
  reply: { toolCallsPerMessage: 2, toolOutputBytes: 2048, textBytes: 300 },
  warmup: (p) => ({ sessions: p.warmupSessions }),
  work(run, p) {
    const mix = {
      commandShare: p.commandShare,
      permissionShare: p.permissionShare,
      compactionShare: p.compactionShare,
      untitledShare: p.untitledShare,
    };
    const churn = { turnsPerSession: p.turnsPerSession, cleanEndShare: p.cleanEndShare, virtualMsPerSession: p.virtualMsPerSession, mix };
    return (n) => run.churn({ sessions: n, ...churn });
  },
  expect: [
    expectCollectionsBounded({ atMost: 2000 }),
    // One leaked guard entry per session is ~70-100 B; the plugin host's own scatter is tens of KB.
    expectHeapBounded({ minBytesPerUnit: 64 }),
    expectHandlesBounded(),
  ],
});
