// Defaults of `npm run field` (the corpus of published plugins), with units in the names.

export const FIELD_DEFAULTS = {
  /**
   * Sessions of each scenario's churn phase (after its 300 warm-up sessions). Measured on this
   * 2-core machine shared with other jobs: the harness's own priming takes ~100 s and a slow
   * plugin (disk writes per session) runs ~3 sessions/s, so the scenarios' own 5000 would take
   * half an hour a plugin. 500 sessions decide a leak of ~100 B per session or more (a kept Map
   * entry); a bounded plugin may come out inconclusive at this size, and the report says so.
   */
  sessions: 500,
  /** A run still going after this is stopped and reported as such (never as a pass). */
  runCapMs: 5 * 60_000,
  /** `npm install` of the whole corpus into the cache. */
  installTimeoutMs: 10 * 60_000,
  /** Loading a plugin to list the hooks it registers. */
  probeTimeoutMs: 60_000,
} as const;
