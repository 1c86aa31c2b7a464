// Seed leak 5 (docs/seed-leaks.md), the idle reaper: an app's OpenCode adapter binds threads to
// OpenCode sessions; the app's reaper (every 5 min, bindings idle >= 30 min with no turn in flight)
// stops them. Before the fix the adapter kept the binding only in memory and always called
// session.create, so the next follow-up went to a new, empty session: the app still showed the
// whole thread while the model had none of it, and every reap left one orphaned upstream session.
//
// The reaper runs inside the target, on its virtual clock (harness/host/adapter-reaper.ts): each
// cycle the harness lets 35 virtual minutes pass, the reaper stops every thread, and each thread
// gets one follow-up, started from the cursor the harness kept (docs/adapters.md). Unit: 'cycle'
// (one reap of every thread and one follow-up each).
import { ADAPTER_DEFAULTS } from '../harness/core/defaults.ts';
import { expectChecksPass } from '../harness/scenario/expect.ts';
import { defineResumeScenario } from './resume/define.ts';
import type { LoseBindings } from './resume/workload.ts';

/** Past the idle limit by one sweep period: every idle binding is reaped by then. */
const IDLE_PASS_MS = ADAPTER_DEFAULTS.idleMs + ADAPTER_DEFAULTS.sweepEveryMs;
const REAPER_STOPS = 'reaper-stops';

export const reap: LoseBindings = {
  label: (cycle) => (cycle === 0 ? 'after the warm-up idle reap' : `after idle reap ${cycle}`),
  async run(run, adapter) {
    const live = adapter.liveThreads();
    await run.advance(IDLE_PASS_MS);
    const reaped = await adapter.reaped();
    const missed = live.filter((t) => !reaped.some((r) => r.threadId === t));
    if (missed.length > 0) {
      throw new Error(
        `the adapter host's idle reaper did not stop ${missed.join(', ')} after ${IDLE_PASS_MS / 60_000} idle virtual minutes`,
      );
    }
    for (const r of reaped) {
      run.check({
        check: REAPER_STOPS,
        ok: !r.error,
        detail: r.error
          ? `thread ${r.threadId}: the adapter's stop() threw when reaped: ${r.error}`
          : `thread ${r.threadId} reaped cleanly.`,
      });
    }
  },
};

export default defineResumeScenario({
  name: 'resume-after-reaper',
  summary: 'After an idle reaper stops a thread, its next follow-up must reach the same OpenCode session, with its history.',
  lose: reap,
  serviceOptions: { idleMs: ADAPTER_DEFAULTS.idleMs, sweepEveryMs: ADAPTER_DEFAULTS.sweepEveryMs },
  expect: [expectChecksPass(REAPER_STOPS, "the adapter's stop() works when the idle reaper calls it")],
});
