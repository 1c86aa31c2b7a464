// Seed leak 1 (docs/seed-leaks.md): a daemon with an OpenCode provider marks its own sessions
// "bypassed" so that OpenCode's hooks for them skip the expensive recall. The provider rotates
// its session (new id) on a 422 rejecting structured output, 404/410, an unknown agent, and a 200
// without usable text (after polling 250 ms x 20 s). Before the fix every rotation leaves a bypass
// entry behind for good; after it, entries expire 4 h after their last use.
//
// The workload, per cycle, over real HTTP from the harness to the daemon inside the target:
//   - one pipeline job: POST /work/extract and POST /work/summarize (the daemon prompts its own two
//     sessions on the mock OpenCode with the real SDK);
//   - the hooks OpenCode's plugin sends back for the daemon's sessions (session-start for a new id,
//     tool-after for both live ids) and a LATE tool-after for a recently rotated-away id;
//   - every USER_SESSION_EVERY cycles a user's session starts (session-start, tool-after); the
//     previous one ends with session-end or, one in two, vanishes;
//   - every ROTATE_EVERY cycles a rotation fault on the summarize session (422-format, 404, 410,
//     unknown-agent, malformed-200 in turn), injected through run.opencode.faults. The extract
//     session is never faulted: it lives the whole run, so a fix that does not refresh the TTL on
//     reuse would let its hooks fall through to recall after 4 h (service.expensivePathForBypassed).
//   - virtual time: VIRTUAL_MS_PER_CYCLE per cycle (the 20 s polls of a malformed reply count in
//     it), so the 1000 cycles of the main phase span 24 h, six times the 4 h TTL.
//
// Unit of work: 'cycle' (one pipeline job). Bypass entries are created by the provider's jobs
// (one per rotation, a fixed share of jobs), not by hook requests, whose number per job is a
// choice of this workload; per cycle, "+0.2 entries per cycle" reads as "one leaked entry per
// 5 jobs", the rotation rate.
//
// The NaN-TTL case (`ttlMs: 'NaN'`, the string a daemon's config parser turns into NaN) is the
// scenario leak-bypass-nan-ttl (scenarios/leak-bypass-nan-ttl.ts), the same workload.
import { setTimeout as realDelay } from 'node:timers/promises';
import type { FaultKind } from '../harness/opencode/faults.ts';
import type { ServiceWithOpenCodeRun } from '../harness/scenario/context.ts';
import { defineScenario, type CommonParams, type Step } from '../harness/scenario/define.ts';
import { expectCollectionsBounded, expectCounterAtMost, expectHeapBounded, type Expectation } from '../harness/scenario/expect.ts';

/** The fixed daemon's TTL and sweep period (fixtures/targets/bypass-rotation/shared.ts). */
const TTL_MS = 4 * 60 * 60 * 1000;
const SWEEP_MS = 15 * 60 * 1000;
const POLL_EVERY_MS = 250;
/** Main phase: 1000 cycles x 86.4 s = 24 h of virtual uptime. */
const CHURN_CYCLES = 1000;
const VIRTUAL_MS_PER_CYCLE = 86_400;
/** How long a hook may wait for the daemon on the real OpenCode before the run gives up. */
const REAL_WAIT_MS = 60_000;
/** One rotation fault every this many cycles: one rotation per 432 s of virtual time. */
const ROTATE_EVERY = 5;
const USER_SESSION_EVERY = 5;
/** Sessions the daemon uses at any time (extract, summarize). */
const LIVE_SESSIONS = 2;
/**
 * The reference daemon's cap, from this scenario's rates and its 4 h TTL and 15 min sweep: a
 * rotated id keeps its bypass entry for the TTL after its last use plus up to one sweep period, so at most ceil((4 h + 15 min) / 432 s) = 36 rotated
 * ids are bypassed at once, plus the 2 live sessions = 38. Claims of vanished user sessions stay
 * well under it (one user session per 5 cycles, half vanish: ~18 per window). 3 entries of slack
 * for a cycle's time granularity: 41. The leaky daemon passes it after ~100 cycles of the main
 * phase and ends near 225 (one entry per rotation, 225 rotations). A daemon with another TTL is
 * judged by the growth of its collections; the reference's gate entries hold it to this count
 * (`bypassEntriesAtMost`).
 */
export const BYPASS_AT_MOST = Math.ceil((TTL_MS + SWEEP_MS) / (ROTATE_EVERY * VIRTUAL_MS_PER_CYCLE)) + LIVE_SESSIONS + 3;

const ROTATION_FAULTS: readonly FaultKind[] = ['422-format', '404', '410', 'unknown-agent', 'malformed-200'];

export interface BypassParams extends CommonParams {
  warmupCycles: number;
  /** Virtual time per cycle (the clock never runs slower than the wall). */
  virtualMsPerCycle: number;
  /** 0: collections are judged by their growth only; N: also at most N entries (the reference: BYPASS_AT_MOST). */
  bypassEntriesAtMost: number;
  rotateEvery: number;
  userSessionEvery: number;
}

interface WorkAnswer {
  sessionID: string;
  text: string;
  rotated: number;
}

/** One cycle per unit of work; the state the cycles share (live ids, rotations) lives for the run. */
export function bypassRotationWork(run: ServiceWithOpenCodeRun, p: BypassParams): Step {
  const base = run.serviceUrl;
  // Only faults are used: the same FaultSpecs work on the mock and, through its proxy, the real server.
  const mock = run.backend;

  /** Virtual time this cycle already passed while waiting on the daemon's poll timers. */
  let advancedThisCycle = 0;

  /**
   * POST to the daemon. The daemon's timers (the 250 ms polls) run on the virtual clock, which
   * only moves when the harness advances it: when an answer does not come within a few ms of real
   * time, pass virtual time in POLL_EVERY_MS steps until it does (bounded: 200 steps = 50 s, and
   * on the real server, whose prompts take real time, also a minute of wall clock).
   */
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    let settled = false;
    const answer = fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (res) => {
      const json = (await res.json()) as T & { error?: string };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${json.error ?? ''}`);
      return json;
    });
    answer.then(
      () => (settled = true),
      () => (settled = true),
    );
    await Promise.race([answer.catch(() => undefined), realDelay(20)]);
    const real = run.backend?.mode === 'real';
    const waitStartedMs = Date.now();
    for (let step = 0; !settled; step += 1) {
      if (step >= 200 && (!real || Date.now() - waitStartedMs > REAL_WAIT_MS)) {
        throw new Error(
          `${path}: no answer after ${(step * POLL_EVERY_MS) / 1000} s of virtual time${real ? ` and ${REAL_WAIT_MS / 1000} s of real time` : ''}`,
        );
      }
      await run.advance(POLL_EVERY_MS);
      advancedThisCycle += POLL_EVERY_MS;
      // Let the daemon's poll reach the mock and be answered before time moves on again.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // The real server answers in real time (0.1-0.3 s a prompt): past the first steps, let real
      // time pass too, or a slow prompt would look like minutes of virtual silence.
      if (real && step >= 20) await realDelay(10);
    }
    return answer;
  };
  const hook = (name: 'session-start' | 'tool-after' | 'session-end', sessionID: string): Promise<unknown> =>
    post(`/hooks/${name}`, { sessionID });

  let cycle = 0;
  let summarizeID: string | undefined;
  let extractID: string | undefined;
  /** Recently rotated-away summarize sessions (the harness's own, bounded): late hooks go to them. */
  const rotatedAway: string[] = [];
  let userSession: string | undefined;
  let users = 0;
  let faults = 0;

  const oneCycle = async (): Promise<void> => {
    advancedThisCycle = 0;
    const cycleStartedMs = Date.now();
    if (cycle % p.rotateEvery === 0 && summarizeID) {
      const kind = ROTATION_FAULTS[faults % ROTATION_FAULTS.length]!;
      faults += 1;
      mock.faults.add({ kind, route: 'session.prompt', sessionID: summarizeID, times: 1 });
    }
    // The pipeline job.
    const extract = await post<WorkAnswer>('/work/extract', { text: `document ${cycle}` });
    const summary = await post<WorkAnswer>('/work/summarize', { text: `document ${cycle}` });
    // OpenCode's hooks for the daemon's own sessions: session-start for a new id, tool-after for both.
    if (extract.sessionID !== extractID) await hook('session-start', extract.sessionID);
    if (summary.sessionID !== summarizeID) {
      if (summarizeID) {
        rotatedAway.push(summarizeID);
        if (rotatedAway.length > 4) rotatedAway.shift();
      }
      await hook('session-start', summary.sessionID);
    }
    extractID = extract.sessionID;
    summarizeID = summary.sessionID;
    // A user's session now and then: claimed, never bypassed; one in two vanishes without an end.
    if (cycle % p.userSessionEvery === 0) {
      if (userSession && users % 2 === 0) await hook('session-end', userSession);
      users += 1;
      userSession = `ses_user${String(users).padStart(22, '0')}`;
      await hook('session-start', userSession);
    }
    // tool-after hooks arrive side by side, as from OpenCode's plugin: both live sessions, a LATE
    // one for an old rotated-away session (within its TTL: at most 4 rotations ago), the user's.
    const late = rotatedAway[cycle % Math.max(1, rotatedAway.length)];
    await Promise.all([extractID, summarizeID, late, userSession].flatMap((id) => (id ? [hook('tool-after', id)] : [])));
    cycle += 1;
    // Virtual time never runs slower than wall time (docs/architecture.md, "Time").
    const rest = Math.max(p.virtualMsPerCycle, Date.now() - cycleStartedMs) - advancedThisCycle;
    if (rest > 0) await run.advance(rest);
    await run.did('cycle', 1);
  };

  return async (n) => {
    for (let i = 0; i < n; i += 1) await oneCycle();
  };
}

export const bypassRotationParams: BypassParams = {
  /** Cycles (pipeline jobs) of the main phase: 24 h of virtual time. */
  sessions: CHURN_CYCLES,
  seed: 1,
  warmupCycles: 120,
  virtualMsPerCycle: VIRTUAL_MS_PER_CYCLE,
  bypassEntriesAtMost: 0,
  rotateEvery: ROTATE_EVERY,
  userSessionEvery: USER_SESSION_EVERY,
};

export const bypassRotationExpectations = (p: BypassParams): Expectation[] => [
  expectCollectionsBounded(p.bypassEntriesAtMost > 0 ? { atMost: p.bypassEntriesAtMost } : {}),
  // One leaked Set entry (a 30-character session id) is ~70 B per rotation, ~14 B per cycle: the
  // collection expectation catches that. The heap floor is for what a job would leave behind whole
  // (a prompt or a reply kept: hundreds of bytes per cycle), set above this HTTP daemon's scatter
  // (samples scatter by ~15 KB; at 64 B per cycle the leaky run's +44 B came out inconclusive).
  expectHeapBounded({ minBytesPerUnit: 128 }),
  expectCounterAtMost(
    'service.expensivePathForBypassed',
    0,
    'no hook for a session the daemon created and still uses takes the expensive recall path',
  ),
];

export default defineScenario<BypassParams>({
  name: 'leak-bypass-rotation',
  summary: 'A daemon that rotates its own OpenCode sessions must expire their bypass entries (TTL 4 h).',
  kind: 'service',
  mockOpenCode: true,
  defaultTarget: 'fixtures/targets/bypass-rotation/fixed.ts',
  unit: 'cycle',
  params: bypassRotationParams,
  sampleEveryUnits: 30,
  reply: { toolCallsPerMessage: 0, toolOutputBytes: 0, textBytes: 80 },
  serviceOptions: {},
  warmup: (p) => ({ sessions: p.warmupCycles }),
  work: bypassRotationWork,
  expect: bypassRotationExpectations,
});
