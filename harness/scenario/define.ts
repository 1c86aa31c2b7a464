// A scenario is one TypeScript file in scenarios/ whose default export is defineScenario({...}).
import type { WorkUnit } from '../core/types.ts';
import type { Expectation } from './expect.ts';
import type { AdapterRun, OpenCodeRun, PluginRun, ServiceRun, ServiceWithOpenCodeRun, UnitRun } from './context.ts';

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

/** The phase the runner's main phase is called when the scenario names none. */
export const DEFAULT_MAIN_PHASE = 'churn';

/** Units of work (in the scenario's unit, like --sessions) done in phase 'warmup', never judged. */
export interface WarmupSize {
  sessions: number;
}

/** A fixed warm-up, or one from the run's parameters (a method type, so any P fits ScenarioDefinition). */
export type Warmup<P> = WarmupSize | { of(params: P): WarmupSize }['of'];

/** `count` units of work, numbered from `from` (0 at the warm-up's start, counting on through the main phase). */
export type Step = (count: number, from: number) => Promise<void>;

interface ScenarioBase<P extends CommonParams> {
  /** Kebab-case, unique: what `npm run scenario <name>` takes. */
  name: string;
  /** One line, shown by `--list` and in reports. */
  summary: string;
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
  /**
   * What is judged. A function of the run's parameters when a limit is a parameter (a reference
   * target's own cap, set by its gate entry) rather than a requirement for every target.
   */
  expect: Expectation[] | ExpectationsOfParams<P>;
  /** Options handed to a service target's start() (TTLs, caps), or to an adapter host (idleMs, sweepEveryMs) and its adapter. */
  serviceOptions?: Record<string, unknown>;
  /** Phases whose samples the verdicts use (default: every phase but 'prime' and 'warmup'). */
  verdictPhases?: string[];
  /** Priming rounds before the workload (default DEFAULTS.primeSamples); they matter for heap verdicts only. */
  primeSamples?: number;
}

/**
 * A scenario that is one step repeated: the runner runs `warmup` units of it in phase 'warmup',
 * then the judged main phase (`run.mainPhase(mainPhase, params.sessions, ...)`).
 */
interface StepBody<R, P> {
  /** Called once per run: set up what the steps share (clients, a clock, counters), return the step. */
  work(run: R, params: P): Step;
  /** Units of work of the warm-up; none when absent. */
  warmup?: Warmup<P>;
  /** Name of the judged main phase (default 'churn'). */
  mainPhase?: string;
  workload?: never;
}

/** A scenario whose phases are not one step repeated (long sessions, restarts, idle nights). */
interface WorkloadBody<R, P> {
  /** The whole run, written with the run's primitives: its own 'warmup' phase and main phase. */
  workload(run: R, params: P): Promise<void>;
  work?: never;
  warmup?: never;
  mainPhase?: never;
}

type Body<R, P> = StepBody<R, P> | WorkloadBody<R, P>;

export type PluginScenario<P extends CommonParams = CommonParams> = ScenarioBase<P> & { kind: 'plugin' } & Body<PluginRun, P>;
export type UnitScenario<P extends CommonParams = CommonParams> = ScenarioBase<P> & { kind: 'unit' } & Body<UnitRun, P>;
/** A service on its own; with `mockOpenCode: true` (a daemon with an OpenCode provider) the run has run.backend too. */
export type ServiceScenario<P extends CommonParams = CommonParams> = PlainServiceScenario<P> | ServiceWithOpenCodeScenario<P>;
export type PlainServiceScenario<P extends CommonParams = CommonParams> = ScenarioBase<P> & {
  kind: 'service';
  mockOpenCode?: false;
} & Body<ServiceRun, P>;
export type ServiceWithOpenCodeScenario<P extends CommonParams = CommonParams> = ScenarioBase<P> & {
  kind: 'service';
  mockOpenCode: true;
} & Body<ServiceWithOpenCodeRun, P>;
export type AdapterScenario<P extends CommonParams = CommonParams> = ScenarioBase<P> & { kind: 'adapter' } & Body<AdapterRun, P>;
export type OpenCodeScenario<P extends CommonParams = CommonParams> = ScenarioBase<P> & { kind: 'opencode' } & Body<OpenCodeRun, P>;

/** A scenario; its `kind` decides the run its workload gets (PluginRun, ServiceRun, ...). */
export type ScenarioDefinition<P extends CommonParams = CommonParams> =
  PluginScenario<P> | UnitScenario<P> | ServiceScenario<P> | AdapterScenario<P> | OpenCodeScenario<P>;

/** Expectations built from a run's parameters (a method type, so a scenario of any P is a ScenarioDefinition). */
type ExpectationsOfParams<P> = { of(params: P): Expectation[] }['of'];

/** The expectations of a scenario for one run's parameters. */
export function expectationsOf<P extends CommonParams>(scenario: ScenarioDefinition<P>, params: P): Expectation[] {
  return typeof scenario.expect === 'function' ? scenario.expect(params) : scenario.expect;
}

/** Units of work of a step scenario's warm-up for one run's parameters. */
export function warmupOf<P extends CommonParams>(warmup: Warmup<P> | undefined, params: P): number {
  return (typeof warmup === 'function' ? warmup(params) : warmup)?.sessions ?? 0;
}

/** Whether a module's default export is a scenario (a workload, or a step). */
export function isScenario(value: unknown): value is ScenarioDefinition {
  const s = value as Partial<Record<'workload' | 'work', unknown>> | undefined;
  return typeof s?.workload === 'function' || typeof s?.work === 'function';
}

/**
 * Checks a scenario and returns it. The overloads let TypeScript type `run` from `kind` alone: a
 * missing `mockOpenCode` cannot tell the two service runs apart within one union, so the service
 * with an OpenCode gets its own overload; the last takes an already typed definition (a spread).
 */
export function defineScenario<P extends CommonParams>(definition: ServiceWithOpenCodeScenario<P>): ScenarioDefinition<P>;
export function defineScenario<P extends CommonParams>(
  definition: PluginScenario<P> | UnitScenario<P> | PlainServiceScenario<P> | AdapterScenario<P> | OpenCodeScenario<P>,
): ScenarioDefinition<P>;
export function defineScenario<P extends CommonParams>(definition: ScenarioDefinition<P>): ScenarioDefinition<P>;
export function defineScenario<P extends CommonParams>(definition: ScenarioDefinition<P>): ScenarioDefinition<P> {
  const d = definition as ScenarioBase<P> & Partial<StepBody<unknown, P>> & { workload?: unknown };
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.name)) {
    throw new Error(`scenario name "${d.name}" must be kebab-case (a-z, 0-9, dashes)`);
  }
  if (!(d.sampleEveryUnits > 0)) {
    throw new Error(`scenario ${d.name}: sampleEveryUnits must be a number > 0`);
  }
  if ((typeof d.work === 'function') === (typeof d.workload === 'function')) {
    throw new Error(
      `scenario ${d.name}: give either work (one step the runner repeats, with warmup) or workload (the whole run), not ${d.work ? 'both' : 'neither'}`,
    );
  }
  if (d.warmup !== undefined && typeof d.workload === 'function') {
    throw new Error(`scenario ${d.name}: warmup is run by the runner with the step (work); a workload runs its own warm-up phase`);
  }
  if (typeof d.warmup === 'object' && d.warmup !== null && !(Number.isInteger(d.warmup.sessions) && d.warmup.sessions >= 0)) {
    throw new Error(`scenario ${d.name}: warmup.sessions must be a whole number >= 0, got ${String(d.warmup.sessions)}`);
  }
  return definition;
}
