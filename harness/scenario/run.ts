// Runs one scenario end to end: mock OpenCode (plugin scenarios), the target in its own process,
// the workload with sampling streamed to disk, verdicts, a diagnosis on a leak, and the report.
// Whatever goes wrong, the samples taken so far and a report that says what happened are kept.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Sample, WorkUnit } from '../core/types.ts';
import { DEFAULTS } from '../core/defaults.ts';
import { HARNESS_DIR, PACKAGE_ROOT, REPO_ROOT } from '../core/paths.ts';
import { EXIT, exitCodeOf, type RunVerdict } from '../core/exit.ts';
import type { OpenCodeBackend, OpenCodeMode } from '../opencode/backend.ts';
import { backendFailure, hostOptionsFor, launchOptionsFor, REAL_MODE_NOTE, startBackend } from '../opencode-real/select.ts';
import { OPENCODE_TARGET_LABEL, opencodeKindNeedsReal, serverAsTarget, type ServerAsTarget } from '../opencode-real/observed.ts';
import { launchTarget, TargetError, type LaunchOptions, type TargetProcess } from '../target/launch.ts';
import { createSampler, type Sampler } from '../observe/sampler.ts';
import { createProcSampler } from '../observe/proc-sampler.ts';
import { launchCommand, type CommandTarget } from '../target/command.ts';
import { planProcOnly } from './observation.ts';
import type { Census } from '../observe/census.ts';
import { judgedSamples, rankGrowers } from '../verdict/index.ts';
import { formatRate } from '../core/units.ts';
import { openSampleStream } from '../report/samples-writer.ts';
import { newRunDir, RUN_FILES, writeReport } from '../report/write.ts';
import { machineFacts } from '../report/machine.ts';
import { overallVerdict, type Diagnosis, type ExpectationResult, type RunReport } from '../report/model.ts';
import { takeHeapSnapshot } from '../diagnose/snapshot.ts';
import { diagnoseCollections } from '../diagnose/retainers.ts';
import { DEFAULT_MAIN_PHASE, expectationsOf, warmupOf, type CommonParams, type ScenarioDefinition, type TargetKind } from './define.ts';
import { adapterRun, openCodeRun, pluginRun, serviceRun, unitRun, type RunContext } from './context.ts';
import { ScenarioDriver } from './driver.ts';
import { evaluateExpectations, type Suspect } from './expect.ts';
import { coverageVerdict, readCoverage, runShapeOf } from './coverage.ts';
import { mainPhasePlan } from './sequential.ts';
import { BadInputError, resolveTarget } from './target-spec.ts';
import { AdapterDriver } from './adapter-driver.ts';
import { CursorStore } from './adapter-cursors.ts';
import { PhaseWatch, type LocalProfilingOptions } from '../profile/watch.ts';
import { holdAllowanceMs, localOptionsProblem, localReportFields } from '../profile/local.ts';
import { userRootOf } from '../profile/repo-root.ts';
import { interruptOf, throwIfInterrupted, untilInterrupted, type Interrupted } from '../core/interrupt.ts';
import { cutShortNotes, describeInterruption, interruptionBehind, onInterrupt } from './interrupt.ts';

const DIAGNOSIS_SNAPSHOT = 'leak.heapsnapshot';

export interface Progress {
  phase: string;
  work: Partial<Record<WorkUnit, number>>;
  unit: WorkUnit;
  sample: Sample;
}

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
  launch?: Partial<Pick<LaunchOptions, 'startTimeoutMs' | 'callTimeoutMs' | 'runTimeoutMs' | 'execArgv' | 'env'>>;
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

export interface RunResult {
  report: RunReport;
  dir: string;
  exitCode: number;
}

export function phasesOf(samples: Sample[]): RunReport['phases'] {
  const phases: RunReport['phases'] = [];
  for (const s of samples) {
    const last = phases[phases.length - 1];
    if (last && last.name === s.phase) last.toSeq = s.seq;
    else phases.push({ name: s.phase, fromSeq: s.seq, toSeq: s.seq });
  }
  return phases;
}

export async function diagnose(target: TargetProcess, census: Census | undefined, dir: string, suspects: Suspect[]): Promise<Diagnosis> {
  const file = join(dir, DIAGNOSIS_SNAPSHOT);
  await takeHeapSnapshot(target.cdp, file);
  // The census's own ids ("#12") map to heap snapshot ids ("@12345") once a snapshot exists.
  const ids = (await census?.snapshotIds()) ?? {};
  return diagnoseCollections([file], suspects.map((s) => ({ ...s, id: ids[s.id] ?? s.id })));
}

/** A target as reports name it: a file relative to the repository, a package name as given. */
export function targetLabelOf(targetPath: string): string {
  if (!existsSync(targetPath)) return targetPath;
  const inside = (root: string) => {
    const rel = relative(root, targetPath);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : undefined;
  };
  return inside(process.cwd()) ?? inside(PACKAGE_ROOT) ?? targetPath;
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
export function typedRun(scenario: { kind: TargetKind; name: string; mockOpenCode?: boolean }, driver: RunContext, parts: RunParts, targetLabel: string): unknown {
  const missing = (what: string) =>
    new TargetError({ kind: 'load-error', error: { name: 'Error', message: `it reported no ${what}: the ${scenario.kind} scenario ${scenario.name} needs it before any work` }, stderrTail: parts.stderrTail() }, `"${targetLabel}" (${scenario.kind} host)`);
  const backend = () => parts.backend ?? (() => { throw new Error(`${scenario.name}: the runner started no OpenCode for a ${scenario.kind} scenario`); })();
  switch (scenario.kind) {
    case 'plugin': return pluginRun(driver, backend());
    case 'unit': return unitRun(driver);
    case 'opencode': return openCodeRun(driver, backend());
    case 'adapter': return adapterRun(driver, parts.adapter!, backend());
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
async function runWorkload<P extends CommonParams>(scenario: ScenarioDefinition<P>, run: unknown, driver: RunContext, params: P): Promise<void> {
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

export async function runScenario<P extends CommonParams>(scenario: ScenarioDefinition<P>, options: RunOptions = {}): Promise<RunResult> {
  const localProblem = options.local && localOptionsProblem(options.local, { name: scenario.name, workload: scenario.workload, mainPhase: scenario.mainPhase ?? DEFAULT_MAIN_PHASE });
  if (localProblem) throw new BadInputError(localProblem);
  const params: P = { ...scenario.params, ...options.params, ...(options.sessions ? { sessions: options.sessions } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) };
  if (options.command !== undefined) {
    if (scenario.kind !== 'service') throw new BadInputError(`--command runs a service as a plain command, but ${scenario.name} drives a ${scenario.kind} target; use --target <path>`);
    if (options.target !== undefined) throw new BadInputError('--command and --target name the target twice: give one of them');
    if (!options.command.trim()) throw new BadInputError('--command is empty: expected a command line that starts the service, e.g. --command "python3 daemon.py"');
  }
  if (scenario.kind === 'opencode' && options.opencode !== 'real') throw new BadInputError(opencodeKindNeedsReal(scenario.name));
  const procOnly = options.command !== undefined || scenario.kind === 'opencode' ? planProcOnly(expectationsOf(scenario, params)) : undefined;
  const expectations = procOnly?.expectations ?? expectationsOf(scenario, params);
  const targetPath = options.command ?? (scenario.kind === 'opencode' ? OPENCODE_TARGET_LABEL : undefined) ?? resolveTarget(options.target ?? scenario.defaultTarget, options.target ? process.cwd() : REPO_ROOT);
  if ((options.command !== undefined || scenario.kind === 'opencode') && options.local) throw new BadInputError(`--profile, --snapshot-at and --hold need the inspector of a Node target that churnlab starts; ${options.command !== undefined ? 'a --command target is observed from /proc only' : `${scenario.name} drives the OpenCode server itself`}`);
  const samples: Sample[] = [];
  const judged = () => judgedSamples(samples, scenario.verdictPhases);
  // A sequential run judges at each look what the final verdict judges, at the look's share of the error.
  const plan = mainPhasePlan({ ...options, unit: scenario.unit, sampleEveryUnits: scenario.sampleEveryUnits, nominal: params.sessions }, (alpha) =>
    evaluateExpectations(expectations, judged(), scenario.unit, driver!.findings(), { alpha }),
  );
  const { dir, runId } = newRunDir(options.outRoot ?? join(process.cwd(), 'reports'), scenario.name);
  const stream = openSampleStream(join(dir, RUN_FILES.samples));
  const startedAt = new Date();
  const targetLabel = options.command !== undefined ? `command: ${options.command}` : targetLabelOf(targetPath);

  let target: TargetProcess | undefined;
  let command: CommandTarget | undefined;
  let backend: OpenCodeBackend | undefined;
  let driver: ScenarioDriver | undefined;
  let sampler: Sampler | undefined;
  let watch: PhaseWatch | undefined;
  let results: ExpectationResult[] = [];
  let diagnosis: Diagnosis | undefined;
  let coverage: RunReport['coverage'];
  let error: RunReport['error'];
  let verdict: RunVerdict = 'error';
  let exitCode: number = EXIT.harnessError;
  let interrupted: Interrupted | undefined;
  const interruptNotes: string[] = [];
  // On an interrupt the target goes at once; whatever was waiting on it then ends the workload.
  const forgetInterrupt = onInterrupt(options.signal, () => {
    void target?.stop(DEFAULTS.interruptStopGraceMs).catch(() => undefined);
    void command?.stop().catch(() => undefined);
  });

  try {
    throwIfInterrupted(options.signal);
    const hostOptions: Record<string, unknown> = { ...scenario.serviceOptions };
    if (scenario.kind === 'plugin' || scenario.kind === 'adapter' || scenario.kind === 'opencode' || (scenario.kind === 'service' && scenario.mockOpenCode)) {
      backend = await startBackend(options.opencode ?? 'mock', { seed: params.seed, reply: scenario.reply, runDir: join(dir, 'opencode'), log: options.log });
      if (backend.mode === 'real') options.log?.(`churnlab: ${REAL_MODE_NOTE}`);
      hostOptions.opencodeUrl = backend.url;
      hostOptions.opencodeMode = backend.mode;
      Object.assign(hostOptions, hostOptionsFor(backend));
    }
    let driven: TargetProcess | CommandTarget | ServerAsTarget;
    let serviceUrl: string | undefined;
    const launchOptions: LaunchOptions = {
      host: scenario.kind,
      target: targetPath,
      options: hostOptions,
      cwd: process.cwd(),
      ...launchOptionsFor(backend),
      ...options.launch,
      // A sequential run may do up to its maximum: the target's life limit grows with it.
      runTimeoutMs: (options.launch?.runTimeoutMs ?? DEFAULTS.targetRunTimeoutMs) * plan.workScale + (options.local?.hold ? holdAllowanceMs(options.local) : 0),
    };
    if (scenario.kind === 'opencode') {
      const server = backend!;
      sampler = createProcSampler({ pid: () => server.pid });
      driven = serverAsTarget();
    } else if (options.command !== undefined) {
      const { opencodeUrl, ...serviceOptions } = hostOptions;
      command = await launchCommand({
        command: options.command,
        cwd: options.commandCwd ?? process.cwd(),
        options: serviceOptions,
        opencodeUrl: opencodeUrl as string | undefined,
        env: options.launch?.env,
        startTimeoutMs: options.launch?.startTimeoutMs,
        callTimeoutMs: options.launch?.callTimeoutMs,
      });
      const pid = command.pid;
      sampler = createProcSampler({ pid: () => pid });
      driven = command;
      serviceUrl = command.url;
    } else {
      target = await launchTarget(launchOptions);
      // Started while the interrupt stopped nothing yet: stop it the same way.
      if (options.signal?.aborted) void target.stop(DEFAULTS.interruptStopGraceMs);
      if (options.local) watch = new PhaseWatch(() => target!, { dir, unit: scenario.unit, harnessDir: HARNESS_DIR, userRoot: userRootOf(targetPath) }, options.local);
      sampler = createSampler(target, { census: true, handles: true });
      driven = target;
      serviceUrl = scenario.kind === 'service' ? (target.hostInfo as { url?: string } | undefined)?.url : undefined;
    }
    // Adapter targets: the cursor store is the harness's (a JSON file in the run folder), so it
    // survives run.restartTarget(), which replaces the process the driver and the finally below use.
    const adapter = scenario.kind === 'adapter' ? new AdapterDriver(() => target!, new CursorStore(join(dir, 'resume-cursors.json'))) : undefined;
    const restartTarget = async () => {
      await sampler?.dispose().catch(() => undefined);
      await target?.stop();
      throwIfInterrupted(options.signal);
      target = await launchTarget(launchOptions);
      if (options.signal?.aborted) void target.stop(DEFAULTS.interruptStopGraceMs);
      throwIfInterrupted(options.signal);
      sampler = createSampler(target, { census: true, handles: true });
      adapter?.processRestarted();
      return { target, sampler };
    };
    const accounting = backend?.mock?.accounting;
    driver = new ScenarioDriver(driven, sampler, {
      plan,
      serviceUrl,
      backend,
      toolCallsPerMessage: scenario.reply?.toolCallsPerMessage,
      serviceStats: scenario.kind === 'service',
      unit: scenario.unit,
      sampleEveryUnits: scenario.sampleEveryUnits,
      startedAtMs: startedAt.getTime(),
      adapter,
      restartTarget: options.command === undefined && scenario.kind !== 'opencode' ? restartTarget : undefined,
      signal: options.signal,
      ...(watch ? { onPhase: watch.onPhase.bind(watch) } : {}),
      counters: accounting
        ? () =>
            Object.fromEntries(
              Object.entries(accounting.routeTotals()).flatMap(([route, c]) => [
                [`opencode.${route}.calls`, c.calls],
                [`opencode.${route}.bytes`, c.bytes],
              ]),
            )
        : undefined,
      onSample: (sample) => {
        samples.push(sample);
        stream.write(sample);
        options.onProgress?.({ phase: sample.phase, work: sample.work, unit: scenario.unit, sample });
      },
    });
    driver.phase('prime');
    await driver.prime(scenario.primeSamples ?? DEFAULTS.primeSamples);
    const run = typedRun(scenario, driver, { serviceUrl, backend, adapter, stderrTail: () => (target ?? command)?.stderrTail() ?? '' }, targetLabel);
    driver.phase('warmup');
    // Raced with the interrupt: a workload held up (a --hold, a slow real server) still ends.
    await untilInterrupted(runWorkload(scenario, run, driver, params), options.signal);
    // A second sample at the same work point would add a point of pure timing noise.
    await driver.sampleIfWorkPending();
    await untilInterrupted(driver.settle(), options.signal);
    await watch?.finish(driver.work());
    coverage = await readCoverage(target, scenario.kind, runShapeOf(params as Record<string, unknown>, scenario.reply?.toolCallsPerMessage, options.opencode));

    const evaluated = evaluateExpectations(expectations, judged(), scenario.unit, driver.findings(), { alpha: plan.finalAlpha() });
    results = evaluated.results;
    verdict = coverageVerdict(overallVerdict(results), coverage);
    exitCode = exitCodeOf(verdict);
    if (target && verdict === 'leak' && !options.signal?.aborted && evaluated.suspects.length > 0 && options.diagnose !== false) {
      try {
        diagnosis = await diagnose(target, sampler.census, dir, evaluated.suspects);
      } catch (e) {
        diagnosis = { snapshots: [], collections: [], notes: [`diagnosis failed: ${(e as Error).message}`] };
      }
    }
    await untilInterrupted(watch?.holdAtEnd() ?? Promise.resolve(), options.signal);
  } catch (caught) {
    verdict = 'error';
    // A command that died mid-run shows up as a refused HTTP request in the workload: say what
    // really happened (its exit and stderr), as for any target error.
    const e = command?.exited() ? new TargetError(await command.outcome, `${command.label} (command)`) : caught;
    const failure = backendFailure(e);
    if (failure) {
      exitCode = failure.exitCode;
      error = { kind: failure.kind, message: failure.message, stderrTail: failure.stderrTail };
    } else if (e instanceof TargetError) {
      exitCode = EXIT.targetError;
      error = { kind: `target ${e.outcome.kind}`, message: e.message, stderrTail: e.stderrTail };
    } else {
      exitCode = EXIT.harnessError;
      error = { kind: 'harness', message: (e as Error).stack ?? String(e), stderrTail: (target ?? command)?.stderrTail() };
    }
    // What the interrupt's stop made the workload throw is not the target's failure.
    interrupted = await interruptionBehind(options.signal, caught);
    if (interrupted) {
      interruptNotes.push(...cutShortNotes(caught, driver?.inFlight));
      error = undefined;
    }
  } finally {
    forgetInterrupt();
    await target?.stop(options.signal?.aborted ? DEFAULTS.interruptStopGraceMs : undefined).catch(() => undefined);
    await command?.stop().catch(() => undefined);
    await backend?.close().catch(() => undefined);
    await stream.close();
  }

  // A signal after the workload (during the diagnosis or a hold) still marks the run interrupted.
  if (!error) interrupted ??= interruptOf(options.signal);
  let interruption: RunReport['interrupted'];
  if (interrupted) {
    const judgedSoFar = judged();
    if (results.length === 0 && judgedSoFar.length > 0) results = evaluateExpectations(expectations, judgedSoFar, scenario.unit, driver?.findings() ?? [], { alpha: plan.finalAlpha() }).results;
    interruption = describeInterruption(interrupted, {
      startedAtMs: startedAt.getTime(), phase: driver?.phaseName, workDone: driver?.work() ?? {}, samples, judged: judgedSoFar.length,
      verdictSoFar: results.length > 0 ? overallVerdict(results) : 'inconclusive', notes: interruptNotes,
    });
    verdict = 'interrupted';
    exitCode = exitCodeOf(verdict, interrupted);
  }

  // Collections that changed, or that the census could name; static unnamed Maps of Node's own
  // (module caches and the like) would only crowd the table.
  const growers = rankGrowers(samples, scenario.unit, 30)
    .filter((g) => g.lastSize !== g.firstSize || g.name !== undefined)
    .slice(0, 8);
  const report: RunReport = {
    schemaVersion: 1,
    runId,
    createdAt: new Date().toISOString(),
    scenario: { name: scenario.name, summary: scenario.summary, params: { ...(params as Record<string, unknown>), command: options.commandLine, ...(options.opencode === 'real' ? { opencode: REAL_MODE_NOTE } : {}) } },
    target: { spec: options.command ?? options.target ?? scenario.defaultTarget, kind: options.command !== undefined ? 'service (command)' : scenario.kind, label: targetLabel },
    unit: scenario.unit,
    workDone: driver?.work() ?? {},
    verdict,
    exitCode,
    expectations: results,
    stopping: plan.record(),
    phases: phasesOf(samples),
    topCollections: growers.map((g) => ({ ...g, entriesPerUnitText: formatRate(g.slopePerUnit, 'entries', scenario.unit) })),
    caps: expectations.flatMap((e) => (e.kind === 'collections-bounded' && e.atMost !== undefined ? [{ label: `cap ${e.atMost}`, value: e.atMost, valueKind: 'entries' as const }] : [])),
    diagnosis,
    ...localReportFields(watch?.result()),
    ...(interruption ? { interrupted: interruption } : {}),
    error,
    targetErrors: target?.targetErrors(),
    coverage,
    observation: procOnly ? { by: 'proc', notes: procOnly.notes } : { by: 'inspector', notes: [] },
    machine: machineFacts(),
    timing: {
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      samples: samples.length,
      meanSampleCostMs: samples.length ? samples.reduce((a, s) => a + (s.costMs ?? 0), 0) / samples.length : 0,
    },
    files: { ...RUN_FILES, ...(diagnosis?.snapshots.length ? { diagnosis: [DIAGNOSIS_SNAPSHOT] } : {}), ...(watch?.result().files.length ? { local: watch.result().files } : {}) },
  };
  report.files = await writeReport(dir, report, samples);
  return { report, dir, exitCode };
}

