// The primitives a scenario's workload is written with. Each call drives the target over IPC in
// batches and takes samples at the scenario's cadence, so a workload reads like the churn it models.
import type { Sample, WorkUnit } from '../core/types.ts';
import type { ClockState } from '../target/protocol.ts';

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
}

export interface OpenSession {
  id: string;
  exchange(turns: number): Promise<void>;
  endCleanly(): Promise<void>;
  endUncleanly(): Promise<void>;
}

export interface RunContext {
  readonly unit: WorkUnit;
  /** Mark the start of a phase; samples carry the current phase's name. */
  phase(name: string): void;
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
  /** Work done so far, by unit. */
  work(): Partial<Record<WorkUnit, number>>;
}
