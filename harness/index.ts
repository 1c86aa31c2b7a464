// churnlab's public entry (`import { defineConfig } from 'churnlab'`): what a project's
// churnlab.config.ts and its own scenario files are written with, and the shapes of the results.
// The runner itself is reached through the `churnlab` command and `churnlab/vitest`.
export { defineConfig, type ChurnlabConfig } from './config/define.ts';
export {
  defineScenario,
  type AdapterScenario,
  type CommonParams,
  type OpenCodeScenario,
  type PluginScenario,
  type ScenarioDefinition,
  type ServiceScenario,
  type Step,
  type TargetKind,
  type UnitScenario,
  type Warmup,
} from './scenario/define.ts';
export { unitScenario, type UnitScenarioOptions } from './scenario/unit-scenario.ts';
export type {
  AdapterRun,
  ChurnOptions,
  OpenCodeRun,
  OpenSession,
  PluginRun,
  RunBase,
  RunContext,
  ServiceRun,
  ServiceWithOpenCodeRun,
  UnitRun,
} from './scenario/context.ts';
export {
  expectCallsPerUnitFlat,
  expectChecksPass,
  expectCollectionsBounded,
  expectCounterAtMost,
  expectCounterBounded,
  expectHandlesBounded,
  expectHeapBounded,
  expectNoRefedTimersAfterDispose,
  expectRssBounded,
  type CheckExpectation,
  type CheckFinding,
  type Expectation,
  type RateExpectation,
} from './scenario/expect.ts';
export {
  callsPerUnit,
  entriesPerUnit,
  heapBytesPerUnit,
  loadSpeed,
  p99LatencyMs,
  requestsPerSecond,
  rssBytesPerUnit,
  throughput,
  type Budget,
  type GateSuite,
  type LoadBudget,
  type LoadEntry,
  type MemoryBudget,
  type ScenarioEntry,
  type SpeedBudget,
  type SuiteEntry,
} from './gate/suite.ts';
export type { RunOptions, RunResult } from './scenario/run.ts';
export type { ExpectationResult, RunReport } from './report/model.ts';
export type { RunVerdict } from './core/exit.ts';
export type { EntryResult, GateReport } from './gate/model.ts';
export type { MetricVerdict, Sample, Verdict, WorkUnit } from './core/types.ts';
