// autocannon, typed for the little churnlab uses, run with two caps (requests AND wall time) and
// every response recorded with its latency, so the run can be cut into windows afterwards.
// autocannon runs in the harness process: the target's heap never holds the load generator.
import { createRequire } from 'node:module';
import { latencyFigures } from './latency.ts';

export interface CannonRequest {
  /** What kind of request this is ('hook', 'work'): responses are logged under it (planned failures are per kind). */
  name?: string;
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

/** answered: an HTTP status came back; timeout: none within the request timeout; error: refused or reset. */
export type ResponseOutcome = 'answered' | 'timeout' | 'error';

/**
 * Responses in order of arrival: when (harness wall ms since start), how long (a timed-out request
 * at its timeout), the status, the outcome and the kind of request (CannonRequest.name; '' unknown).
 */
export interface ResponseLog {
  atMs: number[];
  latencyMs: number[];
  /** HTTP status; 0 when no answer came (see outcome). */
  status: number[];
  outcome: ResponseOutcome[];
  request: string[];
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
  /** Over every request, whatever its answer; a timed-out one at its timeout. */
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
/** Every request logs its kind just before autocannon reports its response (same tick, same client). */
function named(requests: CannonRequest[], answered: (name: string) => void): CannonRequest[] {
  return requests.map((r) => ({
    ...r,
    onResponse: (status, body, context) => {
      answered(r.name ?? '');
      r.onResponse?.(status, body, context);
    },
  }));
}

export function startCannon(o: CannonOptions, startedAtMs = Date.now()): CannonRun {
  const log: ResponseLog = { atMs: [], latencyMs: [], status: [], outcome: [], request: [] };
  let answeredKind = '';
  let stoppedByTime = false;
  let finished = false;
  let instance: AutocannonInstance | undefined;
  const done = new Promise<CannonTotals>((resolve, reject) => {
    const wallStart = Date.now();
    instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        amount: o.maxRequests,
        timeout: o.requestTimeoutS,
        requests: named(o.requests, (name) => (answeredKind = name)),
      },
      (error, result) => {
        finished = true;
        clearTimeout(timer);
        if (error) return reject(error);
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]));
        const durationMs = Date.now() - wallStart;
        const requests = log.status.length;
        // autocannon's own histogram holds 2xx answers only: failures and timeouts must count too.
        const latency = latencyFigures(log.latencyMs);
        const mean = requests > 0 ? log.latencyMs.reduce((a, v) => a + v, 0) / requests : 0;
        const timeouts = log.outcome.filter((k) => k === 'timeout').length;
        resolve({
          requests,
          durationMs,
          requestsPerSec: durationMs > 0 ? (requests * 1000) / durationMs : 0,
          latencyMs: { ...latency, mean },
          errors: requests - log.outcome.filter((k) => k === 'answered').length,
          timeouts,
          non2xx: log.status.filter((s, i) => log.outcome[i] === 'answered' && (s < 200 || s > 299)).length,
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
      log.outcome.push('answered');
      log.request.push(answeredKind);
      answeredKind = '';
    });
    instance.on('reqError', (error) => {
      const timedOut = /timed out/i.test(error.message);
      log.atMs.push(Date.now() - startedAtMs);
      // A request that got no answer counts at the timeout, the longest a caller would wait.
      log.latencyMs.push(o.requestTimeoutS * 1000);
      log.status.push(0);
      log.outcome.push(timedOut ? 'timeout' : 'error');
      log.request.push('');
    });
  });
  return {
    completed: () => log.status.length,
    log,
    done,
    stop: () => instance?.stop(),
  };
}
