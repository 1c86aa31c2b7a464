// What one kind of run (a scenario's workload, a load's requests) brings to the shared lifecycle,
// and what the lifecycle's steps share while the run goes on. The kind says what to start, how
// to drive and what to add to the verdict and the report; every other step is the lifecycle's.
import type { Sample, WorkUnit } from '../../core/types.ts';
import type { OpenCodeBackend, OpenCodeMode } from '../../opencode/backend.ts';
import type { ReplyShape } from '../../opencode/reply.ts';
import type { Sampler } from '../../observe/sampler.ts';
import type { CommandTarget } from '../../target/command.ts';
import type { LaunchOptions, TargetProcess } from '../../target/launch.ts';
import type { Coverage, ExpectationResult, RunReport } from '../../report/model.ts';
import type { SampleStream } from '../../report/samples-writer.ts';
import type { DriverOptions, DrivenTarget, ScenarioDriver } from '../driver.ts';
import type { Evaluation, Expectation } from '../expect.ts';
import type { MainPhasePlan } from '../sequential.ts';

export interface Progress {
  phase: string;
  work: Partial<Record<WorkUnit, number>>;
  unit: WorkUnit;
  sample: Sample;
}

export interface RunResult {
  report: RunReport;
  dir: string;
  exitCode: number;
}

/** Timeouts and flags for the target process (tests shorten them). */
export type LaunchTuning = Partial<Pick<LaunchOptions, 'startTimeoutMs' | 'callTimeoutMs' | 'runTimeoutMs' | 'execArgv' | 'env'>>;

/** The OpenCode a target talks to: the mock in this process, or the real `opencode serve`. */
export interface OpenCodeChoice {
  mode: OpenCodeMode;
  seed: number;
  reply?: Partial<ReplyShape>;
  log?: (line: string) => void;
}

/** How the target is started, and so how it is observed. */
export type TargetPlan =
  /** A Node module in a host churnlab starts: inspector, IPC, virtual clock. */
  | {
      by: 'node';
      host: string;
      path: string;
      options: Record<string, unknown>;
      tuning?: LaunchTuning;
      runTimeoutScale: number;
      extraLifeMs: number;
    }
  /** A service as a plain command (any language): RSS from /proc only. */
  | { by: 'command'; command: string; cwd: string; options: Record<string, unknown>; tuning?: LaunchTuning }
  /** The real OpenCode server itself (the backend): RSS from /proc only. */
  | { by: 'opencode-server' };

export interface LaunchPlan {
  opencode?: OpenCodeChoice;
  target: TargetPlan;
}

/** The process the run observes, as it was started. */
export type Observed =
  { by: 'node'; target: TargetProcess; options: LaunchOptions } | { by: 'command'; command: CommandTarget } | { by: 'opencode-server' };

/** What the lifecycle's steps share; filled in as the run gets there, so a failure stops what was started. */
export interface RunState {
  readonly dir: string;
  readonly runId: string;
  readonly startedAt: Date;
  readonly samples: Sample[];
  readonly stream: SampleStream;
  backend?: OpenCodeBackend;
  observed?: Observed;
  sampler?: Sampler;
  driven?: DrivenTarget;
  /** A service target's URL, when it reported one. */
  serviceUrl?: string;
  driver?: ScenarioDriver;
}

/** The kind's share of the verdict: its results in report order, and the coverage that may void a pass. */
export interface KindJudgement {
  results: ExpectationResult[];
  coverage?: Coverage;
}

/** The kind's share of report.json; the lifecycle writes the rest. */
export interface KindReport {
  scenario: RunReport['scenario'];
  target: RunReport['target'];
  caps: RunReport['caps'];
  /** Samples the top collections are ranked over. */
  growersFrom: Sample[];
  /** Sections only this kind has (stopping, profiling, coverage, load, ...). */
  sections: Partial<RunReport>;
  /** Files of the run folder besides the lifecycle's own. */
  files?: string[];
}

export interface RunKind {
  /** The run folder's parent name: the scenario's name, or load-<profile>. */
  name: string;
  unit: WorkUnit;
  /** The target as reports and errors name it. */
  targetLabel: string;
  outRoot?: string;
  signal?: AbortSignal;
  onProgress?(progress: Progress): void;
  /**
   * What an interrupt stops at once: the target (a batch in flight is abandoned), or only the
   * kind's own load generator, so the figures of the requests answered so far are kept.
   */
  interruptStops: 'target' | 'load';
  primeSamples: number;
  /** Heap snapshot and retainer paths after a leak verdict. */
  diagnose: boolean;
  expectations: Expectation[];
  /** How long the main phase runs and at which error; absent: once, at the engine's default. */
  plan?: MainPhasePlan;
  /** The samples the expectations judge. */
  judgedWindow(samples: Sample[]): Sample[];
  launchPlan(run: RunState): LaunchPlan;
  /** The driver's options that depend on the kind (cadence, counters, hooks). */
  driverOptions(run: RunState): Omit<DriverOptions, 'unit' | 'startedAtMs' | 'onSample' | 'signal' | 'serviceUrl' | 'backend'>;
  /** The work itself, after priming. */
  drive(run: RunState, driver: ScenarioDriver): Promise<void>;
  /** The kind's results around the expectations' evaluation. */
  judge(evaluation: Evaluation): KindJudgement;
  /** After the verdict and its diagnosis (a hold at the end of the run). */
  afterVerdict?(): Promise<void>;
  report(run: RunState): KindReport;
}
