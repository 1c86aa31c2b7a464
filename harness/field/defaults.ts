// Defaults of `npm run field` (the corpus of published plugins), with units in the names.

export const FIELD_DEFAULTS = {
  /**
   * Sessions of each scenario's churn phase (after its 300 warm-up sessions). The scenarios' own
   * 5000 take ~6 min a plugin on 2 shared cores, most of it in the 50 heap samples; 1500 keep
   * the heap expectation's +64 B-per-session floor decisive (a leaked Set entry is ~100 B) in a
   * third of the time. A collection's 2000-entry cap is not reached at this size: the heap says it.
   */
  sessions: 1_500,
  /** A run still going after this is stopped and reported as such (never as a pass). */
  runCapMs: 5 * 60_000,
  /** `npm install` of the whole corpus into the cache. */
  installTimeoutMs: 10 * 60_000,
  /** Loading a plugin to list the hooks it registers. */
  probeTimeoutMs: 60_000,
} as const;
