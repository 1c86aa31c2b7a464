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
  /** Virtual clock epoch inside the target: 2026-01-01T00:00:00Z. */
  virtualEpochMs: Date.UTC(2026, 0, 1),
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
