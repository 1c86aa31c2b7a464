// Every default of churnlab, in one place, with units in the names.

export const DEFAULTS = {
  /** Hard limit for one target process's life; a run that passes it ends as 'timeout'. */
  targetRunTimeoutMs: 10 * 60_000,
  /** How long the target may take to print its inspector URL and say 'ready'. */
  targetStartTimeoutMs: 30_000,
  /** How long one IPC call may take before the target counts as hung. */
  targetCallTimeoutMs: 60_000,
  /** Lines of the target's stderr kept for error messages. */
  stderrTailLines: 40,
  /** Collections reported per sample by the census (largest and fastest growing). */
  censusTopN: 25,
  /** Collections smaller than this are not tracked by identity (cheap census). */
  censusMinSize: 8,
  /**
   * The census looks for new collections (Runtime.queryObjects: full GCs, a walk of the whole
   * heap, and V8 clears every feedback vector, so the target's code runs cold afterwards) on its
   * first sample and every n-th after it; in between it reads the collections it follows.
   */
  censusDiscoverEvery: 10,
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
   * Priming rounds before any work (advance the clock, then sample), excluded from verdicts. V8
   * tiers up the harness's own paths in the target (IPC, CDP, the fake clock) as they run hot,
   * and that compiled code and its metadata (feedback vectors, relocation info) grow the heap
   * in steps of a few KB. Measured on an empty target: with 15 idle samples the judged heap still
   * rose ~8 KB mid-run in half the runs (clock paths not yet hot); with 30 rounds that also
   * advance the clock it stays within +-1.5 KB for 3000 units. Costs ~4 s per run.
   */
  primeSamples: 30,
  /** Fewest post-warm-up points the verdict engine needs before it may say bounded or leak. */
  minPointsForVerdict: 8,
  /**
   * Floors of the RSS verdict (targets observed from /proc only). RSS moves in pages and
   * allocator arenas, and a correct runtime's RSS creeps while its allocator warms up: a Python
   * hook daemon that keeps nothing was measured at +80 B per session for its first ~3500
   * sessions, its capped twin at +200 B, both flat afterwards. 256 B per unit stays under any
   * realistic leaked session record (a leaked dict of a few fields is ~1 KB of RSS); 1 MiB in
   * total is above the step a runtime takes when it grows an arena.
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
