// The load part of report.json (`npm run load`): the schema of what autocannon measured and
// what the target's heap did per window, apart from its rendering so the report model can hold it
// without importing the renderers.

export interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One slice of the measured load, by request count. */
export interface LoadWindow {
  index: number;
  /** Requests of the measured load (warm-up excluded), [fromRequest, toRequest). */
  fromRequest: number;
  toRequest: number;
  requests: number;
  durationMs: number;
  requestsPerSec: number;
  latencyMs: LatencyFigures;
  /** Requests without an answer (timeouts, resets), of which timeouts, and answers that were not 2xx. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Failures the profile did not plan (non-2xx, timeouts, resets), and their share of the window's requests. */
  unexpectedErrors: number;
  errorRate: number;
  /** Post-GC heap (excluding compiled code) at the last sample in the window. */
  heapBytesAtEnd?: number;
  /** Robust slope of that heap over the window's samples, per 1000 requests (needs >= 2 samples). */
  heapBytesPer1000Requests?: number;
}

/** What failed among a load's requests, and what of it the profile planned (harness/load/errors.ts). */
export interface ErrorCounts {
  requests: number;
  /** Answered with a status outside 200-299, by status. */
  non2xxByStatus: Record<string, number>;
  non2xx: number;
  /** Not answered within the request timeout. */
  timeouts: number;
  /** Failed without an answer otherwise (connection refused or reset). */
  requestErrors: number;
  /** Non-2xx answers the profile planned. */
  expected: number;
  unexpected: number;
  /** unexpected / requests (0 when no request completed). */
  unexpectedRate: number;
}

export interface LoadErrors extends ErrorCounts {
  /** Largest share of requests that may fail unexpectedly (0: none may). */
  maxUnexpectedRate: number;
  requestTimeoutMs: number;
  /** What failures the profile plans ("at most one failed job per rotation fault the mock injected"). */
  planned: string;
  /** The measured load alone (the figures above also count the warm-up burst). */
  measured: ErrorCounts;
}

export interface LoadSection {
  profile: string;
  description: string;
  connections: number;
  caps: { durationMs: number; maxRequests: number };
  /** 'interrupted': a signal stopped the load before either cap (the figures are those so far). */
  stoppedBy: 'maxRequests' | 'duration' | 'interrupted';
  warmupRequests: number;
  virtualMsPerRequest: number;
  /** Virtual time that passed in the target during the measured load. */
  virtualSpanMs: number;
  totals: {
    requests: number;
    durationMs: number;
    requestsPerSec: number;
    latencyMs: LatencyFigures & { mean: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodes: Record<string, number>;
  };
  /** The heap verdict's slope over the whole measured load, per 1000 requests. */
  heapBytesPer1000Requests?: number;
  /** Each judged metric's verdict with its slope read per 1000 requests: "Set bypassed: leak, +48 entries per 1000 requests". */
  verdictsPer1000Requests: string[];
  windows: LoadWindow[];
  /** Exact counts of the load profile (sessions introduced, jobs, faults). */
  counts: Record<string, number>;
  /** Errors of every request the run sent (warm-up and measured load), judged against the budget. */
  errors: LoadErrors;
}
