// A soak of the real OpenCode server itself (`--opencode real`): a few hundred sessions, each
// built to a history of 200 messages, and what the server's RSS (from /proc: a Bun process has no
// V8 inspector) does per session. Most user messages are sent with `noReply: true` (the server
// stores them and calls no model: ~60 ms instead of ~70-250 ms), plus a few turns per session
// with a real reply from the fake LLM; bench/soak-opencode.ts measures whether that is
// representative (RSS per message of a history of real replies vs of noReply messages).
// Sessions are kept (not deleted): the question is what the server holds per stored session.
// Unit of work: 'session' (of messagesPerSession messages each); per message = per session / 200.
// Phases: warmup (the server's first prompts allocate ~200 MB), soak (judged), idle (no requests
// for idleMs, then one sample: does the server give memory back?).
//
//   npm run scenario soak-opencode -- --opencode real                   (200 sessions x 200 messages: ~40 min here)
//   npm run scenario soak-opencode -- --opencode real --sessions 40 --param messagesPerSession=50
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { defineScenario, type CommonParams } from '../harness/scenario/define.ts';
import { expectRssBounded } from '../harness/scenario/expect.ts';
import { runSessionLives, type SessionLifePlan } from '../harness/opencode-real/soak.ts';

interface Params extends CommonParams {
  messagesPerSession: number;
  repliesPerSession: number;
  userTextBytes: number;
  warmupSessions: number;
  concurrency: number;
  idleMs: number;
}

export default defineScenario<Params>({
  name: 'soak-opencode',
  summary: "The real opencode serve's own RSS over 200 sessions of 200 messages each, per session and per message (needs --opencode real).",
  kind: 'opencode',
  defaultTarget: 'opencode serve',
  unit: 'session',
  params: {
    sessions: 200,
    seed: 1,
    messagesPerSession: 200,
    repliesPerSession: 3,
    userTextBytes: 400,
    warmupSessions: 8,
    concurrency: 4,
    idleMs: 30_000,
  },
  sampleEveryUnits: 4,
  verdictPhases: ['soak'],
  async workload(run, p) {
    // The runner starts an 'opencode' scenario on the real server only (--opencode real).
    const client = createOpencodeClient({ baseUrl: run.backend.url });
    const plan: SessionLifePlan = {
      messagesPerSession: p.messagesPerSession,
      repliesPerSession: p.repliesPerSession,
      userTextBytes: p.userTextBytes,
    };
    // Counting is serialised: four session lives end at their own pace, and a sample must see
    // each count once.
    let counting = Promise.resolve();
    const count = (unit: 'session' | 'message', n: number) => (counting = counting.then(() => run.did(unit, n)));
    const lives = (from: number, n: number) =>
      runSessionLives(
        client,
        from,
        n,
        plan,
        p.concurrency,
        () => count('session', 1),
        (added) => void count('message', added),
      ).then(() => counting);
    run.phase('warmup');
    await lives(0, p.warmupSessions);
    run.phase('soak');
    await lives(p.warmupSessions, p.sessions);
    await run.sample();
    run.phase('idle');
    await new Promise((resolve) => setTimeout(resolve, p.idleMs));
    await run.sample();
  },
  // Growth below 64 KB per session (~330 B per stored message) is not called a leak.
  expect: [expectRssBounded({ minBytesPerUnit: 64 * 1024 })],
});
