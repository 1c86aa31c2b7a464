// Scenarios over synthetic unit targets (fixtures/synthetic): the self-check and the engine's own
// tests use them to prove sensitivity (a planted leak is caught) and honesty (a control is flat).
import type { CommonParams, ScenarioDefinition } from './define.ts';
import { defineScenario } from './define.ts';
import { expectCollectionsBounded, expectHandlesBounded, expectHeapBounded, type Expectation } from './expect.ts';

export interface UnitScenarioOptions {
  name: string;
  summary: string;
  target: string;
  units?: number;
  warmupUnits?: number;
  sampleEveryUnits?: number;
  /** Virtual time per unit, for TTL fixtures. */
  virtualMsPerUnit?: number;
  expect?: Expectation[];
}

export function unitScenario(o: UnitScenarioOptions): ScenarioDefinition<CommonParams & { warmupUnits: number }> {
  return defineScenario({
    name: o.name,
    summary: o.summary,
    kind: 'unit',
    defaultTarget: o.target,
    unit: 'unit',
    params: { sessions: o.units ?? 3000, seed: 1, warmupUnits: o.warmupUnits ?? 300 },
    sampleEveryUnits: o.sampleEveryUnits ?? 100,
    warmup: (p) => ({ sessions: p.warmupUnits }),
    work: (run) => (n) => run.units(n, { virtualMsPerUnit: o.virtualMsPerUnit }),
    expect: o.expect ?? [expectHeapBounded(), expectCollectionsBounded(), expectHandlesBounded()],
  });
}
