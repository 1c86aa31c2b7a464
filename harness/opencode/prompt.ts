// A prompt, as the real server runs it: store the user message, go busy, ask the (fake) LLM with
// the conversation so far, store the reply, go idle; publishing the bus events in the real order
// (measured on opencode serve 1.18.33, test/opencode/parity.test.ts): message.updated (user),
// message.part.updated, session.updated, session.status busy, message.updated (assistant), parts
// (step-start, tools, text + delta, step-finish), message.updated (completed), session.status
// idle, session.idle, session.updated. (The real server also repeats some of them and adds
// session.diff; the mock sends each once.)
import type { InflightPrompt, MockCore } from './core.ts';
import type { FaultSpec } from './faults.ts';
import { ConnectionDropped } from './responses.ts';
import type { ChatMessage } from './llm.ts';
import { assistantInfo, completeReply, type ReplyContext, type ReplyShape } from './reply.ts';
import type { SessionRecord } from './state.ts';
import type {
  AssistantMessageInfo,
  CompactionPart,
  MessageWithParts,
  Part,
  SessionInfo,
  TextPart,
  UserMessageInfo,
  V2,
} from './types.ts';

/** The body of POST /session/{id}/message and /prompt_async (v1 and v2 agree on it). */
export type PromptBody = NonNullable<V2.SessionPromptData['body']>;

/** The short system prompt the mock "sends" its fake LLM (the real one is ~9.6 KB). */
const SYSTEM_PROMPT = 'You are opencode (churnlab mock). Answer the user.';

/** Why a prompt stopped early: the user aborted, or the server "restarted" under it. */
type StopReason = 'abort' | 'restart';

export function replyContext(core: MockCore, directory: string): ReplyContext {
  return { ids: core.ids, rng: core.rng, filler: core.filler, now: core.now, directory };
}

/** The conversation as the LLM sees it: system, then the text of every message, oldest first. */
export function contextMessages(history: readonly MessageWithParts[]): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }];
  for (const message of history) {
    let text = '';
    for (const part of message.parts) if (part.type === 'text') text += part.text;
    if (text.length > 0) messages.push({ role: message.info.role, content: text });
  }
  return messages;
}

export interface PromptOptions {
  /** A latency or malformed-200 fault the route handed over. */
  fault?: Readonly<FaultSpec> | undefined;
}

export async function runPrompt(
  core: MockCore,
  rec: SessionRecord,
  body: PromptBody,
  opts: PromptOptions = {},
): Promise<MessageWithParts> {
  const { bus, state } = core;
  const session = rec.info;
  const sessionID = session.id;
  const dir = session.directory;
  const shape: ReplyShape = body.model ? { ...core.shape, ...body.model } : core.shape;
  const agent = body.agent ?? 'build';

  // 1. The user message, stored at once (the real server persists it before calling the model).
  const text = body.parts
    .map((p) => (p.type === 'text' ? p.text : ''))
    .filter((t) => t.length > 0)
    .join('\n');
  const user = state.userMessage(sessionID, text, shape, {
    agent,
    ...(body.messageID !== undefined ? { id: body.messageID } : {}),
    ...(body.format !== undefined ? { format: body.format } : {}),
    ...(body.system !== undefined ? { system: body.system } : {}),
    ...(body.tools !== undefined ? { tools: body.tools } : {}),
  });
  state.append(sessionID, user);
  session.agent = agent;
  session.model = { id: shape.modelID, providerID: shape.providerID, variant: 'default' };
  session.time.updated = core.now();
  // Read the clock whether or not anyone listens: with an injected clock, listeners must not
  // change the times (and so the ids) of what follows.
  const partTime = core.now();
  if (bus.active) {
    // The real server's order (1.18.33, measured): the user message, its parts, then the session.
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info: user.info } });
    for (const part of user.parts) bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part, time: partTime } });
    bus.publish(dir, { type: 'session.updated', properties: { sessionID, info: session } });
  }
  if (body.noReply) return user;

  // 2. Busy, and the assistant message appears (not completed yet).
  const controller = new AbortController();
  const c = replyContext(core, dir);
  const info = assistantInfo(c, sessionID, user.info, shape, core.now());
  const live: MessageWithParts<AssistantMessageInfo> = { info, parts: [] };
  const inflight: InflightPrompt = {
    abort: () => controller.abort('abort'),
    // Synchronous, so restart() can snapshot the state exactly as the "crash" left it.
    crash: () => {
      if (controller.signal.aborted) return;
      unfinished(core, rec, live, false);
      controller.abort('restart');
    },
  };
  core.inflight.set(sessionID, inflight);
  state.setStatus(sessionID, 'busy');
  bus.publish(dir, { type: 'session.status', properties: { sessionID, status: { type: 'busy' } } });
  state.append(sessionID, live);
  bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });

  let completed = false;
  try {
    // 3. The model: same fake LLM as POST /v1/chat/completions, fed the conversation so far.
    // The live assistant message has no text yet, so contextMessages leaves it out.
    const result = core.llm.complete({
      source: 'mock',
      model: shape.modelID,
      stream: false,
      messages: contextMessages(rec.messages),
      tools: 0,
      sessionID,
    });
    const latency = opts.fault?.kind === 'latency' ? (opts.fault.latencyMs ?? 1000) : 0;
    if (latency > 0) {
      const stop = await waitOrStop(latency, controller.signal);
      if (stop !== undefined) return stopped(core, rec, live, result.text, stop);
    }
    if (opts.fault?.kind === 'malformed-200') return unfinished(core, rec, live, true);

    // 4. The finished reply.
    const done = completeReply(c, info, result.text, shape, result.inputChars);
    live.parts = done.parts;
    const eventTime = core.now();
    if (bus.active) publishParts(core, dir, sessionID, done.parts, eventTime);
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
    addTokens(session, info, core.now());
    completed = true;
    return live;
  } finally {
    if (core.inflight.get(sessionID) === inflight) core.inflight.delete(sessionID);
    if (state.record(sessionID) === rec && controller.signal.reason !== 'restart') {
      state.setStatus(sessionID, 'idle');
      bus.publish(dir, { type: 'session.status', properties: { sessionID, status: { type: 'idle' } } });
      bus.publish(dir, { type: 'session.idle', properties: { sessionID } });
      // The real server publishes the session's new totals after it went idle.
      if (completed) bus.publish(dir, { type: 'session.updated', properties: { sessionID, info: session } });
    }
  }
}

function publishParts(core: MockCore, dir: string, sessionID: string, parts: readonly Part[], time: number): void {
  const { bus } = core;
  for (const part of parts) {
    if (part.type === 'tool' && part.state.status === 'completed') {
      const { input, time: t, title } = part.state;
      bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part: { ...part, state: { status: 'pending', input, raw: '' } }, time } });
      bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part: { ...part, state: { status: 'running', input, title, time: { start: t.start } } }, time } });
    }
    if (part.type === 'text') {
      const start: TextPart = { ...part, text: '', time: { start: part.time?.start ?? time } };
      bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part: start, time } });
      bus.publish(dir, { type: 'message.part.delta', properties: { sessionID, messageID: part.messageID, partID: part.id, field: 'text', delta: part.text } });
    }
    bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part, time } });
  }
}

function addTokens(session: SessionInfo, info: AssistantMessageInfo, now: number): void {
  const t = session.tokens;
  t.input += info.tokens.input;
  t.output += info.tokens.output;
  session.time.updated = now;
}

function waitOrStop(ms: number, signal: AbortSignal): Promise<StopReason | undefined> {
  if (signal.aborted) return Promise.resolve(signal.reason as StopReason);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(signal.reason as StopReason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(undefined);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * session.abort mid-reply: like samples/aborted.assistant.message.json: completed, error
 * MessageAbortedError, partial text kept; session.error is published. restart(): the reply stays
 * as the crash left it (samples/killed-midstream: no completed, empty text) and the caller's
 * connection drops.
 */
function stopped(core: MockCore, rec: SessionRecord, live: MessageWithParts<AssistantMessageInfo>, text: string, reason: StopReason): MessageWithParts {
  // The crash already left the reply unfinished; the caller gets no answer at all.
  if (reason === 'restart') throw new ConnectionDropped('server restarted');
  const { bus } = core;
  const info = live.info;
  const sessionID = info.sessionID;
  const dir = rec.info.directory;
  const now = core.now();
  const ids = core.ids;
  const error = { name: 'MessageAbortedError', data: { message: 'Aborted' } } as const;
  live.parts = [
    { id: ids.ascending('prt'), sessionID, messageID: info.id, type: 'step-start' },
    { id: ids.ascending('prt'), sessionID, messageID: info.id, type: 'text', text: text.slice(0, Math.ceil(text.length / 2)), time: { start: now, end: now } },
  ];
  info.error = error;
  info.time.completed = now;
  // Deleted while answering: nobody is left to tell.
  if (bus.active && core.state.record(sessionID) === rec) {
    for (const part of live.parts) bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part, time: now } });
    bus.publish(dir, { type: 'session.error', properties: { sessionID, error } });
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
  }
  return live;
}

/** The reply as a killed server leaves it: step-start and an empty text part, never completed. */
function unfinished(core: MockCore, rec: SessionRecord, live: MessageWithParts<AssistantMessageInfo>, publish: boolean): MessageWithParts {
  const info = live.info;
  const now = core.now();
  const ids = core.ids;
  live.parts = [
    { id: ids.ascending('prt'), sessionID: info.sessionID, messageID: info.id, type: 'step-start' },
    { id: ids.ascending('prt'), sessionID: info.sessionID, messageID: info.id, type: 'text', text: '', time: { start: now } },
  ];
  if (publish && core.bus.active) {
    const dir = rec.info.directory;
    for (const part of live.parts) core.bus.publish(dir, { type: 'message.part.updated', properties: { sessionID: info.sessionID, part, time: now } });
    core.bus.publish(dir, { type: 'message.updated', properties: { sessionID: info.sessionID, info } });
  }
  return live;
}

/** Summarize (compaction): an assistant `summary: true` message from the fake LLM, then session.compacted. */
export function runSummarize(core: MockCore, rec: SessionRecord, model: { providerID: string; modelID: string } | undefined): void {
  const { bus } = core;
  const session = rec.info;
  const sessionID = session.id;
  const dir = session.directory;
  const shape: ReplyShape = { ...core.shape, ...(model ?? {}), toolCallsPerMessage: 0 };
  const history = rec.messages;
  const llmMessages: ChatMessage[] = [...contextMessages(history), { role: 'user', content: 'Summarize the conversation so far.' }];
  // As the real server (1.18.33, measured): a user message whose only part marks the compaction,
  // then the summary as its reply, by the 'compaction' agent.
  const marker = core.state.userMessage(sessionID, '', shape);
  const markerPart: CompactionPart = { id: marker.parts[0]!.id, sessionID, messageID: marker.info.id, type: 'compaction', auto: false };
  marker.parts = [markerPart];
  core.state.append(sessionID, marker);
  const result = core.llm.complete({
    source: 'mock',
    model: shape.modelID,
    stream: false,
    messages: llmMessages,
    tools: 0,
    sessionID,
  });
  const c = replyContext(core, dir);
  const info = assistantInfo(c, sessionID, marker.info, shape, core.now());
  info.summary = true;
  info.mode = 'compaction';
  info.agent = 'compaction';
  const done = completeReply(c, info, result.text, shape, result.inputChars);
  core.state.append(sessionID, done);
  session.time.updated = core.now();
  const eventTime = core.now();
  if (bus.active) {
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info: marker.info } });
    bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part: markerPart, time: eventTime } });
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
    publishParts(core, dir, sessionID, done.parts, eventTime);
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
    bus.publish(dir, { type: 'session.compacted', properties: { sessionID } });
    bus.publish(dir, { type: 'session.idle', properties: { sessionID } });
  }
}
