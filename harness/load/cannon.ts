// autocannon, typed for the little churnlab uses, run with two caps (requests AND wall time) and
// every response recorded with its latency, so the run can be cut into windows afterwards.
// autocannon runs in the harness process: the target's heap never holds the load generator.
import { createRequire } from 'node:module';

export interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before each send; must return a request (a falsy value would reset the connection's sequence). */
  setupRequest?: (request: CannonRequest, context: Record<string, unknown>) => CannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

interface Histogram {
  average: number;
  mean?: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}

interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
  on(event: 'done', listener: (result: AutocannonResult) => void): void;
  stop(): void;
}

type Autocannon = (
  opts: {
    url: string;
    connections: number;
    amount: number;
    timeout: number;
    requests: CannonRequest[];
  },
  cb: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

// autocannon ships no types: load it through require and type the little used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Responses in order of arrival: when (harness wall ms since start), how long, and whether 2xx. */
export interface ResponseLog {
  atMs: number[];
  latencyMs: number[];
  /** HTTP status; 0 for a request error (timeout, reset). */
  status: number[];
}

export interface CannonOptions {
  url: string;
  connections: number;
  maxRequests: number;
  durationMs: number;
  requestTimeoutS: number;
  requests: CannonRequest[];
}

export interface CannonTotals {
  requests: number;
  durationMs: number;
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Which cap ended the load. */
  stoppedBy: 'maxRequests' | 'duration';
}

export interface CannonRun {
  /** Responses (and request errors) completed so far. */
  completed(): number;
  readonly log: ResponseLog;
  readonly done: Promise<CannonTotals>;
  stop(): void;
}

/** Start the load; it ends at maxRequests or durationMs, whichever comes first. */
export function startCannon(o: CannonOptions, startedAtMs = Date.now()): CannonRun {
  const log: ResponseLog = { atMs: [], latencyMs: [], status: [] };
  let stoppedByTime = false;
  let finished = false;
  let instance: AutocannonInstance | undefined;
  const done = new Promise<CannonTotals>((resolve, reject) => {
    const wallStart = Date.now();
    instance = autocannon(
      { url: o.url, connections: o.connections, amount: o.maxRequests, timeout: o.requestTimeoutS, requests: o.requests },
      (error, result) => {
        finished = true;
        clearTimeout(timer);
        if (error) return reject(error);
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]));
        const durationMs = Date.now() - wallStart;
        const requests = log.status.length;
        resolve({
          requests,
          durationMs,
          requestsPerSec: durationMs > 0 ? (requests * 1000) / durationMs : 0,
          latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          statusCodes,
          stoppedBy: stoppedByTime ? 'duration' : 'maxRequests',
        });
      },
    );
    // With `amount` set autocannon ignores `duration`: the wall-time cap is ours.
    const timer = setTimeout(() => {
      if (finished) return;
      stoppedByTime = true;
      instance?.stop();
    }, o.durationMs);
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      log.atMs.push(Date.now() - startedAtMs);
      log.latencyMs.push(responseTimeMs);
      log.status.push(statusCode);
    });
    instance.on('reqError', () => {
      log.atMs.push(Date.now() - startedAtMs);
      log.latencyMs.push(o.requestTimeoutS * 1000);
      log.status.push(0);
    });
  });
  return {
    completed: () => log.status.length,
    log,
    done,
    stop: () => instance?.stop(),
  };
}
