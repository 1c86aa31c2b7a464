// Every default of the gate, in one place, with units in the names.

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
