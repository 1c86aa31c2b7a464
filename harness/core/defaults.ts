// Every default of churnlab, in one place, with units in the names: `DEFAULTS` for every run,
// then one object per part that has its own (profiling, hosts, the real server, load, runChurn,
// the gate, the field corpus). test/architecture/layers.test.ts keeps *_DEFAULTS objects here.
import type { ValueKind } from './types.ts';

export const DEFAULTS = {
  /** Hard limit for one target process's life; a run that passes it ends as 'timeout'. */
  targetRunTimeoutMs: 10 * 60_000,
  /** How long the target may take to print its inspector URL and say 'ready'. */
  targetStartTimeoutMs: 30_000,
  /** How long one IPC call may take before the target counts as hung. */
  targetCallTimeoutMs: 60_000,
  /**
   * Plugin sessions in flight at once inside the target during a churn batch. A busy gateway
   * serves dozens at a time; the host's own requests of sessions in flight go to the mock as one
   * batch per tick, so more in flight costs the target less CPU per session.
   */
  sessionsInFlight: 32,
  /**
   * Wall time one churn call into the target should take, well under `targetCallTimeoutMs`: a
   * plugin that spends seconds per session (a tokenizer built per call) gets calls of a few
   * sessions, a fast one a whole sampling interval per call.
   */
  churnCallBudgetMs: 5_000,
  /** Sessions of a run's first churn call, before its pace is known. */
  churnFirstCallSessions: 8,
  /** Lines of the target's stderr kept for error messages. */
  stderrTailLines: 40,
  /**
   * After a target's exit, how long to wait for its stderr to end (a crash or OOM report is its
   * last bytes) before judging anyway: a grandchild may hold the pipe open, and a loaded machine
   * may take seconds to drain it (docs/architecture.md, "A dying target's last words").
   */
  targetStdioDrainMs: 5000,
  /** A command target's process group gets SIGKILL this long after SIGTERM if it has not exited. */
  commandStopGraceMs: 3000,
  /** Collections reported per sample by the census (largest and fastest growing). */
  censusTopN: 25,
  /** Collections smaller than this are not tracked by identity (cheap census). */
  censusMinSize: 8,
  /**
   * The census looks for new collections (Runtime.queryObjects: full GCs, a walk of the whole
   * heap, and V8 clears every feedback vector, so the target's code runs cold afterwards) on its
   * first sample that may (not while priming), then after this many samples, the gap doubling
   * after each discovery up to `censusMaxDiscoverGap`; in between it reads the collections it follows.
   */
  censusDiscoverEvery: 10,
  censusMaxDiscoverGap: 40,
  /** Virtual clock epoch inside the target: 2026-01-01T00:00:00Z. */
  virtualEpochMs: Date.UTC(2026, 0, 1),
  /**
   * Real interval at which the target checks, while a harness call is in flight, whether the call
   * waits on nothing but virtual timers (then virtual time moves on to the next due timer).
   */
  awaitedTimePollMs: 1,
  /** The check's real interval grows up to this while it finds real I/O in flight or no timer due. */
  awaitedTimeMaxPollMs: 16,
  /** Leading share of samples the verdict engine discards as warm-up. */
  warmupFraction: 0.2,
  /**
   * Priming rounds before any work (advance the clock, then sample), excluded from verdicts: V8
   * compiles the harness's own paths in the target (IPC, CDP, the fake clock) as they run hot, in
   * heap steps of a few KB that must be over before the judged samples (docs/architecture.md,
   * "Priming"). Each round is a full sample: rounds without its GCs were tried and left an empty
   * target's heap verdict inconclusive over 1200 units.
   */
  primeSamples: 15,
  /** Fewest post-warm-up points the verdict engine needs before it may say bounded or leak. */
  minPointsForVerdict: 8,
  /** Two-sided error of the verdict engine's slope intervals when no sequential plan asks for less (95 %). */
  verdictAlpha: 0.05,
  /**
   * Floors of the RSS verdict (targets observed from /proc only): RSS moves in pages and allocator
   * arenas and creeps while a correct runtime's allocator warms up (docs/services.md, "Warm-up of
   * RSS"). 256 B per unit stays under any realistic leaked session record (a leaked dict of a few
   * fields is ~1 KB of RSS); 1 MiB in total is above the step a runtime takes when it grows an arena.
   */
  rssMinBytesPerUnit: 256,
  rssMinTotalBytes: 1024 * 1024,
  /**
   * Virtual time per session where a service scenario models sessions arriving at a daemon
   * (leak-hook-daemon's `virtualMsPerSession`): one every 20 s, 180 an hour, a busy team's daemon,
   * as leak-unclean-exit does for a plugin. 3600 sessions then span 20 h, so an idle TTL of
   * minutes or a few hours fires many times within a run, whatever the harness's own speed.
   * Never less than the wall time that passed.
   */
  serviceVirtualMsPerSession: 20_000,
  /**
   * An interrupted run stops its target with this grace per step (dispose, disconnect, SIGTERM,
   * then SIGKILL): a batch in flight is abandoned, and a CI runner's own kill follows its signal
   * within seconds, so the report must be written well before that.
   */
  interruptStopGraceMs: 1000,
  /**
   * A target that died of SIGINT/SIGTERM before the harness's own handler ran (Ctrl-C reaches the
   * whole foreground process group) is an interruption once the harness sees its signal within this.
   */
  interruptSettleMs: 1000,
  /**
   * Sequential runs (no --sessions): the main phase is judged at looks as samples arrive and stops
   * once every expectation is decided, or at this many times the scenario's nominal size.
   */
  sequentialMaxFactor: 4,
  /** Error budget of a sequential run over all its looks (two-sided, as one fixed 95 % run). */
  sequentialAlpha: 0.05,
  /** Samples of the main phase before the first look (the engine needs >= 8 after its warm-up share). */
  sequentialFirstLookSamples: 12,
  /** Each look at about this factor times the work of the previous one (13 looks from 1200 to 20 000). */
  sequentialLookGrowth: 1.25,
} as const;

export interface Floors {
  minSlopePerUnit: number;
  minTotalGrowth: number;
}

/**
 * The verdict engine's effect-size floors per kind of value. Bytes: 8 B per unit is well under the
 * smallest leak worth a CI failure (a leaked closure or a small object per session is 32 B or
 * more) and well above what post-GC noise of a few hundred bytes to a few KB can fake over
 * hundreds of units; 4 KB in total is a few post-GC noise amplitudes. Counted kinds are exact, so
 * the floor is tiny: 1 per 500 units (so "+1 entry per 100 sessions" is caught) and 3 in total.
 */
export const FLOORS: Record<ValueKind, Floors> = {
  bytes: { minSlopePerUnit: 8, minTotalGrowth: 4096 },
  entries: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
  handles: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
  calls: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
  count: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
};

/** Defaults of `compareRuns` (harness/compare/): the gate's speed check and `npm run compare`. */
export const COMPARE_DEFAULTS = {
  /** Significance level of the Mann-Whitney test: few false alarms, as a gate needs. */
  alpha: 0.01,
  /** Smallest relative change that matters (10 %): smaller significant changes are 'unchanged'. */
  minRelativeEffect: 0.1,
  /** No absolute floor unless the caller sets one. */
  minAbsoluteEffect: 0,
  /** Seed of the generator that subsamples pairs when there are too many. */
  seed: 0x5eed,
} as const;

/** Defaults of the `churnlab` command line. */
export const CLI_DEFAULTS = {
  /** The scenario `churnlab compare` runs and `churnlab init` writes into a new config. */
  scenario: 'leak-unclean-exit',
  /**
   * After an interrupted run has printed its report, how long anything still pending (a socket a
   * stopped target left half-closed) may keep the process alive before it exits anyway.
   */
  interruptedExitAfterMs: 2000,
} as const;

/** Defaults of local profiling (--profile, --snapshot-at, --hold) and `npm run compare`. */
export const PROFILE_DEFAULTS = {
  /**
   * Mean bytes between samples of V8's sampling heap profiler. DevTools uses 32 KB; a gateway
   * plugin that keeps ~100 B per session would leave one sample per ~300 sessions at that rate,
   * so we sample 8x as often. Measured cost: see docs/profiling.md (throughput with vs without).
   */
  samplingIntervalBytes: 4096,
  /** Allocation sites listed in reports. */
  topSites: 10,
  /** Classes listed in a snapshot diff, and how many of them get retainer paths. */
  diffTopClasses: 12,
  diffPathClasses: 3,
  /** New instances of a growing class whose retainer paths are grouped (enough to see the common one). */
  diffPathSamples: 200,
  /** A --hold never lasts longer than this; then the run goes on by itself. */
  holdMaxMs: 60 * 60_000,
  /** How often a --hold-file is looked for. */
  holdPollMs: 250,
  /** Runs per side of `npm run compare`: the fewest with which the rank test reaches alpha 0.01. */
  compareRunsPerSide: 5,
} as const;

/**
 * Shares of the optional paths of a plugin's session life (leak-unclean-exit's defaults):
 * OpenCode calls `command.execute.before` on slash-command turns, `permission.ask` on tool calls
 * whose rule is "ask", and the compaction hooks on compactions. A tenth of turns run a command
 * (/review, /test, /init), a tenth of tool calls ask permission (bash, edit and webfetch under a
 * project's "ask" rules), one session in twenty overflows its context after its last turn (the
 * server compacts it and continues), and half the sessions are created without a title (as the
 * TUI creates them), so the server titles them with its small model.
 */
export const HOOK_MIX_DEFAULTS = {
  commandShare: 0.1,
  permissionShare: 0.1,
  compactionShare: 0.05,
  untitledShare: 0.5,
} as const;

/**
 * The idle reaper the adapter host runs on the target's virtual clock, with the real app's
 * defaults: every 5 min, stop bindings idle for 30 min or more that have no turn in flight.
 */
export const ADAPTER_DEFAULTS = {
  idleMs: 30 * 60_000,
  sweepEveryMs: 5 * 60_000,
} as const;

/**
 * Defaults of the real `opencode serve` backend (`--opencode real`). Timings in comments were
 * measured on 2 shared cores (docs/real-opencode.md).
 */
export const REAL_DEFAULTS = {
  /** Start to the "listening" line: a median 1.35 s on a quiet machine; a slow disk or a cold cache needs more. */
  startTimeoutMs: 30_000,
  /**
   * A prompt that has not answered by then is aborted (POST /session/{id}/abort) by the proxy:
   * with a dead LLM the server retries for ~66 s before it answers.
   */
  promptTimeoutMs: 30_000,
  /** After SIGTERM, how long the server may take before SIGKILL. */
  stopGraceMs: 2_000,
  /** The watchdog's poll of the harness's pid: the server dies at most this long after the harness. */
  watchdogPollS: 1,
  /**
   * The target's IPC calls run whole batches of session lives; on the real server a prompt is
   * ~70-250 ms instead of the mock's ~0.3 ms, so a batch takes minutes, not the default 60 s.
   */
  targetCallTimeoutMs: 10 * 60_000,
  /** `npm install` of the 177 MiB binary: ~8-13 s on 2 cores. */
  installTimeoutMs: 5 * 60_000,
  /** Lines of the server's output kept for error messages. */
  logTailLines: 40,
} as const;

/** Defaults of `npm run load`. The load is always bounded twice: by wall time and by request count, whichever comes first. */
export const LOAD_DEFAULTS = {
  /** Default target: the fixed bypass-rotation daemon (seed leak 1), relative to the repository root. */
  target: 'fixtures/targets/bypass-rotation/fixed.ts',
  /** Default target of --opencode-api: an OpenCode-compatible server with a bounded session cache (seed leak 3). */
  opencodeApiTarget: 'fixtures/targets/session-cache/fixed.ts',
  /**
   * Wall-time cap of the measured load (the warm-up burst and priming come on top): long enough
   * that a busy machine still sends the span a sweep sawtooth needs to be judged (docs/load.md,
   * "Bounded in time and in count").
   */
  durationMs: 120_000,
  /** Request cap of the measured load. */
  maxRequests: 20_000,
  /** Concurrent autocannon connections. */
  connections: 8,
  /** Live session ids in the rotating pool that hook requests pick from. */
  sessions: 64,
  /** One new session id enters the pool (and the oldest leaves) every this many hook requests. */
  newSessionEveryRequests: 5,
  /** Share of retired ids that get a session-end hook; the rest vanish (an unclean end). */
  cleanEndShare: 0.5,
  /**
   * Virtual time per request, so TTLs measured in hours pass during seconds of load: 20 000
   * requests span 40 h, ten times the bypass daemon's 4 h TTL (10 000 still five). Never slower than wall time.
   */
  virtualMsPerRequest: 7_200,
  /**
   * --opencode-api: 1 s per request (4 requests per session), so the run stays well inside the
   * server's 4 h idle TTL: what load shows there is the count bound (an LRU cap against a cache
   * that only grows). At 7.2 s the leaky twin's idle expiry began within 2000 requests and its
   * growth slowed to "inconclusive". The TTLs themselves are leak-session-cache's to prove.
   */
  opencodeApiVirtualMsPerRequest: 1_000,
  /** How often the harness advances the target's clock while the load runs (wall ms). */
  clockTickMs: 50,
  /** Samples over the measured load (the verdict needs >= 10 after warm-up). */
  samples: 40,
  /** Requests of the warm-up burst, as a share of maxRequests (JIT, connection pools, first fills). */
  warmupShare: 0.1,
  /** Rows of the per-window table in the report. */
  windows: 8,
  /**
   * autocannon's per-request timeout (s): a request not answered within it is an error, and
   * counts in the latency percentiles at this value.
   */
  requestTimeoutS: 10,
  /**
   * Share of requests that may fail unexpectedly: a non-2xx answer the profile did not plan, a
   * timeout, a reset. None by default: a hook daemon that answers 500 has failed its callers.
   */
  maxUnexpectedErrorRate: 0,
  /** 'daemon' profile: one pipeline job (/work/...) every this many requests. */
  workEveryRequests: 10,
  /** 'daemon' profile: a rotation fault on the mock OpenCode every this many jobs. */
  rotateEveryJobs: 4,
  /** Heap growth below this per request is never a leak (HTTP daemons scatter by tens of KB). */
  minHeapBytesPerRequest: 64,
  seed: 1,
} as const;

/** Defaults of `runChurn` (churnlab/vitest), a user's own suite's churn run. */
export const CHURN_DEFAULTS = {
  /**
   * Nominal sessions of the judged phase. A run without `sessions` is sequential: it judges as
   * samples arrive, stops once every expectation is decided and goes on while any is
   * inconclusive, up to DEFAULTS.sequentialMaxFactor times this (or `maxSessions`).
   */
  nominalSessions: 600,
  /** Sessions before it, never judged (JIT, first fills). */
  warmupSessions: 100,
  turnsPerSession: 1,
  /** Share of sessions that end with session.deleted; the others vanish (an unclean end). */
  cleanEndShare: 0.5,
  /** Virtual time per session (TTLs and idle pruning run in virtual time). */
  virtualMsPerSession: 10_000,
  sampleEverySessions: 25,
  /**
   * Heap growth per session below this is never a leak: a short run of a plugin that keeps nothing
   * drifts by tens of bytes per session (docs/load.md). A Map or Set that keeps a small entry per
   * session is still caught by its entries; this floor is for what a session leaves behind whole
   * (a transcript, a reply, a closure).
   */
  minHeapBytesPerSession: 256,
  seed: 1,
} as const;

/** Defaults of the gate (`npm run gate`). */
export const GATE_DEFAULTS = {
  /** Where `npm run gate` writes `<outDir>/gate/<run-id>/` (relative to the config file). */
  outDir: 'reports',
  /** The stored speed baseline, relative to the config file. */
  baselinePath: 'ci/baseline.json',
  /** Runs of an entry with no `runs`: memory verdicts need one. */
  runsPerEntry: 1,
  /**
   * Smallest relative speed change that matters: harness/compare's 10 %. With 10 runs per side at
   * a CV of 5-15 % it calls a 30 % slowdown in 17 of 20 tries and equal runs in none
   * (docs/comparison.md); a larger floor would hide real slowdowns without saving false alarms.
   */
  speedMinRelativeEffect: 0.1,
  /** Significance level of the speed comparison: few false alarms. */
  speedAlpha: 0.01,
  /** A speed regression warns unless its budget says 'fail' (docs/ci.md, "Speed"). */
  onSpeedRegression: 'warn' as const,
  /** Runs per side the gate suggests at least, when a speed comparison is inconclusive. */
  speedRunsFloor: 5,
} as const;

/** Defaults of `npm run field` (the corpus of published plugins). */
export const FIELD_DEFAULTS = {
  /**
   * The size of the first corpus runs, which were fixed (`--sessions 1000`) before scenarios ran
   * sequentially: a saved field-results.json without a size is read as that. A run now stops once
   * decided (a leak at its first look, a correct plugin at its nominal size) unless `--sessions`
   * or a plugin's size asks for a fixed run.
   */
  firstRunsSessions: 1_000,
  /** A run still going after this is stopped and reported as such (never as a pass). */
  runCapMs: 6 * 60_000,
  /** After the cap's SIGTERM, time for the scenario CLI to judge its samples and write its report. */
  capGraceMs: 60_000,
  /** `npm install` of the whole corpus into the cache. */
  installTimeoutMs: 10 * 60_000,
  /** Loading a plugin to list the hooks it registers. */
  probeTimeoutMs: 60_000,
} as const;
