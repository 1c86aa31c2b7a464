// The report schema (report.json), version 1. Readers check `schemaVersion` before anything
// else; a change that breaks readers bumps it.
import type { MetricVerdict, ValueKind, Verdict, WorkUnit } from '../core/types.ts';
import type { Diagnosis } from '../diagnose/model.ts';
import type { HoldInfo, PhaseDiff, ProfileSummary } from '../profile/model.ts';
import type { SnapshotAt } from '../diagnose/phase-diff.ts';
import type { LoadSection } from './load-section.ts';

export type { Diagnosis } from '../diagnose/model.ts';

export const REPORT_SCHEMA_VERSION = 1;

/** The run as a whole: what the gate turns into an exit code. */
export type RunVerdict = 'pass' | 'leak' | 'inconclusive' | 'error';

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
  /** A harness or target error (exit >= 3); the report is still written with the samples so far. */
  error?: { kind: string; message: string; stderrTail?: string };
  targetErrors?: { count: number; byWhere: Record<string, number> };
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

/**
 * The run's verdict from its parts: an error wins; then a failed expectation that saw a leak
 * (or any other failure but an inconclusive one); then inconclusive; else pass.
 */
export function overallVerdict(expectations: ExpectationResult[], error?: RunReport['error']): RunVerdict {
  if (error || expectations.some((e) => e.verdict === 'error')) return 'error';
  const failed = expectations.filter((e) => !e.passed);
  if (failed.some((e) => e.verdict !== 'inconclusive')) return 'leak';
  if (failed.length > 0) return 'inconclusive';
  return 'pass';
}
