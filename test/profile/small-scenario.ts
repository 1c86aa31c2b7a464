// leak-unclean-exit, made small for tests: a short warm-up, one turn per session, one tool call
// per reply, and a sample every 15 sessions so ~150 sessions give ten judged points.
import scenario from '../../scenarios/leak-unclean-exit.ts';

export const smallScenario = {
  ...scenario,
  params: { ...scenario.params, warmupSessions: 30, turnsPerSession: 1 },
  sampleEveryUnits: 15,
  reply: { toolCallsPerMessage: 1, toolOutputBytes: 256, textBytes: 100 },
};

export const SMALL_SESSIONS = 150;
