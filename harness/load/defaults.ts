// Every default of `npm run load`, in one place, with units in the names. The load is always
// bounded twice: by wall time and by request count, whichever comes first.

export const LOAD_DEFAULTS = {
  /** Default target: the fixed bypass-rotation daemon (seed leak 1), relative to the repository root. */
  target: 'fixtures/targets/bypass-rotation/fixed.ts',
  /** Default target of --opencode-api: an OpenCode-compatible server with a bounded session cache (seed leak 3). */
  opencodeApiTarget: 'fixtures/targets/session-cache/fixed.ts',
  /**
   * Wall-time cap of the measured load (the warm-up burst and priming come on top). 20 000 requests
   * took 32-45 s here (443-622 req/s); at load average 14 the load ran at ~200 req/s and a
   * 60 s cap cut it to 11 800 requests, too short a span for the claims Map's sweep sawtooth to
   * be judged (inconclusive).
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
