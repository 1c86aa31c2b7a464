// The primitives a scenario's workload is written with. Each call drives the target over IPC in
// batches and takes samples at the scenario's cadence, so a workload reads like the churn it models.
import type { Sample, WorkUnit } from '../core/types.ts';
import type { ClockState } from '../target/protocol.ts';
import type { MockOpenCode } from '../opencode/index.ts';
import type { OpenCodeBackend } from '../opencode/backend.ts';
import type { AdapterControl } from './resume-adapter.ts';
import type { CheckFinding } from './resume-checks.ts';

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
  /** Sessions in flight at once inside the target. */
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

export interface RunContext {
  readonly unit: WorkUnit;
  /** Service targets: the URL the service listens on (drive it with fetch or the SDK). */
  readonly serviceUrl: string | undefined;
  /** The mock OpenCode, when the run uses it: faults, accounting, state, the fake LLM. */
  readonly opencode: MockOpenCode | undefined;
  /** The OpenCode in use, mock or real (`--opencode real`): URL, fake LLM, faults, restart. */
  readonly backend: OpenCodeBackend | undefined;
  /**
   * Count work the workload did itself (service scenarios drive over HTTP from the harness), and
   * take a sample when the scenario's cadence is due.
   */
  did(unit: WorkUnit, count: number): Promise<void>;
  /** Mark the start of a phase; samples carry the current phase's name. */
  phase(name: string): void;
  /**
   * The judged main phase: marks phase `name`, then calls `step(n)` for the next `n` units of
   * work (in the scenario's unit) until the runner's plan stops it. A fixed run (--sessions) calls
   * it once with `nominal`; a sequential run calls it up to each look and stops once every
   * expectation is decided, or at its maximum (docs/statistics.md, "Sequential runs").
   */
  mainPhase(name: string, nominal: number, step: (count: number) => Promise<void>): Promise<void>;
  /** Whole session lives: open, exchange, end cleanly or vanish, in batches between samples. */
  churn(options: ChurnOptions): Promise<void>;
  /** Synthetic targets: run `count` calls of the module's unit(i), sampling on the way. */
  units(count: number, options?: { virtualMsPerUnit?: number }): Promise<void>;
  /** One session by hand, for scenarios that need fine control. */
  openSession(title?: string): Promise<OpenSession>;
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
  /** Adapter targets: start, turn and stop threads; the harness-owned cursor store (docs/adapters.md). */
  readonly adapter: AdapterControl | undefined;
  /**
   * Stop the target's process and launch it again with the same options (an app restart). What
   * the harness owns (cursor store, OpenCode, samples) survives; heap and census start afresh.
   */
  restartTarget(): Promise<void>;
  /** Record the outcome of a correctness check; judged by expectChecksPass(check). */
  check(finding: CheckFinding): void;
  /** An exact counter carried by every later sample (e.g. orphaned sessions; expectCounterBounded). */
  setCounter(name: string, value: number): void;
}
