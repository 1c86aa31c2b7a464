// gate.json, version 1: what one `npm run gate` (or a merge of several) decided, entry by entry,
// with the run directories it read the figures from. Paths are relative to the gate directory,
// so an uploaded or moved gate directory stays whole.
import type { WorkUnit } from '../core/types.ts';
import type { RunInterruption, RunReport } from '../report/model.ts';
import type { RunVerdict } from '../core/exit.ts';
import type { BudgetResult } from './budgets.ts';
import type { SpeedResult } from './speed.ts';
import type { SpeedFigure } from './suite.ts';

export const GATE_SCHEMA_VERSION = 1;

export interface GateRun {
  runId: string;
  /** The run directory, relative to the gate directory. */
  dir: string;
  verdict: RunVerdict;
  exitCode: number;
  durationMs: number;
  /** Expectations that did not hold, with the figure and the first reason (names the collection). */
  failed: { id: string; description: string; verdict: string; estimate?: string; reason: string }[];
  error?: { kind: string; message: string };
  budgets: BudgetResult[];
  /** Speed figures of this run (throughput: units per second of the verdict window, net of sampling). */
  speed: Partial<Record<SpeedFigure, number>>;
  /** Work done by unit, for the summary. */
  workDone: Partial<Record<WorkUnit, number>>;
  /** The command line that reproduces the run. */
  command: string;
  /** A signal stopped this run: how far it got and what its samples said so far. */
  interrupted?: RunInterruption;
}

/**
 * pass: exit 0; fail: a leak, a breached budget or a speed regression that fails (exit 1);
 * inconclusive: exit 2; error: exit 3-5; interrupted: a signal stopped its run (exit 128 + signal).
 */
export type EntryStatus = 'pass' | 'fail' | 'inconclusive' | 'error' | 'interrupted';

export interface EntryResult {
  id: string;
  kind: 'scenario' | 'load';
  /** The scenario's name, or `load-<profile>` for a load entry. */
  scenario: string;
  summary: string;
  /** The target as people read it ("fixtures/targets/unclean-exit/fixed.ts"). */
  target: string;
  unit: WorkUnit;
  sessions?: number;
  verdicts: 'gate' | 'report-only';
  status: EntryStatus;
  exitCode: number;
  /** One line: why this status ("leak: Set continuityInjected +0.90 entries per session"). */
  headline: string;
  runs: GateRun[];
  speed: SpeedResult[];
  notes: string[];
}

export interface GateReport {
  schemaVersion: typeof GATE_SCHEMA_VERSION;
  kind: 'churnlab-gate';
  createdAt: string;
  durationMs: number;
  command: string;
  /** The config file the suite came from (absent for a merge of plain run directories). */
  config?: string;
  /** `--only` ids, when the gate ran part of the suite (one CI matrix job). */
  only?: string[];
  passed: boolean;
  exitCode: number;
  headline: string;
  entries: EntryResult[];
  machine: RunReport['machine'];
  /** Baseline keys written by this run (`--update-baseline`). */
  baselineUpdated?: string[];
  /** For a merge: the gate directories or run directories it combined. */
  mergedFrom?: string[];
  /** A signal stopped the gate: which, and the entries it never started (they did not pass). */
  interrupted?: { signal: RunInterruption['signal']; notRun: string[] };
}
