// A scenario is one TypeScript file in scenarios/ whose default export is defineScenario({...}).
import type { WorkUnit } from '../core/types.ts';
import type { Expectation } from './expect.ts';
import type { RunContext } from './context.ts';

/**
 * How the target is driven: an OpenCode plugin in the plugin host, a synthetic unit module, a
 * service (an HTTP daemon or an OpenCode-compatible server) that the workload calls over HTTP, or
 * an adapter (thread -> OpenCode session bindings over the SDK; docs/adapters.md) driven by run.adapter.
 * 'opencode': the real OpenCode server itself (`--opencode real`), driven over its API and
 * observed by RSS from /proc (harness/opencode-real/observed.ts).
 */
export type TargetKind = 'plugin' | 'unit' | 'service' | 'adapter' | 'opencode';

/** Parameters every scenario accepts from the command line. */
export interface CommonParams {
  /** Sessions (or units) of the main churn phase. */
  sessions: number;
  seed: number;
}

export interface ScenarioDefinition<P extends CommonParams = CommonParams> {
  /** Kebab-case, unique: what `npm run scenario <name>` takes. */
  name: string;
  /** One line, shown by `--list` and in reports. */
  summary: string;
  kind: TargetKind;
  /** Used when the user names no --target: a path relative to this scenario file (`./`, `../`) or a package name; built-in scenarios name churnlab's own fixtures. */
  defaultTarget: string;
  /** The unit of work every figure is per. */
  unit: WorkUnit;
  /** Defaults of the parameters; the command line may override `sessions` and `seed`. */
  params: P;
  /** Take a sample every this many units of work (the verdict needs >= 10 after warm-up). */
  sampleEveryUnits: number;
  /** Shape of the mock OpenCode's assistant replies (plugin scenarios). */
  reply?: { toolCallsPerMessage: number; toolOutputBytes: number; textBytes?: number };
  /** The churn itself, written with the run context's primitives. */
  workload(run: RunContext, params: P): Promise<void>;
  /**
   * What is judged. A function of the run's parameters when a limit is a parameter (a reference
   * target's own cap, set by its gate entry) rather than a requirement for every target.
   */
  expect: Expectation[] | ExpectationsOfParams<P>;
  /** Options handed to a service target's start() (TTLs, caps), or to an adapter host (idleMs, sweepEveryMs) and its adapter. */
  serviceOptions?: Record<string, unknown>;
  /** Whether a service scenario needs the mock OpenCode (a daemon with an OpenCode provider does). */
  mockOpenCode?: boolean;
  /** Phases whose samples the verdicts use (default: every phase but 'prime' and 'warmup'). */
  verdictPhases?: string[];
  /** Priming rounds before the workload (default DEFAULTS.primeSamples); they matter for heap verdicts only. */
  primeSamples?: number;
}

/** Expectations built from a run's parameters (a method type, so a scenario of any P is a ScenarioDefinition). */
type ExpectationsOfParams<P> = { of(params: P): Expectation[] }['of'];

/** The expectations of a scenario for one run's parameters. */
export function expectationsOf<P extends CommonParams>(scenario: ScenarioDefinition<P>, params: P): Expectation[] {
  return typeof scenario.expect === 'function' ? scenario.expect(params) : scenario.expect;
}

export function defineScenario<P extends CommonParams>(definition: ScenarioDefinition<P>): ScenarioDefinition<P> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(definition.name)) {
    throw new Error(`scenario name "${definition.name}" must be kebab-case (a-z, 0-9, dashes)`);
  }
  if (!(definition.sampleEveryUnits > 0)) {
    throw new Error(`scenario ${definition.name}: sampleEveryUnits must be a number > 0`);
  }
  return definition;
}
