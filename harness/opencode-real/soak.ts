// A soak of an OpenCode server itself: many sessions with long histories, and what the server's
// RSS does per session and per message. A real reply costs ~70-250 ms here (the server runs the
// model loop, ~105 ms of its CPU); a `noReply: true` prompt only stores the user message
// (~60 ms), so most of a history is built with noReply and a few turns per session get real
// replies. The same life runs on the mock (fast) and on the real server.
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import type { SeriesPoint } from '../core/types.ts';
import { theilSen } from '../verdict/theil-sen.ts';

export interface SessionLifePlan {
  /** Messages in each session's history at the end (a real reply adds 2, a noReply prompt 1). */
  messagesPerSession: number;
  /** Turns with a real assistant reply, spread over the history. */
  repliesPerSession: number;
  /** Bytes of each user message's text. */
  userTextBytes: number;
}

export interface SessionLifeResult {
  sessionID: string;
  messages: number;
  replies: number;
}

type Client = ReturnType<typeof createOpencodeClient>;

const FILLER = 'Refactor the session store so that idle entries expire; keep the public API. ';
const userText = (i: number, bytes: number) =>
  `turn ${i}: ${FILLER.repeat(Math.ceil(bytes / FILLER.length))}`.slice(0, Math.max(bytes, 10));

/** Which user turns get a real reply: evenly spaced, the first turn always (it warms the session up). */
export function replyTurns(plan: SessionLifePlan): Set<number> {
  const replies = Math.max(0, Math.min(plan.repliesPerSession, Math.floor(plan.messagesPerSession / 2)));
  const turns = plan.messagesPerSession - replies; // each turn adds one user message; replies one more
  const out = new Set<number>();
  for (let k = 0; k < replies; k += 1) out.add(Math.floor((k * turns) / replies));
  return out;
}

function must<T>(what: string, r: { data?: T; error?: unknown; response?: Response }): T {
  if (r.error !== undefined || r.data === undefined)
    throw new Error(`${what} failed (${r.response?.status ?? 'no response'}): ${JSON.stringify(r.error)?.slice(0, 300)}`);
  return r.data;
}

/** One session's life: create it, then build its history to messagesPerSession messages. */
export async function runSessionLife(
  client: Client,
  index: number,
  plan: SessionLifePlan,
  onMessages?: (added: number) => void,
): Promise<SessionLifeResult> {
  const session = must('session.create', await client.session.create({ title: `soak ${index}` }));
  const replies = replyTurns(plan);
  const turns = plan.messagesPerSession - replies.size;
  let messages = 0;
  for (let t = 0; t < turns; t += 1) {
    const parts = [{ type: 'text' as const, text: userText(t, plan.userTextBytes) }];
    const reply = replies.has(t);
    const res = must('session.prompt', await client.session.prompt({ sessionID: session.id, parts, ...(reply ? {} : { noReply: true }) }));
    if (reply && res.info.role !== 'assistant')
      throw new Error(`session ${session.id}: a prompt without noReply got a ${res.info.role} message back`);
    messages += reply ? 2 : 1;
    onMessages?.(reply ? 2 : 1);
  }
  return { sessionID: session.id, messages, replies: replies.size };
}

/** Run `count` session lives, `concurrency` at a time; `after` sees each as it ends. */
export async function runSessionLives(
  client: Client,
  from: number,
  count: number,
  plan: SessionLifePlan,
  concurrency: number,
  after: (result: SessionLifeResult) => Promise<void> | void,
  onMessages?: (added: number) => void,
): Promise<void> {
  let next = from;
  const end = from + count;
  const worker = async () => {
    while (next < end) {
      const index = next;
      next += 1;
      await after(await runSessionLife(client, index, plan, onMessages));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}

export interface RssSample {
  phase: string;
  sessions: number;
  messages: number;
  rssBytes: number;
  wallMs: number;
}

export interface RateFigure {
  /** Theil-Sen slope, bytes per unit, with its 95 % interval. */
  bytesPerUnit: number;
  lower: number;
  upper: number;
  points: number;
}

function rate(points: SeriesPoint[]): RateFigure | undefined {
  const fit = theilSen(points);
  return fit === undefined ? undefined : { bytesPerUnit: fit.slope, lower: fit.lower, upper: fit.upper, points: fit.n };
}

export interface SoakFigures {
  /** RSS before any session (server idle after start). */
  idleStartBytes: number | undefined;
  /** Largest RSS seen. */
  peakBytes: number;
  /** RSS at the end of the idle phase (after the work). */
  idleEndBytes: number | undefined;
  /** Growth per session and per message over a phase's samples. */
  perSession: RateFigure | undefined;
  perMessage: RateFigure | undefined;
}

/** Figures of one phase (its samples only), plus the idle levels around it. */
export function soakFigures(samples: readonly RssSample[], phase: string): SoakFigures {
  const inPhase = samples.filter((s) => s.phase === phase);
  const idleStart = samples.find((s) => s.phase === 'idle-start');
  const idleEnd = [...samples].reverse().find((s) => s.phase === 'idle-end');
  return {
    idleStartBytes: idleStart?.rssBytes,
    peakBytes: Math.max(0, ...samples.map((s) => s.rssBytes)),
    idleEndBytes: idleEnd?.rssBytes,
    perSession: rate(inPhase.map((s) => ({ x: s.sessions, y: s.rssBytes }))),
    perMessage: rate(inPhase.map((s) => ({ x: s.messages, y: s.rssBytes }))),
  };
}
