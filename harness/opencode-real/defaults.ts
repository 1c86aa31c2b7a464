// Every default of the real-OpenCode backend, in one place, with units in the names.
// Figures in comments were measured on 2 shared cores (shared/opencode-1.18.33/README.md).

export const OPENCODE_VERSION = '1.18.33';
export const OPENCODE_PACKAGE = `opencode-ai@${OPENCODE_VERSION}`;

export const REAL_DEFAULTS = {
  /** Start to the "listening" line: p50 1.35 s here; a slow disk or a cold cache needs more. */
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
  /** `npm install` of the 177 MiB binary: ~8-13 s here. */
  installTimeoutMs: 5 * 60_000,
  /** Lines of the server's output kept for error messages. */
  logTailLines: 40,
} as const;
