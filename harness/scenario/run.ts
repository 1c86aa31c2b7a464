// Runs one scenario end to end through the run lifecycle (harness/scenario/lifecycle/): what is
// the scenario's own is here. Its input checked before anything starts; its target planned (a
// Node module in its host, a service as a plain command, or the real OpenCode server); the
// workload typed by the target's kind as the drive step; its expectations and the coverage as its
// share of the verdict; its sections of the report (stopping, local profiling, observation).
import { join } from 'node:path';
import type { Coverage } from '../report/model.ts';
import { DEFAULTS } from '../core/defaults.ts';
import type { Sample } from '../core/types.ts';
import { HARNESS_DIR, PACKAGE_ROOT, REPO_ROOT } from '../core/paths.ts';
import type { OpenCodeBackend, OpenCodeMode } from '../opencode/backend.ts';
import { REAL_MODE_NOTE } from '../opencode-real/select.ts';
import { OPENCODE_TARGET_LABEL, opencodeKindNeedsReal } from '../opencode-real/observed.ts';
import { TargetError } from '../target/launch.ts';
import { planProcOnly, type ProcOnlyPlan } from './observation.ts';
import { DEFAULT_MAIN_PHASE, expectationsOf, warmupOf, type CommonParams, type ScenarioDefinition, type TargetKind } from './define.ts';
import { adapterRun, openCodeRun, pluginRun, serviceRun, unitRun, type RunContext } from './context.ts';
import type { ScenarioDriver } from './driver.ts';
import { limitCrossed, type Expectation } from './expect.ts';
import { readCoverage, runShapeOf } from './coverage.ts';
import { mainPhasePlan, type MainPhasePlan } from './sequential.ts';
import { BadInputError, resolveTarget } from './target-spec.ts';
import { AdapterDriver } from './adapter-driver.ts';
import { CursorStore } from './adapter-cursors.ts';
import { PhaseWatch, type LocalProfilingOptions } from '../profile/watch.ts';
import { holdAllowanceMs, localOptionsProblem, localReportFields } from '../profile/local.ts';
import { userRootOf } from '../profile/repo-root.ts';
import { untilInterrupted } from '../core/interrupt.ts';
import { runLifecycle, type Progress, type RunKind, type RunResult } from './lifecycle/index.ts';
import type { KindReport, LaunchPlan, LaunchTuning, RunState } from './lifecycle/kind.ts';
import { accountingCounters } from './lifecycle/drive.ts';
import { evaluateWindow } from './lifecycle/judge.ts';
import { judgedSamples } from '../verdict/index.ts';
import { nodeTarget, relaunch, stderrTailOf } from './lifecycle/launch.ts';
import { targetLabelOf } from './lifecycle/resolve.ts';

export type { Progress, RunResult } from './lifecycle/index.ts';

export interface RunOptions {
  /** --target: path or package name; the scenario's default when absent. */
  target?: string;
  /**
   * --command: a service scenario's target given as a plain command (any language), started in
   * the current directory and observed by RSS from /proc only (harness/target/command.ts).
   */
  command?: string;
  /** Working directory of a `command` target (default: the current directory; the gate: its config file's). */
  commandCwd?: string;
  /** A fixed run of this many units in the main phase (--sessions); without it the run is sequential. */
  sessions?: number;
  /** A sequential run's maximum (--max-sessions); default DEFAULTS.sequentialMaxFactor × the nominal size. */
  maxSessions?: number;
  /** Run the nominal size as a fixed run even without `sessions` (compare: equal runs on both sides). */
  fixed?: boolean;
  seed?: number;
  /** Overrides of the scenario's own parameters (`--param name=value`), already typed. */
  params?: Record<string, number | string | boolean>;
  /** Root under which reports/<scenario>/<run-id>/ is created. */
  outRoot?: string;
  /** Take heap snapshots and retainer paths on a leak (default true). */
  diagnose?: boolean;
  /** The command line, quoted in reports so a reader can reproduce the run. */
  commandLine?: string;
  onProgress?(progress: Progress): void;
  /** Timeouts and flags for the target process (tests shorten them). */
  launch?: LaunchTuning;
  /** --opencode: the mock (default) or the real `opencode serve` (installed on first use). */
  opencode?: OpenCodeMode;
  /** One-line notices for the user (installing the real server, what a real-server run lacks). */
  log?: (line: string) => void;
  /** --profile, --snapshot-at, --hold (harness/profile, docs/profiling.md). */
  local?: LocalProfilingOptions;
  /**
   * Aborted with an Interrupted reason (the CLI's SIGINT/SIGTERM): the run stops driving and its
   * target, judges the samples so far and reports `interrupted` (exit 128 + the signal's number).
   */
  signal?: AbortSignal;
}

/** What the runner has for the typed run; a kind whose part is missing fails before any work. */
interface RunParts {
  serviceUrl: string | undefined;
  backend: OpenCodeBackend | undefined;
  adapter: AdapterDriver | undefined;
  stderrTail(): string;
}

/**
 * The run object of the scenario's kind: only the members that kind has. What a target failed to
 * give (a service that reported no URL) is said here once, naming the target, before the workload.
 */
export function typedRun(
  scenario: { kind: TargetKind; name: string; mockOpenCode?: boolean },
  driver: RunContext,
  parts: RunParts,
  targetLabel: string,
): unknown {
  const missing = (what: string) =>
    new TargetError(
      {
        kind: 'load-error',
        error: {
          name: 'Error',
          message: `it reported no ${what}: the ${scenario.kind} scenario ${scenario.name} needs it before any work`,
        },
        stderrTail: parts.stderrTail(),
      },
      `"${targetLabel}" (${scenario.kind} host)`,
    );
  const backend = () =>
    parts.backend ??
    (() => {
      throw new Error(`${scenario.name}: the runner started no OpenCode for a ${scenario.kind} scenario`);
    })();
  switch (scenario.kind) {
    case 'plugin':
      return pluginRun(driver, backend());
    case 'unit':
      return unitRun(driver);
    case 'opencode':
      return openCodeRun(driver, backend());
    case 'adapter':
      return adapterRun(driver, parts.adapter!, backend());
    case 'service': {
      if (!parts.serviceUrl) throw missing('URL (its start() must resolve to { url })');
      return scenario.mockOpenCode ? serviceRun(driver, parts.serviceUrl, backend()) : serviceRun(driver, parts.serviceUrl);
    }
  }
}

/**
 * A workload runs as written; a step scenario's warm-up (phase 'warmup', already marked) and main
 * phase are run here, the step numbered on from the warm-up's last unit.
 */
async function runWorkload<P extends CommonParams>(
  scenario: ScenarioDefinition<P>,
  run: unknown,
  driver: RunContext,
  params: P,
): Promise<void> {
  if (scenario.workload) return scenario.workload(run as never, params);
  const step = scenario.work(run as never, params);
  let from = warmupOf(scenario.warmup, params);
  if (from > 0) await step(from, 0);
  await driver.mainPhase(scenario.mainPhase ?? DEFAULT_MAIN_PHASE, params.sessions, async (n) => {
    const at = from;
    from += n;
    await step(n, at);
  });
}

/** What the input checks need of a scenario. */
type ScenarioIdentity = Pick<ScenarioDefinition, 'name' | 'kind' | 'defaultTarget'>;

/** Bad input is named before anything starts, so it never leaves an empty run folder behind. */
function checkOptions(scenario: ScenarioIdentity, options: RunOptions): void {
  if (options.command !== undefined) {
    if (scenario.kind !== 'service')
      throw new BadInputError(
        `--command runs a service as a plain command, but ${scenario.name} drives a ${scenario.kind} target; use --target <path>`,
      );
    if (options.target !== undefined) throw new BadInputError('--command and --target name the target twice: give one of them');
    if (!options.command.trim())
      throw new BadInputError('--command is empty: expected a command line that starts the service, e.g. --command "python3 daemon.py"');
  }
  if (scenario.kind === 'opencode' && options.opencode !== 'real') throw new BadInputError(opencodeKindNeedsReal(scenario.name));
}

/** Targets seen from /proc only (a plain command, the real server): RSS for the heap, and no local profiling. */
function procOnlyPlan(scenario: ScenarioIdentity, options: RunOptions, expectations: Expectation[]): ProcOnlyPlan | undefined {
  if (options.command === undefined && scenario.kind !== 'opencode') return undefined;
  if (options.local)
    throw new BadInputError(
      `--profile, --snapshot-at and --hold need the inspector of a Node target that churnlab starts; ${options.command !== undefined ? 'a --command target is observed from /proc only' : `${scenario.name} drives the OpenCode server itself`}`,
    );
  return planProcOnly(expectations);
}

/** The target's path (or the command, or the real server) and how reports name it. */
function targetOf(scenario: ScenarioIdentity, options: RunOptions): { path: string; label: string } {
  if (options.command !== undefined) return { path: options.command, label: `command: ${options.command}` };
  const path =
    scenario.kind === 'opencode'
      ? OPENCODE_TARGET_LABEL
      : resolveTarget(options.target ?? scenario.defaultTarget, options.target ? process.cwd() : REPO_ROOT);
  return { path, label: targetLabelOf(path) };
}

function launchPlanOf<P extends CommonParams>(
  scenario: ScenarioDefinition<P>,
  options: RunOptions,
  params: P,
  path: string,
  plan: MainPhasePlan,
): LaunchPlan {
  const needsOpenCode =
    scenario.kind === 'plugin' ||
    scenario.kind === 'adapter' ||
    scenario.kind === 'opencode' ||
    (scenario.kind === 'service' && scenario.mockOpenCode);
  const opencode = needsOpenCode
    ? { mode: options.opencode ?? 'mock', seed: params.seed, reply: scenario.reply, log: options.log }
    : undefined;
  const hostOptions: Record<string, unknown> = { ...scenario.serviceOptions };
  if (scenario.kind === 'opencode') return { opencode, target: { by: 'opencode-server' } };
  if (options.command !== undefined)
    return {
      opencode,
      target: {
        by: 'command',
        command: options.command,
        cwd: options.commandCwd ?? process.cwd(),
        options: hostOptions,
        tuning: options.launch,
      },
    };
  return {
    opencode,
    // A sequential run may do up to its maximum, and a hold waits for a person: the target's life limit grows with both.
    target: {
      by: 'node',
      host: scenario.kind,
      path,
      options: hostOptions,
      tuning: options.launch,
      runTimeoutScale: plan.workScale,
      extraLifeMs: options.local?.hold ? holdAllowanceMs(options.local) : 0,
    },
  };
}

/** What only a scenario's run has: its profiling watch, its adapter's cursors, the coverage it read. */
interface ScenarioParts {
  watch?: PhaseWatch;
  adapter?: AdapterDriver;
  coverage?: Coverage;
}

/** The driver's scenario options: cadence, reply shape, relaunch, the watch's phase hook, the mock's accounting. */
function scenarioDriverOptions<P extends CommonParams>(
  scenario: ScenarioDefinition<P>,
  options: RunOptions,
  run: RunState,
  plan: MainPhasePlan,
  parts: ScenarioParts,
  targetPath: string,
) {
  const relaunchable = options.command === undefined && scenario.kind !== 'opencode';
  if (options.local && nodeTarget(run)) {
    parts.watch = new PhaseWatch(
      () => nodeTarget(run)!,
      { dir: run.dir, unit: scenario.unit, harnessDir: HARNESS_DIR, userRoot: userRootOf(targetPath) },
      options.local,
    );
  }
  // Adapter targets: the cursor store is the harness's (a JSON file in the run folder), so it
  // survives run.restartTarget(), which replaces the process the driver and the final stop use.
  if (scenario.kind === 'adapter')
    parts.adapter = new AdapterDriver(() => nodeTarget(run)!, new CursorStore(join(run.dir, 'resume-cursors.json')));
  const restartTarget = async () => {
    const restarted = await relaunch(run, options.signal);
    parts.adapter?.processRestarted();
    return restarted;
  };
  return {
    plan,
    toolCallsPerMessage: scenario.reply?.toolCallsPerMessage,
    serviceStats: scenario.kind === 'service',
    sampleEveryUnits: scenario.sampleEveryUnits,
    adapter: parts.adapter,
    restartTarget: relaunchable ? restartTarget : undefined,
    ...(parts.watch ? { onPhase: parts.watch.onPhase.bind(parts.watch) } : {}),
    counters: accountingCounters(run.backend, ['calls', 'bytes']),
  };
}

/** The drive step of a scenario: its typed run, the workload, the last sample, the watch's end and the coverage. */
async function driveScenario<P extends CommonParams>(
  scenario: ScenarioDefinition<P>,
  options: RunOptions,
  params: P,
  run: RunState,
  driver: ScenarioDriver,
  parts: ScenarioParts,
  targetLabel: string,
) {
  const typed = typedRun(
    scenario,
    driver,
    { serviceUrl: run.serviceUrl, backend: run.backend, adapter: parts.adapter, stderrTail: () => stderrTailOf(run) ?? '' },
    targetLabel,
  );
  driver.phase('warmup');
  // Raced with the interrupt: a workload held up (a --hold, a slow real server) still ends.
  await untilInterrupted(runWorkload(scenario, typed, driver, params), options.signal);
  // A second sample at the same work point would add a point of pure timing noise.
  await driver.sampleIfWorkPending();
  await untilInterrupted(driver.settle(), options.signal);
  await parts.watch?.finish(driver.work());
  parts.coverage = await readCoverage(
    nodeTarget(run),
    scenario.kind,
    runShapeOf(params as Record<string, unknown>, scenario.reply?.toolCallsPerMessage, options.opencode),
  );
}

function scenarioReport<P extends CommonParams>(
  scenario: ScenarioDefinition<P>,
  options: RunOptions,
  params: P,
  run: RunState,
  c: { label: string; plan: MainPhasePlan; expectations: Expectation[]; procOnly?: ProcOnlyPlan; parts: ScenarioParts },
): KindReport {
  const local = c.parts.watch?.result();
  return {
    scenario: {
      name: scenario.name,
      summary: scenario.summary,
      params: {
        ...(params as Record<string, unknown>),
        command: options.commandLine,
        ...(options.opencode === 'real' ? { opencode: REAL_MODE_NOTE } : {}),
      },
    },
    target: {
      spec: options.command ?? options.target ?? scenario.defaultTarget,
      kind: options.command !== undefined ? 'service (command)' : scenario.kind,
      label: c.label,
    },
    caps: c.expectations.flatMap((e) =>
      e.kind === 'collections-bounded' && e.atMost !== undefined
        ? [{ label: `cap ${e.atMost}`, value: e.atMost, valueKind: 'entries' as const }]
        : [],
    ),
    growersFrom: run.samples,
    sections: {
      stopping: c.plan.record(),
      ...localReportFields(local),
      coverage: c.parts.coverage,
      observation: c.procOnly ? { by: 'proc', notes: c.procOnly.notes } : { by: 'inspector', notes: [] },
    },
    files: local?.files,
  };
}

/** A scenario as a kind of run: its input resolved and checked here, before the lifecycle starts. */
function scenarioKind<P extends CommonParams>(scenario: ScenarioDefinition<P>, options: RunOptions): RunKind {
  const localProblem =
    options.local &&
    localOptionsProblem(options.local, {
      name: scenario.name,
      workload: scenario.workload,
      mainPhase: scenario.mainPhase ?? DEFAULT_MAIN_PHASE,
    });
  if (localProblem) throw new BadInputError(localProblem);
  const params: P = {
    ...scenario.params,
    ...options.params,
    ...(options.sessions ? { sessions: options.sessions } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  checkOptions(scenario, options);
  const declared = expectationsOf(scenario, params);
  const procOnly = procOnlyPlan(scenario, options, declared);
  const expectations = procOnly?.expectations ?? declared;
  const { path, label } = targetOf(scenario, options);
  let live: RunState | undefined;
  // A sequential run judges at each look what the final verdict judges, at the look's share of the error.
  const plan = mainPhasePlan(
    { ...options, unit: scenario.unit, sampleEveryUnits: scenario.sampleEveryUnits, nominal: params.sessions },
    (alpha) => evaluateWindow(kind, live!, alpha),
    newCrossing(expectations, () => live?.samples ?? []),
  );
  const parts: ScenarioParts = {};
  const kind: RunKind = {
    name: scenario.name,
    unit: scenario.unit,
    targetLabel: label,
    outRoot: options.outRoot,
    signal: options.signal,
    onProgress: options.onProgress,
    interruptStops: 'target',
    primeSamples: scenario.primeSamples ?? DEFAULTS.primeSamples,
    diagnose: options.diagnose !== false,
    expectations,
    plan,
    judgedWindow: (samples) => judgedSamples(samples, scenario.verdictPhases),
    launchPlan: (run) => {
      live = run;
      return launchPlanOf(scenario, options, params, path, plan);
    },
    driverOptions: (run) => scenarioDriverOptions(scenario, options, run, plan, parts, path),
    drive: (run, driver) => driveScenario(scenario, options, params, run, driver, parts, label),
    judge: (evaluation) => ({ results: evaluation.results, coverage: parts.coverage }),
    afterVerdict: () => untilInterrupted(parts.watch?.holdAtEnd() ?? Promise.resolve(), options.signal),
    report: (run) => scenarioReport(scenario, options, params, run, { label, plan, expectations, procOnly, parts }),
  };
  return kind;
}

/** What passed a declared exact limit at the newest sample, each sample asked about once. */
function newCrossing(expectations: Expectation[], samples: () => readonly Sample[]): () => string | undefined {
  let askedSeq: number | undefined;
  return () => {
    const [previous, latest] = samples().slice(-2);
    if (!previous || !latest || latest.seq === askedSeq) return undefined;
    askedSeq = latest.seq;
    return limitCrossed(expectations, previous, latest);
  };
}

export async function runScenario<P extends CommonParams>(scenario: ScenarioDefinition<P>, options: RunOptions = {}): Promise<RunResult> {
  return runLifecycle(scenarioKind(scenario, options));
}
