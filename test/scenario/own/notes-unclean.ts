// churn/notes-unclean.ts (churnlab.config.ts: defineConfig({ scenarios: ['./churn'] }))
import { defineScenario, expectCollectionsBounded, expectHeapBounded, type CommonParams } from 'churnlab';

interface Params extends CommonParams { warmupSessions: number; cleanEndShare: number }

export default defineScenario<Params>({
  name: 'notes-unclean',                          // npx churnlab run notes-unclean
  summary: 'Sessions that vanish without session.deleted leave no notes behind.',
  kind: 'plugin',                                 // plugin | service | adapter | unit: what `run` has
  defaultTarget: '../src/plugin.ts',              // relative to this file; --target overrides
  unit: 'session',                                // every figure is per session
  params: { sessions: 2000, seed: 1, warmupSessions: 300, cleanEndShare: 0.2 }, // --sessions, --param k=v
  sampleEveryUnits: 100,                          // a verdict needs 8 samples after warm-up
  warmup: (p) => ({ sessions: p.warmupSessions }), // phase 'warmup': run first, never judged
  // Once per run: set up what the steps share, return the step (n sessions). The runner runs it
  // for the warm-up, then in the judged phase 'churn' until --sessions, or until decided.
  work: (run, p) => (n) => run.churn({ sessions: n, turnsPerSession: 2, cleanEndShare: p.cleanEndShare }),
  expect: [expectCollectionsBounded({ atMost: 1000 }), expectHeapBounded({ minBytesPerUnit: 64 })],
});
