// The report schema (report.json), version 1. Readers check `schemaVersion` before anything
// else; a change that breaks readers bumps it.
import type { MetricVerdict, ValueKind, Verdict, WorkUnit } from '../core/types.ts';
import type { RunVerdict } from '../core/exit.ts';
import type { InterruptSignal } from '../core/interrupt.ts';
import type { Diagnosis } from '../diagnose/model.ts';
import type { HoldInfo, PhaseDiff, ProfileSummary } from '../profile/model.ts';
import type { SnapshotAt } from '../diagnose/phase-diff.ts';
import type { LoadSection } from './load-model.ts';

export type { Diagnosis } from '../diagnose/model.ts';

export const REPORT_SCHEMA_VERSION = 1;

/** How far an interrupted run got, and what its expectations said on the samples taken until then. */
export interface RunInterruption {
  signal: InterruptSignal;
  /** Wall time from the start of the run to the signal. */
  afterMs: number;
  /** The phase the run was in ('start' before the target was up). */
  phase: string;
  workDone: Partial<Record<WorkUnit, number>>;
  samples: number;
  /** The expectations' overall verdict on the samples so far: a partial figure, not the run's verdict. */
  verdictSoFar: RunVerdict;
  /** What the stop cut short (a batch in flight, a diagnosis), when something was. */
  notes: string[];
}

/** What a correctness check expectation says: checks pass or fail, they do not leak. */
export type CheckVerdict = 'pass' | 'fail' | 'inconclusive';

/**
 * One declared expectation of the scenario and its outcome: a memory or growth expectation
 * ("heap stays bounded per session": bounded / leak / inconclusive), or a correctness check
 * ("every follow-up reached its session": pass / fail with counts, kind 'check').
 */
export type ExpectationResult = MemoryExpectationResult | CheckExpectationResult;

export interface MemoryExpectationResult extends ExpectationFields {
  /** Absent in reports written before checks had their own kind. */
  kind?: 'memory';
  verdict: Verdict | 'error';
  metric?: MetricVerdict;
}

export interface CheckExpectationResult extends ExpectationFields {
  kind: 'check';
  verdict: CheckVerdict | 'error';
  /** How many findings of the check were made and how many failed. */
  checks: { total: number; failed: number };
  /** A check is not a series: no metric. */
  metric?: never;
}

interface ExpectationFields {
  id: string;
  description: string;
  passed: boolean;
  /** The figure people read: "+1.9 KB per session". */
  estimate?: string;
  /** The limit the estimate was held against, in the metric's valueKind. */
  limit?: number;
  /** per-unit: a slope limit ("≤ 1 KB per session", the default); absolute: a cap on the value. */
  limitKind?: 'per-unit' | 'absolute';
  reasons: string[];
  warnings: string[];
}

/**
 * Where the judged main phase stopped and why. A fixed run (--sessions) does its nominal size; a
 * sequential run looks at its samples as they arrive and stops at the first look where every
 * expectation is decided (`decided`), at the nominal size when one has failed and another is still
 * undecided (`failed`), or at its maximum (harness/scenario/sequential.ts).
 */
export interface StoppingRecord {
  mode: 'fixed' | 'sequential';
  /** Name of the main phase. */
  phase: string;
  /** Work of the main phase, in the report's unit. */
  nominal: number;
  max: number;
  stoppedAt: number;
  outcome: 'decided' | 'failed' | 'maximum' | 'fixed';
  /** "decided at 1400 sessions: collections-bounded leak in both halves, ..." */
  summary: string;
  /** Error budget over all looks and how it was spent (sequential runs). */
  alpha?: number;
  spending?: string;
  /** Every look taken: where, at what error, what was still undecided there, and why it came before its planned work (`early`). */
  looks: Array<{ at: number; alpha: number; undecided: string[]; early?: string }>;
}

export interface RunPhase {
  name: string;
  /** First and last sample seq of the phase, inclusive. */
  fromSeq: number;
  toSeq: number;
}

export interface TopCollection {
  id: string;
  kind: string;
  name?: string;
  firstSize: number;
  lastSize: number;
  slopePerUnit: number;
  /** "+1 entry per session". */
  entriesPerUnitText: string;
}

/** A declared cap, drawn as a dashed line on the chart of its valueKind. */
export interface CapLine {
  label: string;
  value: number;
  valueKind: ValueKind;
}

/** Calls per hook of one run (`coverage`, agreed shape; extensions are optional fields). */
export type Coverage =
  | {
      kind: 'plugin';
      /** Hook names the loaded plugin(s) registered (keys of the returned Hooks, 'event' included; not config/tool/auth/provider/dispose). */
      registered: string[];
      /** Calls per hook name (every registered hook appears, 0 when never called). */
      calls: Record<string, number>;
      /** Errors (throws/rejections) per hook name. */
      errors: Record<string, number>;
      /** Registered hooks never called, each with why: the scenario does not produce them, or OpenCode would not call them here. */
      neverCalled: { hook: string; reason: string }[];
      /** Bun-only APIs and `$` the plugin touched, per hook; shimmed = churnlab ran a faithful shim. */
      bun: { api: string; hook: string; count: number; shimmed: boolean }[];
      /** One line a reader sees: e.g. "12 of 14 registered hooks called; never called: permission.ask (…)". */
      summary: string;
      /** What the coverage means for the verdict: an empty registration, hooks never called, Bun paths not covered. */
      warnings?: string[];
      /** Where the transforms' output went (the mock's model call, or nowhere on the real server). */
      notes?: string[];
    }
  | {
      kind: 'service';
      /** Requests the service answered, per route ("POST /hook/session-start"), and errors per route. */
      requests: number;
      routes: Record<string, { requests: number; errors: number }>;
      summary: string;
      warnings?: string[];
    };

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  runId: string;
  createdAt: string;
  /** params.command (string) is the command line that reproduces the run. */
  scenario: { name: string; summary: string; params: Record<string, unknown> };
  target: { spec: string; kind: string; label: string };
  unit: WorkUnit;
  workDone: Partial<Record<WorkUnit, number>>;
  verdict: RunVerdict;
  exitCode: number;
  expectations: ExpectationResult[];
  /** Where the main phase stopped and why (absent when the workload has no judged main phase). */
  stopping?: StoppingRecord;
  phases: RunPhase[];
  topCollections: TopCollection[];
  caps: CapLine[];
  diagnosis?: Diagnosis;
  /** --profile: top allocation sites per unit of work (docs/profiling.md). */
  profile?: ProfileSummary;
  /** --snapshot-at: snapshots at phase starts and what was retained between the first and last. */
  snapshots?: SnapshotAt[];
  phaseDiff?: PhaseDiff;
  holds?: HoldInfo[];
  localTiming?: { snapshotMs: number[]; diffMs?: number };
  /** `npm run load`: latency, throughput and heap per window of the load (absent for scenarios). */
  load?: LoadSection;
  /** Set when a signal (SIGINT, SIGTERM) stopped the run: exit 128 + the signal's number. */
  interrupted?: RunInterruption;
  /** A harness or target error (exit >= 3); the report is still written with the samples so far. */
  error?: { kind: string; message: string; stderrTail?: string };
  targetErrors?: { count: number; byWhere: Record<string, number> };
  /** What the run exercised in the target: hooks registered and called (plugins), requests per route (services). */
  coverage?: Coverage;
  /**
   * How the target was observed: 'inspector' (heap, census, handles over CDP and IPC) or 'proc'
   * (a plain command: RSS of its process tree from /proc only). Notes say what was not judged.
   */
  observation?: { by: 'inspector' | 'proc'; notes: string[] };
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; totalMemBytes: number };
  timing: { startedAt: string; durationMs: number; samples: number; meanSampleCostMs: number };
  /** File names relative to the run directory, so a moved or uploaded run dir stays whole. */
  files: { samples: string; report: string; summary: string; html: string; diagnosis?: string[]; local?: string[] };
}
