// The primitives a scenario's workload is written with. Each call drives the target over IPC in
// batches and takes samples at the scenario's cadence, so a workload reads like the churn it models.
import type { Sample, WorkUnit } from '../core/types.ts';
import type { ClockState } from '../wire/protocol.ts';
import type { MockOpenCode } from '../opencode/index.ts';
import type { OpenCodeBackend } from '../opencode/backend.ts';
import type { AdapterControl } from './adapter-driver.ts';
import type { CheckFinding } from './expectations/kind.ts';

/** Counter on samples: messages in the history of the session a hand-driven workload last used. */
export const HISTORY_COUNTER = 'session.historyMessages';

export interface ChurnOptions {
  sessions: number;
  /** User turns per session; each turn is a user message and an assistant reply (2 messages). */
  turnsPerSession: number;
  /** Share of sessions that end cleanly with session.deleted; the others simply vanish. */
  cleanEndShare: number;
  /** Virtual time that passes per session (idle pruning, TTLs run in virtual time). */
  virtualMsPerSession?: number;
  /** Sessions in flight at once inside the target (default DEFAULTS.sessionsInFlight). */
  concurrency?: number;
  /**
   * Plugin targets: shares of the session life's optional paths (defaults: HOOK_MIX_DEFAULTS).
   * commandShare: turns that run a slash command; permissionShare: tool calls that ask permission;
   * compactionShare: sessions whose context overflows after their last turn; untitledShare:
   * sessions created without a title (the server titles them). Absent: none of them.
   */
  mix?: { commandShare?: number; permissionShare?: number; compactionShare?: number; untitledShare?: number };
}

export interface OpenSession {
  id: string;
  /**
   * Exchange `turns` user turns (2 messages each). Tool calls the turns made count as 'tool call'
   * work, and samples taken afterwards carry the session's history length in the counter
   * HISTORY_COUNTER (messages; 0 once the session ended), until another session exchanges.
   */
  exchange(turns: number): Promise<void>;
  endCleanly(): Promise<void>;
  endUncleanly(): Promise<void>;
}

/** What every run has, whatever its target's kind. */
export interface RunBase {
  readonly unit: WorkUnit;
  /** Mark the start of a phase; samples carry the current phase's name. */
  phase(name: string): void;
  /**
   * The judged main phase: marks phase `name`, then calls `step(n)` for the next `n` units of
   * work (in the scenario's unit) until the runner's plan stops it. A fixed run (--sessions) calls
   * it once with `nominal`; a sequential run calls it up to each look and stops once every
   * expectation is decided, or at its maximum (docs/statistics.md, "Sequential runs").
   */
  mainPhase(name: string, nominal: number, step: (count: number) => Promise<void>): Promise<void>;
  /** Let virtual time pass in the target (timers fire, TTLs expire). */
  advance(ms: number): Promise<ClockState>;
  /** Take a sample now, whatever the cadence. */
  sample(): Promise<Sample>;
  /**
   * Run the target's dispose (the built-in 'host.dispose': a plugin's `dispose` hooks), then take
   * a sample, so a scenario can check what is left running afterwards (e.g. ref'd timers).
   */
  dispose(): Promise<Sample>;
  /** Work done so far, by unit. */
  work(): Partial<Record<WorkUnit, number>>;
  /** Record the outcome of a correctness check; judged by expectChecksPass(check). */
  check(finding: CheckFinding): void;
  /** An exact counter carried by every later sample (e.g. orphaned sessions; expectCounterBounded). */
  setCounter(name: string, value: number): void;
}

/** Kinds whose workload does the work itself (over HTTP, the SDK) and counts it. */
export interface SelfCounted {
  /**
   * Count work the workload did itself (service scenarios drive over HTTP from the harness), and
   * take a sample when the scenario's cadence is due.
   */
  did(unit: WorkUnit, count: number): Promise<void>;
}

/** Kinds that run an OpenCode (the mock, or the real server with `--opencode real`). */
export interface WithOpenCode {
  /** The OpenCode in use, mock or real: URL, fake LLM, faults, restart. */
  readonly backend: OpenCodeBackend;
  /** The mock OpenCode (faults, accounting, state); undefined on the real server. */
  readonly opencode: MockOpenCode | undefined;
}

/** An OpenCode plugin in the plugin host, on the mock OpenCode (or the real one). */
export interface PluginRun extends RunBase, WithOpenCode {
  /** Whole session lives: open, exchange, end cleanly or vanish, in batches between samples. */
  churn(options: ChurnOptions): Promise<void>;
  /** One session by hand, for scenarios that need fine control. */
  openSession(title?: string): Promise<OpenSession>;
}

/** A service (HTTP daemon, OpenCode-compatible server, or a --command) the workload drives itself. */
export interface ServiceRun extends RunBase, SelfCounted {
  /** The URL the service listens on (drive it with fetch or the SDK). */
  readonly serviceUrl: string;
}

/** A service scenario with `mockOpenCode: true`: the daemon talks to an OpenCode too. */
export interface ServiceWithOpenCodeRun extends ServiceRun, WithOpenCode {}

/** An adapter (thread -> OpenCode session bindings over the SDK; docs/adapters.md). */
export interface AdapterRun extends RunBase, SelfCounted, WithOpenCode {
  /** Start, turn and stop threads; the harness-owned cursor store (docs/adapters.md). */
  readonly adapter: AdapterControl;
  /**
   * Stop the target's process and launch it again with the same options (an app restart). What
   * the harness owns (cursor store, OpenCode, samples) survives; heap and census start afresh.
   */
  restartTarget(): Promise<void>;
}

/** A synthetic unit module (fixtures/synthetic): its unit(i) called in batches. */
export interface UnitRun extends RunBase {
  /** Run `count` calls of the module's unit(i), sampling on the way. */
  units(count: number, options?: { virtualMsPerUnit?: number }): Promise<void>;
}

/** The real OpenCode server itself (`--opencode real`), driven over its API by the workload. */
export interface OpenCodeRun extends RunBase, SelfCounted {
  /** The real server: its URL, fake LLM, restart. */
  readonly backend: OpenCodeBackend;
}

/**
 * Every member of every kind's run: what the runner's driver implements. A workload gets only its
 * kind's members (PluginRun, ServiceRun, ...), built from it by typedRun.
 */
export interface RunContext extends RunBase, SelfCounted {
  readonly serviceUrl: string | undefined;
  readonly opencode: MockOpenCode | undefined;
  readonly backend: OpenCodeBackend | undefined;
  readonly adapter: AdapterControl | undefined;
  churn(options: ChurnOptions): Promise<void>;
  units(count: number, options?: { virtualMsPerUnit?: number }): Promise<void>;
  openSession(title?: string): Promise<OpenSession>;
  restartTarget(): Promise<void>;
}

/** The members every run has, bound to the driver. */
function baseOf(d: RunContext): RunBase {
  return {
    unit: d.unit,
    phase: (name) => d.phase(name),
    mainPhase: (name, nominal, step) => d.mainPhase(name, nominal, step),
    advance: (ms) => d.advance(ms),
    sample: () => d.sample(),
    dispose: () => d.dispose(),
    work: () => d.work(),
    check: (finding) => d.check(finding),
    setCounter: (name, value) => d.setCounter(name, value),
  };
}

/** The OpenCode members, read through (a restart of the server keeps the same backend object). */
function withOpenCode<R extends object>(run: R, d: RunContext, backend: OpenCodeBackend): R & WithOpenCode {
  return Object.defineProperties(run, {
    backend: { get: () => backend, enumerable: true },
    opencode: { get: () => d.opencode, enumerable: true },
  }) as R & WithOpenCode;
}

const did = (d: RunContext): SelfCounted => ({ did: (unit, count) => d.did(unit, count) });

/** A plugin run, from the driver. */
export function pluginRun(d: RunContext, backend: OpenCodeBackend): PluginRun {
  return withOpenCode(
    { ...baseOf(d), churn: (o: ChurnOptions) => d.churn(o), openSession: (title?: string) => d.openSession(title) },
    d,
    backend,
  );
}

export function serviceRun(d: RunContext, serviceUrl: string): ServiceRun;
export function serviceRun(d: RunContext, serviceUrl: string, backend: OpenCodeBackend): ServiceWithOpenCodeRun;
export function serviceRun(d: RunContext, serviceUrl: string, backend?: OpenCodeBackend): ServiceRun | ServiceWithOpenCodeRun {
  const run: ServiceRun = { ...baseOf(d), ...did(d), serviceUrl };
  return backend ? withOpenCode(run, d, backend) : run;
}

export function adapterRun(d: RunContext, adapter: AdapterControl, backend: OpenCodeBackend): AdapterRun {
  return withOpenCode({ ...baseOf(d), ...did(d), adapter, restartTarget: () => d.restartTarget() }, d, backend);
}

export function unitRun(d: RunContext): UnitRun {
  return { ...baseOf(d), units: (count, options) => d.units(count, options) };
}

export function openCodeRun(d: RunContext, backend: OpenCodeBackend): OpenCodeRun {
  return { ...baseOf(d), ...did(d), backend };
}
