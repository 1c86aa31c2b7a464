// One load run end to end: the mock OpenCode (when the profile's target may talk to one), the
// service target in its own process on the virtual clock, priming, a warm-up burst, then the
// measured load from autocannon in this process while the harness advances the target's clock and
// samples its heap and collections; verdicts per request, windows, and the report directory.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Sample } from '../core/types.ts';
import { startMockBackend, type OpenCodeBackend } from '../opencode/backend.ts';
import { launchTarget, TargetError, type TargetProcess } from '../target/launch.ts';
import { createSampler, type Sampler } from '../observe/sampler.ts';
import { rankGrowers } from '../verdict/index.ts';
import { formatRate, formatValue } from '../core/units.ts';
import { openSampleStream } from '../report/samples-writer.ts';
import { newRunDir, RUN_FILES, writeReport } from '../report/write.ts';
import { machineFacts } from '../report/machine.ts';
import type { Diagnosis, ExpectationResult, RunReport, RunVerdict } from '../report/model.ts';
import { exitCodeOf, overallVerdict } from '../core/outcome.ts';
import type { LoadErrors, LoadSection } from '../report/load-section.ts';
import { ScenarioDriver } from '../scenario/driver.ts';
import { evaluateExpectations, expectCollectionsBounded, expectHeapBounded, type Expectation } from '../scenario/expect.ts';
import { EXIT, REPO_ROOT, type RunResult } from '../scenario/run.ts';
import { diagnose } from '../scenario/lifecycle/diagnose.ts';
import { phasesOf } from '../scenario/lifecycle/report.ts';
import { targetLabelOf } from '../scenario/lifecycle/resolve.ts';
import { resolveTarget } from '../scenario/target-spec.ts';
import { startCannon, type CannonTotals, type ResponseLog } from './cannon.ts';
import { LOAD_DEFAULTS } from './defaults.ts';
import { resolveLoadOptions, type LoadOptions } from './options.ts';
import { createProfile, WITH_MOCK_OPENCODE, type Profile } from './profiles.ts';
import { cutWindows } from './windows.ts';
import { classifyResponses, countErrors, judgeErrors } from './errors.ts';
import { Interrupted, interruptOf, throwIfInterrupted } from '../core/interrupt.ts';
import { DEFAULTS } from '../core/defaults.ts';
import { cutShortNotes, describeInterruption, interruptionBehind, onInterrupt } from '../scenario/interrupt.ts';

interface Phase {
  name: string;
  maxRequests: number;
  durationMs: number;
}

/** Drive one autocannon run to its end, passing virtual time and sampling on the way. */
async function drive(
  phase: Phase,
  o: LoadOptions,
  url: string,
  profile: Profile,
  driver: ScenarioDriver,
  runStartedMs: number,
): Promise<{ totals: CannonTotals; log: ResponseLog; startedAtMs: number; virtualMs: number; interrupted: boolean }> {
  driver.phase(phase.name);
  const startedAtMs = Date.now() - runStartedMs;
  const cannon = startCannon(
    { url, connections: o.connections, maxRequests: phase.maxRequests, durationMs: phase.durationMs, requestTimeoutS: o.requestTimeoutS, requests: profile.requests },
    runStartedMs,
  );
  let finished = false;
  const done = cannon.done.finally(() => (finished = true));
  done.catch(() => undefined);
  const sampleEveryRequests = Math.max(1, Math.ceil(phase.maxRequests / o.samples));
  const sampleEveryMs = phase.durationMs / o.samples;
  let counted = 0;
  let lastTickMs = Date.now();
  let virtualMs = 0;
  const tick = async () => {
    const completed = cannon.completed();
    const delta = completed - counted;
    counted = completed;
    // Virtual time never runs slower than wall time (see ScenarioDriver.passTime).
    const now = Date.now();
    const advanceMs = Math.max(delta * o.virtualMsPerRequest, now - lastTickMs);
    lastTickMs = now;
    virtualMs += advanceMs;
    await driver.advance(advanceMs);
    await driver.did('request', delta);
  };
  // The clock runs on its own loop, never held up by a sample (a census can take half a second):
  // virtual time then passes in small steps as requests complete, as it would in production, and
  // never jumps past a short TTL between two uses of a live session.
  const clock = (async () => {
    while (!finished) {
      await Promise.race([delay(LOAD_DEFAULTS.clockTickMs), done.catch(() => undefined)]);
      await tick();
    }
  })();
  // A target that dies fails the clock first: stop the load at once, the error surfaces below.
  clock.catch(() => cannon.stop());
  // An interrupt stops the load between requests; what was measured so far is kept.
  const forgetInterrupt = onInterrupt(o.signal, () => cannon.stop());
  try {
    let lastSampleMs = Date.now();
    let lastSampleWork = 0;
    while (!finished) {
      await Promise.race([delay(LOAD_DEFAULTS.clockTickMs), done.catch(() => undefined)]);
      const work = driver.work().request ?? 0;
      // By count (the verdict's x axis), or by time when the duration cap will end the run first.
      if (!finished && !o.signal?.aborted && work > lastSampleWork && (work - lastSampleWork >= sampleEveryRequests || Date.now() - lastSampleMs >= sampleEveryMs)) {
        lastSampleWork = work;
        lastSampleMs = Date.now();
        await driver.sample();
      }
    }
  } catch (e) {
    // A sample the interrupt cut short: the load's figures so far still count.
    if (!(e instanceof Interrupted)) throw e;
  } finally {
    // Whatever ended this loop, no load outlives it.
    forgetInterrupt();
    cannon.stop();
  }
  await clock.catch((e: unknown) => {
    if (!(e instanceof Interrupted)) throw e;
  });
  const totals = await done;
  const interrupted = Boolean(o.signal?.aborted);
  if (!interrupted) {
    await tick();
    await driver.sampleIfWorkPending();
  }
  return { totals, log: cannon.log, startedAtMs, virtualMs, interrupted };
}

/**
 * Under load the sampler's CDP socket often learns of a dead target before any IPC call does, so
 * an error there is first checked against the target's own outcome: a target that crashed is a
 * target error (exit 4) with its stderr, never the harness's.
 */
async function asTargetError(e: unknown, target: TargetProcess | undefined, label: string): Promise<unknown> {
  if (e instanceof TargetError || !target) return e;
  const outcome = await Promise.race([target.outcome, delay(2000).then(() => undefined)]);
  return outcome && outcome.kind !== 'stopped' ? new TargetError(outcome, label, undefined, target.pid) : e;
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
    section: { ...counts, maxUnexpectedRate: o.maxUnexpectedErrorRate, requestTimeoutMs, planned: profile.plannedText, measured: countErrors(all, unexpected, offset) } satisfies LoadErrors,
  };
}

/** Each judged metric's verdict, its slope read per 1000 requests (the unit a load reader thinks in). */
function verdictsPer1000(results: ExpectationResult[]): string[] {
  return results.flatMap((r) =>
    r.metric ? [`${r.metric.label}: ${r.metric.verdict}, ${formatValue(r.metric.slopePerUnit * 1000, r.metric.valueKind, true)} per 1000 requests`] : [],
  );
}

/** What a load judges: memory only (see the note in runLoad). */
function loadExpectations(o: LoadOptions): Expectation[] {
  return [expectCollectionsBounded(), expectHeapBounded({ minBytesPerUnit: o.minHeapBytesPerRequest })];
}

export async function runLoad(input: Partial<LoadOptions> = {}): Promise<RunResult> {
  const o = resolveLoadOptions(input);
  const defaultTarget = o.profile === 'opencode-api' ? LOAD_DEFAULTS.opencodeApiTarget : LOAD_DEFAULTS.target;
  const targetPath = resolveTarget(o.target ?? defaultTarget, o.target ? process.cwd() : REPO_ROOT);
  const name = `load-${o.profile}`;
  const { dir, runId } = newRunDir(o.outRoot ?? join(process.cwd(), 'reports'), name);
  const stream = openSampleStream(join(dir, RUN_FILES.samples));
  const samples: Sample[] = [];
  const startedAt = new Date();
  const targetLabel = targetLabelOf(targetPath);

  let target: TargetProcess | undefined;
  let backend: OpenCodeBackend | undefined;
  let driver: ScenarioDriver | undefined;
  let sampler: Sampler | undefined;
  let profile: Profile | undefined;
  let results: ExpectationResult[] = [];
  let diagnosis: Diagnosis | undefined;
  let load: LoadSection | undefined;
  let error: RunReport['error'];
  let verdict: RunVerdict = 'error';
  let exitCode: number = EXIT.harnessError;
  let interrupted: Interrupted | undefined;
  const interruptNotes: string[] = [];

  try {
    throwIfInterrupted(o.signal);
    const hostOptions: Record<string, unknown> = { ...o.serviceOptions };
    if (WITH_MOCK_OPENCODE[o.profile]) {
      // The daemon's replies are short: the load is about the daemon, not the model.
      backend = await startMockBackend({ seed: o.seed, reply: { toolCallsPerMessage: 0, toolOutputBytes: 0, textBytes: 80 } });
      hostOptions.opencodeUrl = backend.url;
    }
    target = await launchTarget({ host: 'service', target: targetPath, options: hostOptions, cwd: process.cwd(), ...o.launch });
    throwIfInterrupted(o.signal);
    const url = (target.hostInfo as { url?: string } | undefined)?.url;
    if (!url) throw new Error('the service target reported no URL');
    profile = createProfile(o.profile, o, backend);
    sampler = createSampler(target, { census: true, handles: true });
    const accounting = backend?.mock?.accounting;
    driver = new ScenarioDriver(target, sampler, {
      serviceUrl: url,
      backend,
      serviceStats: true,
      unit: 'request',
      // The load samples on its own cadence (drive()), never through did().
      sampleEveryUnits: Number.POSITIVE_INFINITY,
      startedAtMs: startedAt.getTime(),
      signal: o.signal,
      counters: () => ({
        ...Object.fromEntries(Object.entries(profile!.counts()).map(([k, v]) => [`load.${k}`, v])),
        ...(accounting ? Object.fromEntries(Object.entries(accounting.routeTotals()).map(([route, c]) => [`opencode.${route}.calls`, c.calls])) : {}),
      }),
      onSample: (sample) => {
        samples.push(sample);
        stream.write(sample);
        o.onProgress?.({ phase: sample.phase, work: sample.work, unit: 'request', sample });
      },
    });
    // Prime the harness's own paths in the target (clock, IPC, sampling) outside the judged window.
    driver.phase('prime');
    for (let i = 0; i < o.primeSamples; i += 1) {
      await driver.advance(1000);
      await driver.sample();
    }
    const warmupRequests = Math.max(o.connections, Math.round(o.maxRequests * o.warmupShare));
    const runStartedMs = startedAt.getTime();
    const warmup = o.warmupShare > 0 ? await drive({ name: 'warmup', maxRequests: warmupRequests, durationMs: Math.max(1000, o.durationMs * o.warmupShare) }, o, url, profile, driver, runStartedMs) : undefined;
    // Interrupted in the warm-up: nothing was measured, the samples so far are judged below.
    throwIfInterrupted(o.signal);
    const requestOffset = driver.work().request ?? 0;
    const measured = await drive({ name: 'load', maxRequests: o.maxRequests, durationMs: o.durationMs }, o, url, profile, driver, runStartedMs);
    const errors = judgeRunErrors(warmup?.log, measured.log, profile, o);

    // Memory only. Exact-counter expectations (leak-bypass-rotation's "no live session's hook
    // recalls") need realistic time: under load, one job that waits 2 s of wall time for the
    // harness passes hours of virtual time, so a TTL "since last use" can lapse mid-job, which is
    // the compression's doing, not the target's. The counters are still in every sample.
    const expectations = loadExpectations(o);
    const window = samples.filter((s) => s.phase === 'load');
    const evaluated = evaluateExpectations(expectations, window, 'request');
    // Errors first: a target that fails its requests has failed, whatever its memory did.
    results = [errors.result, ...evaluated.results];
    verdict = overallVerdict(results);
    exitCode = exitCodeOf(verdict);
    const heapSlope = results.find((r) => r.id === 'heap-bounded')?.metric?.slopePerUnit;
    load = {
      profile: o.profile,
      description: profile.description,
      connections: o.connections,
      caps: { durationMs: o.durationMs, maxRequests: o.maxRequests },
      stoppedBy: measured.interrupted ? 'interrupted' : measured.totals.stoppedBy,
      warmupRequests: requestOffset,
      virtualMsPerRequest: o.virtualMsPerRequest,
      virtualSpanMs: measured.virtualMs,
      totals: { ...measured.totals, latencyMs: measured.totals.latencyMs },
      ...(heapSlope !== undefined ? { heapBytesPer1000Requests: heapSlope * 1000 } : {}),
      windows: cutWindows(measured.log, samples, { windows: o.windows, requestOffset, startedAtMs: measured.startedAtMs, unexpected: errors.measuredUnexpected }),
      verdictsPer1000Requests: verdictsPer1000(results),
      counts: profile.counts(),
      errors: errors.section,
    };
    if (verdict === 'leak' && !measured.interrupted && evaluated.suspects.length > 0 && o.diagnose) {
      try {
        diagnosis = await diagnose(target, sampler.census, dir, evaluated.suspects);
      } catch (e) {
        diagnosis = { snapshots: [], collections: [], notes: [`diagnosis failed: ${(e as Error).message}`] };
      }
    }
  } catch (caught) {
    verdict = 'error';
    const e = await asTargetError(caught, target, targetLabel);
    if (e instanceof TargetError) {
      exitCode = EXIT.targetError;
      error = { kind: `target ${e.outcome.kind}`, message: e.message, stderrTail: e.stderrTail };
    } else {
      exitCode = EXIT.harnessError;
      error = { kind: 'harness', message: (e as Error).stack ?? String(e), stderrTail: target?.stderrTail() };
    }
    // What the interrupt's stop made the load throw is not the target's failure.
    interrupted = await interruptionBehind(o.signal, caught);
    if (interrupted) {
      interruptNotes.push(...cutShortNotes(caught));
      error = undefined;
    }
  } finally {
    await target?.stop(o.signal?.aborted ? DEFAULTS.interruptStopGraceMs : undefined).catch(() => undefined);
    await backend?.close().catch(() => undefined);
    await stream.close();
  }

  if (!error) interrupted ??= interruptOf(o.signal);
  let interruption: RunReport['interrupted'];
  if (interrupted) {
    const judged = samples.filter((s) => s.phase === 'load');
    if (results.length === 0 && judged.length > 0) results = evaluateExpectations(loadExpectations(o), judged, 'request').results;
    interruption = describeInterruption(interrupted, {
      startedAtMs: startedAt.getTime(), phase: driver?.phaseName, workDone: driver?.work() ?? {}, samples, judged: judged.length,
      verdictSoFar: results.length > 0 ? overallVerdict(results) : 'inconclusive', notes: interruptNotes,
    });
    verdict = 'interrupted';
    exitCode = exitCodeOf(verdict, interrupted);
  }

  const growers = rankGrowers(samples.filter((s) => s.phase === 'load'), 'request', 30)
    .filter((g) => g.lastSize !== g.firstSize || g.name !== undefined)
    .slice(0, 8);
  const report: RunReport = {
    schemaVersion: 1,
    runId,
    createdAt: new Date().toISOString(),
    scenario: {
      name,
      summary: `Load on a service's ${o.profile === 'opencode-api' ? 'OpenCode API' : 'hook endpoints'} with churning session ids; heap and collections judged per request.`,
      params: { ...o, onProgress: undefined, launch: undefined, signal: undefined, command: o.commandLine },
    },
    target: { spec: o.target ?? defaultTarget, kind: 'service', label: targetLabel },
    unit: 'request',
    workDone: driver?.work() ?? {},
    verdict,
    exitCode,
    expectations: results,
    phases: phasesOf(samples),
    topCollections: growers.map((g) => ({ ...g, entriesPerUnitText: formatRate(g.slopePerUnit, 'entries', 'request') })),
    caps: [],
    diagnosis,
    load,
    ...(interruption ? { interrupted: interruption } : {}),
    error,
    targetErrors: target?.targetErrors(),
    machine: machineFacts(),
    timing: {
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      samples: samples.length,
      meanSampleCostMs: samples.length ? samples.reduce((a, s) => a + (s.costMs ?? 0), 0) / samples.length : 0,
    },
    files: { ...RUN_FILES, ...(diagnosis?.snapshots.length ? { diagnosis: ['leak.heapsnapshot'] } : {}) },
  };
  report.files = await writeReport(dir, report, samples);
  return { report, dir, exitCode };
}
