// The helper both resume scenarios are written with: an adapter target, one unit per cycle of "every
// thread loses its binding, then one follow-up each", the shared workload and its checks; a scenario
// says only how the bindings are lost and what it checks besides.
import type { ScenarioDefinition } from '../../harness/scenario/define.ts';
import { defineScenario } from '../../harness/scenario/define.ts';
import type { Expectation } from '../../harness/scenario/expect.ts';
import { resumeExpectations, resumeWorkload, type LoseBindings, type ResumeParams } from './workload.ts';

export interface ResumeScenario {
  name: string;
  summary: string;
  /** How every thread loses its binding in one cycle (an idle reap, a restart). */
  lose: LoseBindings;
  /** Options for the adapter host (e.g. its reaper's idle limit). */
  serviceOptions?: Record<string, unknown>;
  /** Expectations besides the shared ones (resumeExpectations). */
  expect?: Expectation[];
}

export function defineResumeScenario(s: ResumeScenario): ScenarioDefinition<ResumeParams> {
  return defineScenario<ResumeParams>({
    name: s.name,
    summary: s.summary,
    kind: 'adapter',
    defaultTarget: 'fixtures/targets/resume/fixed.ts',
    unit: 'cycle',
    // 8 threads x 4 cycles: seconds on the mock, a minute or a few (restarts) on the real server.
    params: { sessions: 8, cycles: 4, seed: 1 },
    sampleEveryUnits: 1,
    reply: { toolCallsPerMessage: 0, toolOutputBytes: 0 },
    ...(s.serviceOptions ? { serviceOptions: s.serviceOptions } : {}),
    verdictPhases: ['churn'],
    // No heap verdict here (the checks and an exact counter are judged): a few rounds suffice.
    primeSamples: 2,
    workload: (run, p) => resumeWorkload(run, p, s.lose),
    expect: [...resumeExpectations(), ...(s.expect ?? [])],
  });
}
