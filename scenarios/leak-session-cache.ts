// Seed leak 3 (docs/seed-leaks.md): the OpenCode server's own session and message caches. The
// server kept `sessions: Map<id, Info>` and `messages: Map<id, Message[]>`, list() pulled every
// stored session into the map, and only DELETE removed entries. The proposed fix: an LRU of
// maxSessions = 100 (maxMessagesPerSession = 1000), absolute TTL 24 h, inactivity TTL 4 h, a sweep
// every 5 min.
//
// The target is an OpenCode-compatible server (kind 'service'); the workload drives it from the
// harness with the real SDK: each session is created, prompted a few times, read back (get and
// messages), every 10th session lists all sessions, every 5th re-reads an older one and every 5th
// is deleted. 740 sessions (500 judged, 5x the cap) at 1 min of virtual time each, with two nights
// of 5 h without a single request (past the 4 h inactivity TTL plus one sweep): one in the warm-up
// (the cache refills before the judged window, so the heap verdict sees a full cache), one at the end.
// Unit of work: 'session'.
// Healthy: at most 100 sessions cached at every sample; none cached after a 5 h idle night;
// heap flat. Leaky: the `sessions` and `messages` maps grow by ~0.8 entries per session (every
// session not deleted), never shrink in the idle nights, and the heap grows by KBs per session.
import { createOpencodeClient } from '@opencode-ai/sdk';
import { defineScenario, type CommonParams } from '../harness/scenario/define.ts';
import type { ServiceRun } from '../harness/scenario/context.ts';
import { expectCollectionsBounded, expectCounterAtMost, expectHandlesBounded, expectHeapBounded } from '../harness/scenario/expect.ts';

const HOUR = 3_600_000;
const MAX_SESSIONS = 100;

interface Params extends CommonParams {
  warmupSessions: number;
  /** User turns per session (2 messages each). */
  promptsPerSession: number;
  /** Every n-th session lists all sessions (the leaky list() loads each into its map). */
  listEvery: number;
  /** Every n-th session re-reads a session created `rereadDistance` sessions earlier. */
  rereadEvery: number;
  rereadDistance: number;
  /** Every n-th session is deleted after use (the only path on which the leaky server frees). */
  deleteEvery: number;
  virtualMsPerSession: number;
  /** Nights without requests: past the 4 h inactivity TTL plus one 5 min sweep. */
  idleNightMs: number;
}

interface SdkResult<T> {
  data?: T;
  error?: unknown;
  response?: { status: number };
}

function must<T>(what: string, r: SdkResult<T>): T {
  if (r.error !== undefined || r.data === undefined) {
    throw new Error(`${what} failed (${r.response?.status ?? 'no response'}): ${JSON.stringify(r.error)}`);
  }
  return r.data;
}

async function churn(
  run: ServiceRun,
  client: ReturnType<typeof createOpencodeClient>,
  p: Params,
  from: number,
  count: number,
  live: string[],
): Promise<void> {
  let batchStarted = Date.now();
  let batch = 0;
  for (let i = from; i < from + count; i += 1) {
    const session = must('session.create', await client.session.create({ body: { title: `churn ${i}` } }));
    const id = session.id;
    for (let t = 0; t < p.promptsPerSession; t += 1) {
      must(
        'session.prompt',
        await client.session.prompt({
          path: { id },
          body: { parts: [{ type: 'text', text: `session ${i} turn ${t}: fix the failing test` }] },
        }),
      );
    }
    must('session.get', await client.session.get({ path: { id } }));
    const history = must('session.messages', await client.session.messages({ path: { id } }));
    if (history.length !== 2 * p.promptsPerSession)
      throw new Error(`session ${id}: ${history.length} messages, expected ${2 * p.promptsPerSession}`);
    if (i % p.rereadEvery === 0 && live.length > p.rereadDistance) {
      const old = live[live.length - p.rereadDistance]!;
      must('session.get (older)', await client.session.get({ path: { id: old } }));
      must('session.messages (older)', await client.session.messages({ path: { id: old } }));
    }
    if (i % p.listEvery === 0) must('session.list', await client.session.list());
    if (i % p.deleteEvery === p.deleteEvery - 1) {
      must('session.delete', await client.session.delete({ path: { id } }));
      const gone = await client.session.get({ path: { id } });
      if (gone.response?.status !== 404) throw new Error(`session ${id} still answers after DELETE (${gone.response?.status})`);
    } else {
      live.push(id);
    }
    batch += 1;
    // Virtual time never runs slower than wall time (docs/architecture.md, "Time").
    if (batch === 10 || i === from + count - 1) {
      await run.advance(Math.max(batch * p.virtualMsPerSession, Date.now() - batchStarted));
      batch = 0;
      batchStarted = Date.now();
    }
    await run.did('session', 1);
  }
}

/** A night without requests: the sweep (every 5 min) must drop every idle session. */
async function night(run: ServiceRun, p: Params): Promise<void> {
  await run.advance(p.idleNightMs);
  await run.sample();
}

export default defineScenario<Params>({
  name: 'leak-session-cache',
  summary: "An OpenCode server's session/message caches stay <= 100 sessions and drop idle ones after 4 h (600 sessions, 6x the cap).",
  kind: 'service',
  defaultTarget: 'fixtures/targets/session-cache/fixed.ts',
  unit: 'session',
  params: {
    /** Main churn: 5x the cap, on top of the warm-up's 2 x 120. */
    sessions: 500,
    seed: 1,
    /** Sessions before and after the warm-up's idle night. */
    warmupSessions: 120,
    promptsPerSession: 2,
    listEvery: 10,
    rereadEvery: 5,
    rereadDistance: 30,
    deleteEvery: 5,
    virtualMsPerSession: 60_000,
    idleNightMs: 5 * HOUR,
  },
  sampleEveryUnits: 20,
  serviceOptions: {
    maxSessions: MAX_SESSIONS,
    maxMessagesPerSession: 1000,
    absoluteTtlMs: 24 * HOUR,
    inactivityTtlMs: 4 * HOUR,
    sweepIntervalMs: 5 * 60_000,
  },
  async workload(run, p) {
    const client = createOpencodeClient({ baseUrl: run.serviceUrl });
    const live: string[] = [];
    // Warm-up: fill the cache past its cap, one night without requests (the sweep empties it),
    // then fill it again, so the judged window starts with a full cache and compiled paths.
    run.phase('warmup');
    await churn(run, client, p, 0, p.warmupSessions, live);
    await night(run, p);
    await churn(run, client, p, p.warmupSessions, p.warmupSessions, live);
    run.phase('churn');
    await churn(run, client, p, 2 * p.warmupSessions, p.sessions, live);
    run.phase('idle');
    await night(run, p);
  },
  expect: [
    expectCounterAtMost('service.cachedSessions', MAX_SESSIONS, `at most ${MAX_SESSIONS} sessions cached at every sample`),
    expectCounterAtMost(
      'service.cachedSessionsWhenIdle',
      0,
      'no session still cached after 5 h without a request (inactivity TTL 4 h + one 5 min sweep)',
    ),
    expectCollectionsBounded({ atMost: MAX_SESSIONS }),
    // A leaked session is ~0.5 KB of info plus ~1 KB per message; the HTTP server's scatter is tens of KB.
    expectHeapBounded({ minBytesPerUnit: 256 }),
    expectHandlesBounded(),
  ],
});
