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
   * Idle samples taken before any work, excluded from verdicts. The first ~12-15 samples of any
   * target grow its heap by ~45 KB while V8 warms up the paths CDP and IPC use in it (measured on
   * an empty target: flat from the 15th sample on, for 8000 units); priming keeps that out.
   */
  primeSamples: 15,
  /** Fewest post-warm-up points the verdict engine needs before it may say bounded or leak. */
  minPointsForVerdict: 8,
} as const;
