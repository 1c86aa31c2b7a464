// Defaults of `npm run field` (the corpus of published plugins), with units in the names.

export const FIELD_DEFAULTS = {
  /**
   * Sessions of each scenario's churn phase (after its 300 warm-up sessions). A verdict needs at
   * least 8 samples after the warm-up and the scenarios sample every 100 sessions, so 1000 is the
   * least that decides. Measured on this 2-core machine shared with other jobs: the harness's own
   * priming takes ~100 s and a slow plugin (disk writes per session) runs ~3 sessions/s, so the
   * scenarios' own 5000 would take half an hour a plugin. 1000 decide a leak of ~100 B per
   * session or more (a kept Map entry); a collection's 2000-entry cap is not reached at this size.
   */
  sessions: 1_000,
  /** A run still going after this is stopped and reported as such (never as a pass). */
  runCapMs: 6 * 60_000,
  /** `npm install` of the whole corpus into the cache. */
  installTimeoutMs: 10 * 60_000,
  /** Loading a plugin to list the hooks it registers. */
  probeTimeoutMs: 60_000,
} as const;
