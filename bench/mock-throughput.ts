// Throughput of the mock OpenCode over loopback, measured with autocannon against the mock in its
// own process (so autocannon and the mock do not share a heap or an event loop):
//   GET /session/{id}          one session, read over and over
//   prompt round-trip          POST /session/{id}/message over a pool of fresh sessions
//   churn cycle                create -> prompt -> delete, per autocannon connection
// Each is run RUNS times for RUN_SECONDS after a short warm-up; medians are printed.
//
//   npx tsx bench/mock-throughput.ts            (about a minute on 2 cores)
//   RUNS=3 RUN_SECONDS=2 npx tsx bench/mock-throughput.ts
//   DISPATCH=msw npx tsx bench/mock-throughput.ts   (every request through msw's getResponse)
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { spawnMockOpenCode, type MockProcess } from '../harness/opencode/index.ts';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: {
  url: string;
  connections?: number;
  duration?: number;
  requests?: AutocannonRequest[];
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}) => Promise<AutocannonResult>;

// autocannon ships no types; load it through require and type the little we use.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const RUNS = Number(process.env.RUNS ?? 5);
const RUN_SECONDS = Number(process.env.RUN_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const DISPATCH = process.env.DISPATCH === 'msw' ? 'msw' : 'direct';
const POOL = 1000;
const JSON_HEADERS = { 'content-type': 'application/json' };
const PROMPT = JSON.stringify({ parts: [{ type: 'text', text: 'bench: one turn of a churn scenario' }] });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function createSessions(url: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/session`, { method: 'POST', headers: JSON_HEADERS, body: '{"title":"bench"}' });
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

async function deleteSessions(url: string, ids: string[]): Promise<void> {
  for (const id of ids) await (await fetch(`${url}/session/${id}`, { method: 'DELETE' })).arrayBuffer();
}

/** An SSE client reading GET /event for the whole run (what a plugin host does): the bus is then live. */
async function subscribe(url: string): Promise<() => Promise<number>> {
  const aborter = new AbortController();
  const res = await fetch(`${url}/event`, { signal: aborter.signal });
  const reader = res.body!.getReader();
  let bytes = 0;
  const reading = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  return async () => {
    aborter.abort();
    await reading;
    return bytes;
  };
}

interface Scenario {
  name: string;
  /** What one autocannon request pipeline is worth in the unit reported. */
  unit: string;
  perUnit: number;
  /** Requests for one run; `done` undoes what the run left (so runs stay comparable). */
  prepare(url: string): Promise<{ requests: AutocannonRequest[]; done?: () => Promise<void> }>;
}

const churnCycle: AutocannonRequest[] = [
  {
    method: 'POST',
    path: '/session',
    headers: JSON_HEADERS,
    body: '{"title":"churn"}',
    onResponse: (_status, body, context) => {
      context.id = (JSON.parse(body) as { id: string }).id;
    },
  },
  {
    method: 'POST',
    headers: JSON_HEADERS,
    body: PROMPT,
    setupRequest: (req, context) => ({ ...req, path: `/session/${String(context.id)}/message` }),
  },
  { method: 'DELETE', setupRequest: (req, context) => ({ ...req, path: `/session/${String(context.id)}` }) },
];

const scenarios: Scenario[] = [
  {
    name: 'GET /session/{id}',
    unit: 'req/s',
    perUnit: 1,
    async prepare(url) {
      const ids = await createSessions(url, 1);
      return { requests: [{ method: 'GET', path: `/session/${ids[0]}` }], done: () => deleteSessions(url, ids) };
    },
  },
  {
    name: 'prompt round-trip (2 tool parts x 4 KB)',
    unit: 'prompts/s',
    perUnit: 1,
    async prepare(url) {
      // Fresh sessions every run, so history length (and the context sent to the fake LLM) stays comparable.
      const ids = await createSessions(url, POOL);
      let next = 0;
      return {
        requests: [
          {
            method: 'POST',
            headers: JSON_HEADERS,
            body: PROMPT,
            setupRequest: (req) => ({ ...req, path: `/session/${ids[next++ % ids.length]}/message` }),
          },
        ],
        done: () => deleteSessions(url, ids),
      };
    },
  },
  {
    name: 'churn cycle: create + prompt + delete',
    unit: 'sessions/s',
    perUnit: 3,
    async prepare() {
      return { requests: churnCycle };
    },
  },
  {
    name: 'churn cycle, one SSE subscriber reading',
    unit: 'sessions/s',
    perUnit: 3,
    async prepare(url) {
      // ~20 events per cycle are serialized and streamed: the cost a plugin host adds.
      const stop = await subscribe(url);
      return {
        requests: churnCycle,
        done: async () => {
          await stop();
        },
      };
    },
  },
];

async function measure(mock: MockProcess, scenario: Scenario) {
  const rates: number[] = [];
  const p50s: number[] = [];
  let failures = 0;
  // Warm-up (JIT, connection pools), not counted.
  const warm = await scenario.prepare(mock.url);
  await autocannon({ url: mock.url, connections: CONNECTIONS, duration: 1, requests: warm.requests });
  await warm.done?.();
  for (let run = 0; run < RUNS; run++) {
    const { requests, done } = await scenario.prepare(mock.url);
    const result = await autocannon({ url: mock.url, connections: CONNECTIONS, duration: RUN_SECONDS, requests });
    await done?.();
    failures += result.errors + result.timeouts + result.non2xx;
    rates.push(result.requests.average / scenario.perUnit);
    p50s.push(result.latency.p50);
  }
  return { rates, median: median(rates), p50: median(p50s), failures };
}

async function main(): Promise<void> {
  console.log(
    `mock OpenCode throughput over loopback: ${RUNS} runs x ${RUN_SECONDS} s, ${CONNECTIONS} connections, ` +
      `${DISPATCH} dispatch, ${cpus().length} CPUs, node ${process.version}`,
  );
  const mock = await spawnMockOpenCode([
    '--tool-calls',
    '2',
    '--tool-output-bytes',
    '4096',
    '--max-deleted-sessions',
    '1000',
    '--llm-record-limit',
    '64',
    '--dispatch',
    DISPATCH,
  ]);
  try {
    for (const scenario of scenarios) {
      const r = await measure(mock, scenario);
      console.log(
        `${scenario.name.padEnd(42)} median ${r.median.toFixed(0).padStart(6)} ${scenario.unit.padEnd(11)} ` +
          `(runs: ${r.rates.map((x) => x.toFixed(0)).join(', ')}; p50 latency ${r.p50} ms; failed requests ${r.failures})`,
      );
    }
  } finally {
    await mock.stop();
  }
}

await main();
