// Seed pattern 4 on the daemon side: a daemon that receives OpenCode hooks (session start, tool
// after, session end) keeps per-session state and frees it only on session end, which never
// comes when a session ends uncleanly (process killed, network cut). The target is a 'service';
// it may be a Node module (observed over the inspector: heap, census) or any program given as
// `--command` (observed by RSS of its process tree from /proc).
// Each session: session-start, `toolCallsPerSession` tool-after hooks with realistic outputs, and
// session-end for `cleanEndShare` of them. Unit of work: 'session'.
// Time: `virtualMsPerSession` of virtual time per session (default one every 20 s: 3600 sessions
// span 20 h), never less than the wall time, passed as sessions complete, so a daemon that forgets
// idle sessions after minutes or hours is judged on its design, not on the harness's speed.
// Healthy: the sessions a daemon keeps stop growing (a cap, an idle TTL, both); memory flat.
// Leaky: +0.8 entries per session (every unclean end), ~1-3 KB per session.
// `sessionCap` holds a daemon to an absolute count as well (the reference twin's gate entry: 500).
import { defineScenario, type CommonParams } from '../harness/scenario/define.ts';
import type { ServiceRun } from '../harness/scenario/context.ts';
import {
  expectCollectionsBounded,
  expectCounterAtMost,
  expectCounterBounded,
  expectHeapBounded,
  type Expectation,
} from '../harness/scenario/expect.ts';
import { sessionClock, type SessionClock } from '../harness/scenario/session-clock.ts';
import { DEFAULTS } from '../harness/core/defaults.ts';
import { mulberry32 } from '../harness/core/random.ts';
import { setTimeout as realDelay } from 'node:timers/promises';

const SAMPLE_EVERY_SESSIONS = 100;
/** How often (wall ms) the clock loop looks for sessions that completed. */
const CLOCK_POLL_MS = 2;

interface Params extends CommonParams {
  warmupSessions: number;
  toolCallsPerSession: number;
  cleanEndShare: number;
  /** Sessions in flight at once (each one's hooks arrive in order). */
  concurrency: number;
  outputBytes: number;
  /** Virtual time per session (the clock never runs slower than the wall). */
  virtualMsPerSession: number;
  /** 0: the sessions kept are judged by their growth only; N: also at most N at every sample. */
  sessionCap: number;
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: the daemon must accept the hook`);
}

async function sessions(run: ServiceRun, p: Params, clock: SessionClock, from: number, count: number, random: () => number): Promise<void> {
  const url = run.serviceUrl;
  const output = 'x'.repeat(p.outputBytes);
  let next = from;
  const end = from + count;
  const one = async (i: number) => {
    const sessionId = `ses_hook_${String(i).padStart(7, '0')}`;
    await post(url, '/hooks/session-start', { sessionId });
    for (let t = 0; t < p.toolCallsPerSession; t += 1) {
      await post(url, '/hooks/tool-after', {
        sessionId,
        tool: t % 2 ? 'read' : 'bash',
        callId: `call_${i}_${t}`,
        output: `${i}:${t}:${output}`,
      });
    }
    if (random() < p.cleanEndShare) await post(url, '/hooks/session-end', { sessionId });
  };
  while (next < end) {
    // One sampling interval at a time, `concurrency` sessions in flight, so samples are taken
    // between batches, with no request in flight.
    const batchStart = next;
    const batchEnd = Math.min(end, next + SAMPLE_EVERY_SESSIONS);
    let completed = 0;
    let timed = 0;
    let lanesDone = false;
    const lanes = Promise.all(
      Array.from({ length: p.concurrency }, async () => {
        while (next < batchEnd) {
          await one(next++);
          completed += 1;
        }
      }),
    ).finally(() => (lanesDone = true));
    lanes.catch(() => undefined); // surfaced by the await below
    // Time follows the sessions as they complete (one loop: advances never overlap), so the
    // sessions a daemon keeps at a sample are those of its TTL, not of a batch's clock step.
    while (!lanesDone || timed < completed) {
      if (completed > timed) {
        const n = completed - timed;
        timed += n;
        await clock.passed(n);
      } else {
        await Promise.race([lanes.catch(() => undefined), realDelay(CLOCK_POLL_MS)]);
      }
    }
    await lanes;
    await run.did('session', batchEnd - batchStart);
  }
}

function expectations(p: Params): Expectation[] {
  const capped = p.sessionCap > 0;
  return [
    capped
      ? expectCounterAtMost('service.sessions', p.sessionCap, `the daemon keeps at most ${p.sessionCap} sessions (its own count)`)
      : expectCounterBounded('service.sessions', 'sessions kept', 'the sessions the daemon keeps (its own count) stop growing'),
    expectCollectionsBounded(capped ? { atMost: p.sessionCap } : {}),
    expectHeapBounded({ minBytesPerUnit: 64 }),
  ];
}

export default defineScenario<Params>({
  name: 'leak-hook-daemon',
  summary:
    'Hook daemon keeps per-session state until session-end, which an unclean exit never sends (pattern 4, daemon side; any language via --command)',
  kind: 'service',
  defaultTarget: 'fixtures/targets/hook-daemon/fixed.ts',
  unit: 'session',
  params: {
    sessions: 3000,
    seed: 1,
    warmupSessions: 600,
    toolCallsPerSession: 5,
    cleanEndShare: 0.2,
    concurrency: 8,
    outputBytes: 1500,
    virtualMsPerSession: DEFAULTS.serviceVirtualMsPerSession,
    sessionCap: 0,
  },
  sampleEveryUnits: SAMPLE_EVERY_SESSIONS,
  warmup: (p) => ({ sessions: p.warmupSessions }),
  work(run, p) {
    const random = mulberry32(p.seed);
    const clock = sessionClock(run, p.virtualMsPerSession);
    return (n, from) => sessions(run, p, clock, from, n, random);
  },
  expect: expectations,
});
