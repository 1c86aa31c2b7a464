// Seed leak 5 (docs/seed-leaks.md), restarts: the app restarts (the adapter's whole process is
// replaced; the harness-owned cursor store survives, as the app's database does), or the OpenCode
// server restarts with its state kept (the app stops its bindings when its server goes away, then
// starts them again). Either way the next follow-up of every thread must reach the same session
// with its history; before the fix it went to a new, empty one and left the old one orphaned.
//
// Cycles alternate: even cycles (the warm-up one too) restart the adapter's process
// (run.restartTarget), odd cycles restart OpenCode (run.backend.restart({ keepState: true })).
import { defineResumeScenario } from './resume/define.ts';
import type { LoseBindings } from './resume/workload.ts';

const isServerRestart = (cycle: number) => cycle % 2 === 1;

export const restart: LoseBindings = {
  label: (cycle) => (isServerRestart(cycle) ? `after OpenCode restart (cycle ${cycle})` : `after adapter process restart (cycle ${cycle})`),
  async run(run, adapter, backend, cycle) {
    if (!isServerRestart(cycle)) return run.restartTarget();
    // The app stops its bindings when the server it talks to goes away, then starts them again.
    for (const threadId of adapter.liveThreads()) await adapter.stop(threadId);
    await backend.restart({ keepState: true });
  },
};

// 8 threads x 4 cycles: 2 adapter restarts and 2 OpenCode restarts.
export default defineResumeScenario({
  name: 'resume-after-restart',
  summary:
    "After an app (adapter) restart or an OpenCode restart, every thread's next follow-up must reach the same session, with its history.",
  lose: restart,
});
