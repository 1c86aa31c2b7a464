// What the load sends: a profile is a sequence of autocannon requests that every connection cycles
// through, with bodies built per request (setupRequest) so session ids churn as in production.
//   hooks        OpenCode's plugin calling a daemon's hook endpoints back:
//                POST /hooks/{session-start|tool-after|session-end} { sessionID } from the rotating pool.
//   daemon       hooks, plus the daemon's own pipeline jobs (POST /work/{extract|summarize}), for which
//                it prompts its own sessions on the mock OpenCode; every few jobs the mock rejects a
//                prompt (422 on `format`, 404, 410, unknown agent), so the daemon rotates to a new
//                session; and a tool-after hook for the session the job used (a bypassed one).
//   opencode-api an OpenCode-compatible server: create a session, prompt it, read it back, then
//                delete it (a share of sessions) or abandon it.
import type { OpenCodeBackend } from '../opencode/backend.ts';
import type { FaultKind } from '../opencode/faults.ts';
import type { CannonRequest } from './cannon.ts';
import { SessionPool } from './session-pool.ts';

export const PROFILES = ['hooks', 'daemon', 'opencode-api'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface ProfileOptions {
  sessions: number;
  newSessionEveryRequests: number;
  cleanEndShare: number;
  workEveryRequests: number;
  rotateEveryJobs: number;
  seed: number;
}

export interface Profile {
  name: ProfileName;
  /** One line for reports. */
  description: string;
  requests: CannonRequest[];
  /** What the profile did so far, exact (ids introduced, jobs, faults injected). */
  counts(): Record<string, number>;
  /**
   * Non-2xx answers the load plans so far, per request kind (CannonRequest.name): every other
   * non-2xx answer, timeout or reset is an unexpected error (harness/load/errors.ts).
   */
  plannedFailures(): Record<string, number>;
  /** What the planned failures are, for reports ("one failed job per injected rotation fault"). */
  plannedText: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
/** Faults that make the bypass daemon rotate at once; malformed-200 would poll for 20 s of virtual time. */
const ROTATION_FAULTS: readonly FaultKind[] = ['422-format', '404', '410', 'unknown-agent'];

function hookRequest(pool: SessionPool): CannonRequest {
  return {
    name: 'hook',
    method: 'POST',
    headers: JSON_HEADERS,
    setupRequest: (req) => {
      const call = pool.next();
      return { ...req, path: `/hooks/${call.hook}`, body: JSON.stringify({ sessionID: call.sessionID }) };
    },
  };
}

function hooksProfile(o: ProfileOptions): Profile {
  const pool = new SessionPool({
    size: o.sessions,
    newSessionEveryRequests: o.newSessionEveryRequests,
    cleanEndShare: o.cleanEndShare,
    seed: o.seed,
  });
  return {
    name: 'hooks',
    description: `hook requests over a pool of ${o.sessions} sessions, a new session every ${o.newSessionEveryRequests} requests`,
    requests: [hookRequest(pool)],
    counts: () => ({ sessionsCreated: pool.counts().created, sessionsRetired: pool.counts().retired }),
    // A hook of a session the daemon never saw (or already forgot) is still a hook to accept.
    plannedFailures: () => ({}),
    plannedText: 'none: every hook must be accepted',
  };
}

function daemonProfile(o: ProfileOptions, backend: OpenCodeBackend | undefined): Profile {
  if (!backend) throw new Error('the daemon load profile needs the mock OpenCode');
  const pool = new SessionPool({
    size: o.sessions,
    newSessionEveryRequests: o.newSessionEveryRequests,
    cleanEndShare: o.cleanEndShare,
    seed: o.seed,
  });
  let jobs = 0;
  let faults = 0;
  const work: CannonRequest = {
    name: 'work',
    method: 'POST',
    headers: JSON_HEADERS,
    setupRequest: (req) => {
      jobs += 1;
      if (jobs % o.rotateEveryJobs === 0) {
        // The next prompt of any session fails once: the daemon abandons that session for a new one.
        backend.faults.add({ kind: ROTATION_FAULTS[faults % ROTATION_FAULTS.length]!, route: 'session.prompt', times: 1 });
        faults += 1;
      }
      return { ...req, path: `/work/${jobs % 2 === 0 ? 'summarize' : 'extract'}`, body: JSON.stringify({ text: `document ${jobs}` }) };
    },
    onResponse: (status, body, context) => {
      if (status !== 200) return;
      try {
        context.daemonSession = (JSON.parse(body) as { sessionID?: unknown }).sessionID;
      } catch {
        // a broken body counts as what it is (the status is already recorded)
      }
    },
  };
  const userHook = hookRequest(pool);
  // OpenCode calls the daemon back for the daemon's own session too: a bypassed session's hook.
  const ownHook: CannonRequest = {
    name: 'hook',
    method: 'POST',
    headers: JSON_HEADERS,
    setupRequest: (req, context) =>
      typeof context.daemonSession === 'string'
        ? { ...req, path: '/hooks/tool-after', body: JSON.stringify({ sessionID: context.daemonSession }) }
        : userHook.setupRequest!(req, context),
  };
  const hooksPerJob = Math.max(0, o.workEveryRequests - 2);
  return {
    name: 'daemon',
    description:
      `hook requests over a pool of ${o.sessions} sessions (a new one every ${o.newSessionEveryRequests} hook requests), ` +
      `a pipeline job every ${o.workEveryRequests} requests, a rotation fault every ${o.rotateEveryJobs} jobs`,
    requests: [...Array.from({ length: hooksPerJob }, () => userHook), work, ownHook],
    counts: () => ({ sessionsCreated: pool.counts().created, sessionsRetired: pool.counts().retired, jobs, rotationFaults: faults }),
    // A daemon may give up the one job whose prompt the mock rejected (one fault is consumed by one
    // prompt); a daemon that rotates, as the reference does, answers it with 200 all the same.
    plannedFailures: () => ({ work: faults }),
    plannedText: 'at most one failed job per rotation fault the mock injected',
  };
}

function opencodeApiProfile(o: ProfileOptions): Profile {
  let created = 0;
  let deleted = 0;
  const deleteEvery = Math.max(1, Math.round(1 / Math.max(o.cleanEndShare, 1e-9)));
  const id = (context: Record<string, unknown>) => String(context.id);
  return {
    name: 'opencode-api',
    description: `OpenCode API: create, prompt, read a session; ${Math.round(o.cleanEndShare * 100)} % deleted, the rest abandoned`,
    requests: [
      {
        name: 'session.create',
        method: 'POST',
        path: '/session',
        headers: JSON_HEADERS,
        body: JSON.stringify({ title: 'load' }),
        onResponse: (status, body, context) => {
          if (status !== 200) return;
          created += 1;
          context.id = (JSON.parse(body) as { id: string }).id;
          context.n = created;
        },
      },
      {
        name: 'session.prompt',
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ parts: [{ type: 'text', text: 'load: one turn' }] }),
        setupRequest: (req, context) => ({ ...req, path: `/session/${id(context)}/message` }),
      },
      { name: 'session.get', method: 'GET', setupRequest: (req, context) => ({ ...req, path: `/session/${id(context)}` }) },
      {
        name: 'session.messages or delete',
        setupRequest: (req, context) => {
          if (Number(context.n) % deleteEvery === 0) {
            deleted += 1;
            return { ...req, method: 'DELETE', path: `/session/${id(context)}` };
          }
          return { ...req, method: 'GET', path: `/session/${id(context)}/message` };
        },
      },
    ],
    counts: () => ({ sessionsCreated: created, sessionsDeleted: deleted }),
    plannedFailures: () => ({}),
    plannedText: 'none: every call of the OpenCode API must succeed',
  };
}

export function createProfile(name: ProfileName, o: ProfileOptions, backend?: OpenCodeBackend): Profile {
  switch (name) {
    case 'hooks':
      return hooksProfile(o);
    case 'daemon':
      return daemonProfile(o, backend);
    case 'opencode-api':
      return opencodeApiProfile(o);
  }
}

/** Profiles whose target may talk to an OpenCode of its own (a hook daemon's provider): the harness starts the mock and passes opencodeUrl. */
export const WITH_MOCK_OPENCODE: Record<ProfileName, boolean> = { hooks: true, daemon: true, 'opencode-api': false };
