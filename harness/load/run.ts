// One load run: a kind of run of the shared lifecycle (harness/scenario/lifecycle/) whose drive
// step is autocannon in this process against a service target, a warm-up burst and then the
// measured load, while the harness advances the target's clock and samples its heap and
// collections. What is the load's own is here: its target plan, that cadence, the requests'
// errors as part of the verdict, and the report's load section (latency, throughput, windows).
import { setTimeout as delay } from 'node:timers/promises';
import type { Sample } from '../core/types.ts';
import { formatValue } from '../core/units.ts';
import type { ExpectationResult } from '../report/model.ts';
import type { LoadErrors, LoadSection } from '../report/load-model.ts';
import type { ScenarioDriver } from '../scenario/driver.ts';
import { expectCollectionsBounded, expectHeapBounded, type Evaluation, type Expectation } from '../scenario/expect.ts';
import type { RunResult } from '../scenario/run.ts';
import { judgedSamples } from '../verdict/index.ts';
import { REPO_ROOT } from '../core/paths.ts';
import { resolveTarget } from '../scenario/target-spec.ts';
import { runLifecycle, type RunKind } from '../scenario/lifecycle/index.ts';
import type { KindReport, LaunchPlan, RunState } from '../scenario/lifecycle/kind.ts';
import { accountingCounters } from '../scenario/lifecycle/drive.ts';
import { stderrTailOf } from '../scenario/lifecycle/launch.ts';
import { targetLabelOf } from '../scenario/lifecycle/resolve.ts';
import { TargetError } from '../target/launch.ts';
import { startCannon, type CannonRun, type CannonTotals, type ResponseLog } from './cannon.ts';
import { LOAD_DEFAULTS } from '../core/defaults.ts';
import { resolveLoadOptions, type LoadOptions } from './options.ts';
import { createProfile, WITH_MOCK_OPENCODE, type Profile } from './profiles.ts';
import { cutWindows } from './windows.ts';
import { classifyResponses, countErrors, judgeErrors } from './errors.ts';
import { Interrupted, throwIfInterrupted } from '../core/interrupt.ts';
import { onInterrupt } from '../scenario/interrupt.ts';

interface Phase {
  name: string;
  maxRequests: number;
  durationMs: number;
}

/** One autocannon run as it ended. */
interface Loaded {
  totals: CannonTotals;
  log: ResponseLog;
  startedAtMs: number;
  virtualMs: number;
  interrupted: boolean;
}

/**
 * Virtual time for the requests completed since the last tick: never slower than wall time (see
 * ScenarioDriver.passTime). The clock runs on its own loop, never held up by a sample (a census
 * can take half a second): virtual time then passes in small steps as requests complete, as it
 * would in production, and never jumps past a short TTL between two uses of a live session.
 */
function runClock(cannon: CannonRun, o: LoadOptions, driver: ScenarioDriver, done: Promise<unknown>, finished: () => boolean) {
  let counted = 0;
  let lastTickMs = Date.now();
  let virtualMs = 0;
  const tick = async () => {
    const completed = cannon.completed();
    const delta = completed - counted;
    counted = completed;
    const now = Date.now();
    const advanceMs = Math.max(delta * o.virtualMsPerRequest, now - lastTickMs);
    lastTickMs = now;
    virtualMs += advanceMs;
    await driver.advance(advanceMs);
    await driver.did('request', delta);
  };
  const loop = (async () => {
    while (!finished()) {
      await Promise.race([delay(LOAD_DEFAULTS.clockTickMs), done.catch(() => undefined)]);
      await tick();
    }
  })();
  return { tick, loop, virtualMs: () => virtualMs };
}

/** Samples while the load runs: by request count (the verdict's x axis), or by time when the duration cap will end the run first. */
async function sampleWhileLoaded(
  phase: Phase,
  o: LoadOptions,
  driver: ScenarioDriver,
  done: Promise<unknown>,
  finished: () => boolean,
): Promise<void> {
  const sampleEveryRequests = Math.max(1, Math.ceil(phase.maxRequests / o.samples));
  const sampleEveryMs = phase.durationMs / o.samples;
  let lastSampleMs = Date.now();
  let lastSampleWork = 0;
  while (!finished()) {
    await Promise.race([delay(LOAD_DEFAULTS.clockTickMs), done.catch(() => undefined)]);
    const work = driver.work().request ?? 0;
    if (
      !finished() &&
      !o.signal?.aborted &&
      work > lastSampleWork &&
      (work - lastSampleWork >= sampleEveryRequests || Date.now() - lastSampleMs >= sampleEveryMs)
    ) {
      lastSampleWork = work;
      lastSampleMs = Date.now();
      await driver.sample();
    }
  }
}

function rethrowUnlessInterrupted(e: unknown): void {
  if (!(e instanceof Interrupted)) throw e;
}

/** Drive one autocannon run to its end, passing virtual time and sampling on the way. */
async function loadPhase(
  phase: Phase,
  o: LoadOptions,
  url: string,
  profile: Profile,
  driver: ScenarioDriver,
  runStartedMs: number,
): Promise<Loaded> {
  driver.phase(phase.name);
  const startedAtMs = Date.now() - runStartedMs;
  const cannon = startCannon(
    {
      url,
      connections: o.connections,
      maxRequests: phase.maxRequests,
      durationMs: phase.durationMs,
      requestTimeoutS: o.requestTimeoutS,
      requests: profile.requests,
    },
    runStartedMs,
  );
  let finished = false;
  const done = cannon.done.finally(() => (finished = true));
  done.catch(() => undefined);
  const clock = runClock(cannon, o, driver, done, () => finished);
  // A target that dies fails the clock first: stop the load at once, the error surfaces below.
  clock.loop.catch(() => cannon.stop());
  // An interrupt stops the load between requests; what was measured so far is kept.
  const forgetInterrupt = onInterrupt(o.signal, () => cannon.stop());
  try {
    await sampleWhileLoaded(phase, o, driver, done, () => finished);
  } catch (e) {
    // A sample the interrupt cut short: the load's figures so far still count.
    rethrowUnlessInterrupted(e);
  } finally {
    // Whatever ended this loop, no load outlives it.
    forgetInterrupt();
    cannon.stop();
  }
  await clock.loop.catch(rethrowUnlessInterrupted);
  const totals = await done;
  const interrupted = Boolean(o.signal?.aborted);
  if (!interrupted) {
    await clock.tick();
    await driver.sampleIfWorkPending();
  }
  return { totals, log: cannon.log, startedAtMs, virtualMs: clock.virtualMs(), interrupted };
}

/** Responses of the warm-up burst and then of the measured load, in order. */
function joinLogs(first: ResponseLog | undefined, second: ResponseLog): ResponseLog {
  if (!first) return second;
  return {
    atMs: [...first.atMs, ...second.atMs],
    latencyMs: [...first.latencyMs, ...second.latencyMs],
    status: [...first.status, ...second.status],
    outcome: [...first.outcome, ...second.outcome],
    request: [...first.request, ...second.request],
  };
}

/** Every request the run sent, warm-up included, against the profile's planned failures and the budget. */
function judgeRunErrors(warmup: ResponseLog | undefined, measured: ResponseLog, profile: Profile, o: LoadOptions) {
  const all = joinLogs(warmup, measured);
  const unexpected = classifyResponses(all, profile.plannedFailures());
  const offset = all.outcome.length - measured.outcome.length;
  const counts = countErrors(all, unexpected);
  const requestTimeoutMs = o.requestTimeoutS * 1000;
  return {
    result: judgeErrors(counts, { maxUnexpectedRate: o.maxUnexpectedErrorRate, requestTimeoutMs }, profile.plannedText),
    measuredUnexpected: unexpected.slice(offset),
    section: {
      ...counts,
      maxUnexpectedRate: o.maxUnexpectedErrorRate,
      requestTimeoutMs,
      planned: profile.plannedText,
      measured: countErrors(all, unexpected, offset),
    } satisfies LoadErrors,
  };
}

/** Each judged metric's verdict, its slope read per 1000 requests (the unit a load reader thinks in). */
function verdictsPer1000(results: ExpectationResult[]): string[] {
  return results.flatMap((r) =>
    r.metric
      ? [`${r.metric.label}: ${r.metric.verdict}, ${formatValue(r.metric.slopePerUnit * 1000, r.metric.valueKind, true)} per 1000 requests`]
      : [],
  );
}

/**
 * What a load judges: memory only. Exact-counter expectations (leak-bypass-rotation's "no live
 * session's hook recalls") need realistic time: under load, one job that waits 2 s of wall time
 * for the harness passes hours of virtual time, so a TTL "since last use" can lapse mid-job,
 * which is the compression's doing, not the target's. The counters are still in every sample.
 */
function loadExpectations(o: LoadOptions): Expectation[] {
  return [expectCollectionsBounded(), expectHeapBounded({ minBytesPerUnit: o.minHeapBytesPerRequest })];
}

/** What the load's steps hand on to each other: its profile and URL, both runs of autocannon, the judged results. */
interface LoadParts {
  profile?: Profile;
  url?: string;
  warmup?: Loaded;
  measured?: Loaded;
  requestOffset?: number;
  errors?: ReturnType<typeof judgeRunErrors>;
  results?: ExpectationResult[];
}

const loadWindow = (samples: Sample[]) => judgedSamples(samples, ['load']);

function loadLaunchPlan(o: LoadOptions, targetPath: string): LaunchPlan {
  return {
    // The daemon's replies are short: the load is about the daemon, not the model.
    opencode: WITH_MOCK_OPENCODE[o.profile]
      ? { mode: 'mock', seed: o.seed, reply: { toolCallsPerMessage: 0, toolOutputBytes: 0, textBytes: 80 } }
      : undefined,
    target: {
      by: 'node',
      host: 'service',
      path: targetPath,
      options: { ...o.serviceOptions },
      tuning: o.launch,
      runTimeoutScale: 1,
      extraLifeMs: 0,
    },
  };
}

/** The driver samples on the load's cadence only, with the profile's counts and the mock's calls per route. */
function loadDriverOptions(o: LoadOptions, run: RunState, parts: LoadParts, targetLabel: string) {
  if (!run.serviceUrl) {
    const error = {
      name: 'Error',
      message: 'it reported no URL (its start() must resolve to { url }): a load needs it before any request',
    };
    throw new TargetError({ kind: 'load-error', error, stderrTail: stderrTailOf(run) ?? '' }, `"${targetLabel}" (service host)`);
  }
  parts.url = run.serviceUrl;
  const profile = createProfile(o.profile, o, run.backend);
  parts.profile = profile;
  const opencode = accountingCounters(run.backend, ['calls']);
  return {
    serviceStats: true,
    counters: () => ({ ...Object.fromEntries(Object.entries(profile.counts()).map(([k, v]) => [`load.${k}`, v])), ...opencode?.() }),
  };
}

/** The drive step: a warm-up burst (never judged), then the measured load. */
async function driveLoad(o: LoadOptions, run: RunState, driver: ScenarioDriver, parts: LoadParts): Promise<void> {
  const runStartedMs = run.startedAt.getTime();
  const warmupRequests = Math.max(o.connections, Math.round(o.maxRequests * o.warmupShare));
  const warmupPhase = { name: 'warmup', maxRequests: warmupRequests, durationMs: Math.max(1000, o.durationMs * o.warmupShare) };
  parts.warmup = o.warmupShare > 0 ? await loadPhase(warmupPhase, o, parts.url!, parts.profile!, driver, runStartedMs) : undefined;
  // Interrupted in the warm-up: nothing was measured, the samples so far are judged.
  throwIfInterrupted(o.signal);
  parts.requestOffset = driver.work().request ?? 0;
  parts.measured = await loadPhase(
    { name: 'load', maxRequests: o.maxRequests, durationMs: o.durationMs },
    o,
    parts.url!,
    parts.profile!,
    driver,
    runStartedMs,
  );
}

/** Errors first: a target that fails its requests has failed, whatever its memory did. */
function judgeLoad(o: LoadOptions, parts: LoadParts, evaluation: Evaluation) {
  parts.errors = judgeRunErrors(parts.warmup?.log, parts.measured!.log, parts.profile!, o);
  parts.results = [parts.errors.result, ...evaluation.results];
  return { results: parts.results };
}

function loadSection(o: LoadOptions, parts: LoadParts, samples: Sample[]): LoadSection | undefined {
  const { measured, profile, errors, results } = parts;
  if (!measured || !profile || !errors || !results) return undefined;
  const heapSlope = results.find((r) => r.id === 'heap-bounded')?.metric?.slopePerUnit;
  return {
    profile: o.profile,
    description: profile.description,
    connections: o.connections,
    caps: { durationMs: o.durationMs, maxRequests: o.maxRequests },
    stoppedBy: measured.interrupted ? 'interrupted' : measured.totals.stoppedBy,
    warmupRequests: parts.requestOffset ?? 0,
    virtualMsPerRequest: o.virtualMsPerRequest,
    virtualSpanMs: measured.virtualMs,
    totals: { ...measured.totals, latencyMs: measured.totals.latencyMs },
    ...(heapSlope !== undefined ? { heapBytesPer1000Requests: heapSlope * 1000 } : {}),
    windows: cutWindows(measured.log, samples, {
      windows: o.windows,
      requestOffset: parts.requestOffset ?? 0,
      startedAtMs: measured.startedAtMs,
      unexpected: errors.measuredUnexpected,
    }),
    verdictsPer1000Requests: verdictsPer1000(results),
    counts: profile.counts(),
    errors: errors.section,
  };
}

function loadReport(o: LoadOptions, run: RunState, parts: LoadParts, target: { spec: string; label: string }): KindReport {
  return {
    scenario: {
      name: `load-${o.profile}`,
      summary: `Load on a service's ${o.profile === 'opencode-api' ? 'OpenCode API' : 'hook endpoints'} with churning session ids; heap and collections judged per request.`,
      params: { ...o, onProgress: undefined, launch: undefined, signal: undefined, command: o.commandLine },
    },
    target: { spec: target.spec, kind: 'service', label: target.label },
    caps: [],
    growersFrom: loadWindow(run.samples),
    sections: { load: loadSection(o, parts, run.samples) },
  };
}

/** A load as a kind of run: what an interrupt stops is the load, so the requests answered so far are reported. */
function loadKind(o: LoadOptions): RunKind {
  const spec = o.target ?? (o.profile === 'opencode-api' ? LOAD_DEFAULTS.opencodeApiTarget : LOAD_DEFAULTS.target);
  const targetPath = resolveTarget(spec, o.target ? process.cwd() : REPO_ROOT);
  const label = targetLabelOf(targetPath);
  const parts: LoadParts = {};
  return {
    name: `load-${o.profile}`,
    unit: 'request',
    targetLabel: label,
    outRoot: o.outRoot,
    signal: o.signal,
    onProgress: o.onProgress,
    interruptStops: 'load',
    primeSamples: o.primeSamples,
    diagnose: o.diagnose,
    expectations: loadExpectations(o),
    judgedWindow: loadWindow,
    launchPlan: () => loadLaunchPlan(o, targetPath),
    driverOptions: (run) => loadDriverOptions(o, run, parts, label),
    drive: (run, driver) => driveLoad(o, run, driver, parts),
    judge: (evaluation) => judgeLoad(o, parts, evaluation),
    report: (run) => loadReport(o, run, parts, { spec, label }),
  };
}

export async function runLoad(input: Partial<LoadOptions> = {}): Promise<RunResult> {
  return runLifecycle(loadKind(resolveLoadOptions(input)));
}
