// Seed pattern 4 on the daemon side: a daemon that receives OpenCode hooks (session start, tool
// after, session end) keeps per-session state and frees it only on session end, which never
// comes when a session ends uncleanly (process killed, network cut). The target is a 'service';
// it may be a Node module (observed over the inspector: heap, census) or any program given as
// `--command` (observed by RSS of its process tree from /proc).
// Each session: session-start, `toolCallsPerSession` tool-after hooks with realistic outputs, and
// session-end for `cleanEndShare` of them. Unit of work: 'session'.
// Healthy: at most 500 sessions kept (the fixed twin's cap), memory flat once the cap is reached.
// Leaky: +0.8 entries per session (every unclean end), ~1-3 KB per session.
import { defineScenario, type CommonParams } from '../harness/scenario/define.ts';
import type { RunContext } from '../harness/scenario/context.ts';
import { expectCollectionsBounded, expectCounterAtMost, expectHeapBounded } from '../harness/scenario/expect.ts';
import { mulberry32 } from '../harness/core/random.ts';

const MAX_SESSIONS = 500;

interface Params extends CommonParams {
  warmupSessions: number;
  toolCallsPerSession: number;
  cleanEndShare: number;
  /** Sessions in flight at once (each one's hooks arrive in order). */
  concurrency: number;
  outputBytes: number;
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: the daemon must accept the hook`);
}

async function sessions(run: RunContext, p: Params, from: number, count: number, random: () => number): Promise<void> {
  const url = run.serviceUrl;
  if (!url) throw new Error('leak-hook-daemon needs a service target that reports its URL');
  const output = 'x'.repeat(p.outputBytes);
  let next = from;
  const end = from + count;
  let batchStarted = Date.now();
  const one = async (i: number) => {
    const sessionId = `ses_hook_${String(i).padStart(7, '0')}`;
    await post(url, '/hooks/session-start', { sessionId });
    for (let t = 0; t < p.toolCallsPerSession; t += 1) {
      await post(url, '/hooks/tool-after', { sessionId, tool: t % 2 ? 'read' : 'bash', callId: `call_${i}_${t}`, output: `${i}:${t}:${output}` });
    }
    if (random() < p.cleanEndShare) await post(url, '/hooks/session-end', { sessionId });
  };
  while (next < end) {
    // One sampling interval's worth at a time, `concurrency` sessions in flight.
    const batchStart = next;
    const batchEnd = Math.min(end, next + 100);
    const lanes = Array.from({ length: p.concurrency }, async () => {
      while (next < batchEnd) await one(next++);
    });
    await Promise.all(lanes);
    // Time passes as it did on the wall (Node targets: timers of the HTTP server run).
    await run.advance(Math.max(1000, Date.now() - batchStarted));
    batchStarted = Date.now();
    await run.did('session', batchEnd - batchStart);
  }
}

export default defineScenario<Params>({
  name: 'leak-hook-daemon',
  summary: 'Hook daemon keeps per-session state until session-end, which an unclean exit never sends (pattern 4, daemon side; any language via --command)',
  kind: 'service',
  defaultTarget: 'fixtures/targets/hook-daemon/fixed.ts',
  unit: 'session',
  params: { sessions: 3000, seed: 1, warmupSessions: 600, toolCallsPerSession: 5, cleanEndShare: 0.2, concurrency: 8, outputBytes: 1500 },
  sampleEveryUnits: 100,
  serviceOptions: { maxSessions: MAX_SESSIONS },
  async workload(run, p) {
    const random = mulberry32(p.seed);
    run.phase('warmup');
    await sessions(run, p, 0, p.warmupSessions, random);
    let next = p.warmupSessions;
    await run.mainPhase('churn', p.sessions, async (n) => {
      await sessions(run, p, next, n, random);
      next += n;
    });
  },
  expect: [
    expectCounterAtMost('service.sessions', MAX_SESSIONS, `the daemon keeps at most ${MAX_SESSIONS} sessions (its own count)`),
    expectCollectionsBounded({ atMost: MAX_SESSIONS }),
    expectHeapBounded({ minBytesPerUnit: 64 }),
  ],
});
