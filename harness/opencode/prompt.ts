// A prompt, as the real server runs it: store the user message, go busy, ask the (fake) LLM with
// the conversation so far, store the reply, go idle; publishing the bus events in the real order
// (measured on opencode serve 1.18.33, test/opencode/parity.test.ts), repeats included:
//   [session.updated when the agent or model changes (a session's first prompt)]
//   message.updated (user), message.part.updated per text part, session.updated,
//   session.status busy, message.updated (assistant), session.updated + session.diff,
//   [the instance's start-up notices, first time in a directory], session.status busy,
//   parts (step-start, tools, text + one delta per streamed piece, step-finish),
//   message.updated (completed) twice, session.status busy, session.status idle, session.idle,
//   session.updated + session.diff.
// An abort: session.error, idle + session.idle (the abort route), message.updated with the error,
// idle + session.idle. Summarize: see runSummarize.
import type { InflightPrompt, MockCore } from './core.ts';
import type { FaultSpec } from './faults.ts';
import { ConnectionDropped } from './responses.ts';
import { promptContext, summaryRequest } from './compaction.ts';
import type { ChatMessage } from './llm.ts';
import { bootInstance, busy, diffComputed, sessionUpdated, storedMessage, streamedParts, wentIdle } from './publish.ts';
import { assistantInfo, completeReply, type ReplyContext, type ReplyShape } from './reply.ts';
import type { SessionRecord } from './state.ts';
import type { AssistantMessageInfo, CompactionPart, MessageWithParts, SessionInfo, UserMessageInfo, V2 } from './types.ts';
import { CHURNLAB_BODY_KEY, MOCK_SYSTEM_PROMPT, type LlmOverride } from './llm-context.ts';

/** The body of POST /session/{id}/message and /prompt_async (v1 and v2 agree on it). */
export type PromptBody = NonNullable<V2.SessionPromptData['body']>;

const SYSTEM_PROMPT = MOCK_SYSTEM_PROMPT;

/** Why a prompt stopped early: the user aborted, or the server "restarted" under it. */
type StopReason = 'abort' | 'restart';

export function replyContext(core: MockCore, directory: string): ReplyContext {
  return { ids: core.ids, rng: core.rng, filler: core.filler, now: core.now, directory };
}

/** The conversation as the LLM sees it: system, then the history since the last compaction. */
export function contextMessages(history: readonly MessageWithParts[]): ChatMessage[] {
  return promptContext(SYSTEM_PROMPT, history);
}

/**
 * The model context of a prompt: the stored history, or what a churnlab plugin host's
 * messages.transform and system.transform made of it (sent with the prompt, llm-context.ts).
 */
export function overriddenContext(history: readonly MessageWithParts[], override: LlmOverride | undefined): ChatMessage[] {
  const messages = override?.messages
    ? promptContext(SYSTEM_PROMPT, override.messages as unknown as MessageWithParts[])
    : contextMessages(history);
  if (!override?.system) return messages;
  return [...override.system.map((content): ChatMessage => ({ role: 'system', content })), ...messages.slice(1)];
}

export function overrideOf(body: object): LlmOverride | undefined {
  const value = (body as Record<string, unknown>)[CHURNLAB_BODY_KEY];
  return value !== null && typeof value === 'object' ? (value as LlmOverride) : undefined;
}

export interface PromptOptions {
  /** A latency or malformed-200 fault the route handed over. */
  fault?: Readonly<FaultSpec> | undefined;
}

export async function runPrompt(core: MockCore, rec: SessionRecord, body: PromptBody, opts: PromptOptions = {}): Promise<MessageWithParts> {
  const session = rec.info;
  const sessionID = session.id;
  const dir = session.directory;
  const shape: ReplyShape = body.model ? { ...core.shape, ...body.model } : core.shape;
  const agent = body.agent ?? 'build';

  // 1. The session takes the prompt's agent and model (the real server says so before anything else).
  takeAgentAndModel(core, session, agent, shape);
  // 2. The user message, stored at once (the real server persists it before calling the model).
  const user = storeUserMessage(core, session, body, agent, shape);
  if (body.noReply) return user;

  // 3. Busy, and the assistant message appears (not completed yet).
  const controller = new AbortController();
  const c = replyContext(core, dir);
  const info = assistantInfo(c, sessionID, user.info, shape, core.now());
  const live: MessageWithParts<AssistantMessageInfo> = { info, parts: [] };
  const inflight = goBusy(core, rec, live, controller);

  let completed = false;
  try {
    // 4. The model: same fake LLM as POST /v1/chat/completions, fed the conversation so far. A
    // latency fault holds the request before the model answers (as the fake LLM's route does on
    // a real server), so an aborted request is neither answered nor recorded.
    const latency = opts.fault?.kind === 'latency' ? (opts.fault.latencyMs ?? 1000) : 0;
    if (latency > 0) {
      const stop = await waitOrStop(latency, controller.signal);
      if (stop !== undefined) return stopped(core, rec, live, stop);
    }
    const result = askModel(core, rec, body, shape);
    if (opts.fault?.kind === 'malformed-200') return unfinished(core, rec, live, true);

    // 5. The finished reply.
    finishReply(core, c, live, result, shape);
    addTokens(session, info, core.now());
    completed = true;
    return live;
  } finally {
    settle(core, rec, inflight, controller, completed);
  }
}

function takeAgentAndModel(core: MockCore, session: SessionInfo, agent: string, shape: ReplyShape): void {
  if (session.agent !== agent || session.model?.id !== shape.modelID || session.model.providerID !== shape.providerID) {
    session.agent = agent;
    session.model = { id: shape.modelID, providerID: shape.providerID, variant: 'default' };
    session.time.updated = core.now();
    if (core.bus.active) sessionUpdated(core, session);
  }
}

/** The user message, one text part per text part sent, stored and published. */
function storeUserMessage(
  core: MockCore,
  session: SessionInfo,
  body: PromptBody,
  agent: string,
  shape: ReplyShape,
): MessageWithParts<UserMessageInfo> {
  const { bus, state } = core;
  const sessionID = session.id;
  const texts = body.parts.flatMap((p) => (p.type === 'text' && p.text.length > 0 ? [p.text] : []));
  const user = state.userMessage(sessionID, texts, shape, {
    agent,
    ...(body.messageID !== undefined ? { id: body.messageID } : {}),
    ...(body.format !== undefined ? { format: body.format } : {}),
    ...(body.system !== undefined ? { system: body.system } : {}),
    ...(body.tools !== undefined ? { tools: body.tools } : {}),
  });
  state.append(sessionID, user);
  session.time.updated = core.now();
  // Read the clock whether or not anyone listens: with an injected clock, listeners must not
  // change the times (and so the ids) of what follows.
  const partTime = core.now();
  if (bus.active) {
    storedMessage(core, session.directory, user, partTime);
    sessionUpdated(core, session);
  }
  return user;
}

/** Registers the prompt as in flight, goes busy and publishes the live assistant message. */
function goBusy(
  core: MockCore,
  rec: SessionRecord,
  live: MessageWithParts<AssistantMessageInfo>,
  controller: AbortController,
): InflightPrompt {
  const { bus, state } = core;
  const session = rec.info;
  const sessionID = session.id;
  const dir = session.directory;
  const inflight: InflightPrompt = {
    abort: (by) => {
      if (controller.signal.aborted) return;
      if (by === 'user') bus.publish(dir, { type: 'session.error', properties: { sessionID, error: ABORTED } });
      controller.abort('abort');
    },
    // Synchronous, so restart() can snapshot the state exactly as the "crash" left it.
    crash: () => {
      if (controller.signal.aborted) return;
      unfinished(core, rec, live, false);
      controller.abort('restart');
    },
  };
  core.inflight.set(sessionID, inflight);
  state.setStatus(sessionID, 'busy');
  busy(core, dir, sessionID);
  state.append(sessionID, live);
  bus.publish(dir, { type: 'message.updated', properties: { sessionID, info: live.info } });
  diffComputed(core, session);
  bootInstance(core, dir);
  busy(core, dir, sessionID);
  return inflight;
}

function askModel(core: MockCore, rec: SessionRecord, body: PromptBody, shape: ReplyShape) {
  // The live assistant message has no text yet, so contextMessages leaves it out.
  const override = overrideOf(body);
  return core.llm.complete({
    source: 'mock',
    model: shape.modelID,
    stream: false,
    messages: overriddenContext(rec.messages, override),
    tools: 0,
    sessionID: rec.info.id,
    ...(override?.params ? { params: override.params } : {}),
    ...(override?.headers ? { headers: override.headers } : {}),
  });
}

function finishReply(
  core: MockCore,
  c: ReplyContext,
  live: MessageWithParts<AssistantMessageInfo>,
  result: ReturnType<typeof askModel>,
  shape: ReplyShape,
): void {
  const { bus } = core;
  const { info } = live;
  const sessionID = info.sessionID;
  const dir = c.directory;
  const done = completeReply(c, info, result.text, shape, result.inputChars);
  live.parts = done.parts;
  const eventTime = core.now();
  if (bus.active) {
    streamedParts(core, dir, sessionID, done.parts, eventTime);
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
  }
}

/** Leaves the in-flight table and goes idle, unless the session was replaced or "restarted" under the prompt. */
function settle(core: MockCore, rec: SessionRecord, inflight: InflightPrompt, controller: AbortController, completed: boolean): void {
  const session = rec.info;
  const sessionID = session.id;
  const dir = session.directory;
  if (core.inflight.get(sessionID) === inflight) core.inflight.delete(sessionID);
  if (core.state.record(sessionID) === rec && controller.signal.reason !== 'restart') {
    core.state.setStatus(sessionID, 'idle');
    if (completed) busy(core, dir, sessionID);
    wentIdle(core, dir, sessionID);
    // The real server publishes the session's new totals and its diff after it went idle.
    if (completed) diffComputed(core, session);
  }
}

const ABORTED = { name: 'MessageAbortedError', data: { message: 'Aborted' } } as const;

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
 * session.abort while the model has not answered yet (the mock's latency hold): completed, error
 * MessageAbortedError, no parts, as the real server leaves a reply aborted before its first token
 * (measured; session.error went out when the abort arrived). restart(): the reply stays as the
 * crash left it (as recorded on 1.18.33: no completed, empty text) and the caller's connection drops.
 */
function stopped(core: MockCore, rec: SessionRecord, live: MessageWithParts<AssistantMessageInfo>, reason: StopReason): MessageWithParts {
  // The crash already left the reply unfinished; the caller gets no answer at all.
  if (reason === 'restart') throw new ConnectionDropped('server restarted');
  const info = live.info;
  info.error = ABORTED;
  info.time.completed = core.now();
  // Deleted while answering: nobody is left to tell.
  if (core.bus.active && core.state.record(info.sessionID) === rec) {
    core.bus.publish(rec.info.directory, { type: 'message.updated', properties: { sessionID: info.sessionID, info } });
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
    for (const part of live.parts)
      core.bus.publish(dir, { type: 'message.part.updated', properties: { sessionID: info.sessionID, part, time: now } });
    core.bus.publish(dir, { type: 'message.updated', properties: { sessionID: info.sessionID, info } });
  }
  return live;
}

/**
 * Summarize (compaction), as the real server (1.18.33, measured): a user message whose only part
 * marks the compaction, then the summary as its reply by the 'compaction' agent, from a request
 * built like the real one (compaction.ts). Events: the marker and its part, busy, the summary
 * message, busy, its streamed parts, message.updated (completed) twice, session.compacted, busy,
 * idle + session.idle, session.updated + session.diff.
 */
export function runSummarize(
  core: MockCore,
  rec: SessionRecord,
  model: { providerID: string; modelID: string } | undefined,
  override?: LlmOverride,
): void {
  const { bus, state } = core;
  const session = rec.info;
  const sessionID = session.id;
  const dir = session.directory;
  const shape: ReplyShape = { ...core.shape, ...(model ?? {}), toolCallsPerMessage: 0 };
  // A plugin host's messages.transform decides the conversation the summary is made from.
  const request = summaryRequest(override?.messages ? (override.messages as unknown as MessageWithParts[]) : rec.messages);
  const marker = state.userMessage(sessionID, [], shape);
  const markerPart: CompactionPart = {
    id: core.ids.ascending('prt'),
    sessionID,
    messageID: marker.info.id,
    type: 'compaction',
    auto: false,
  };
  marker.parts = [markerPart];
  state.append(sessionID, marker);
  const markerTime = core.now();
  if (bus.active) storedMessage(core, dir, marker, markerTime);
  busy(core, dir, sessionID);
  const c = replyContext(core, dir);
  const info = assistantInfo(c, sessionID, marker.info, shape, core.now());
  info.summary = true;
  info.mode = 'compaction';
  info.agent = 'compaction';
  bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
  bootInstance(core, dir);
  busy(core, dir, sessionID);
  const result = core.llm.complete({
    source: 'mock',
    model: shape.modelID,
    stream: false,
    messages: override?.system
      ? [...override.system.map((content): ChatMessage => ({ role: 'system', content })), ...request.slice(1)]
      : request,
    tools: 0,
    sessionID,
    ...(override?.params ? { params: override.params } : {}),
    ...(override?.headers ? { headers: override.headers } : {}),
  });
  const done = completeReply(c, info, result.text, shape, result.inputChars);
  state.append(sessionID, done);
  session.time.updated = core.now();
  const eventTime = core.now();
  if (bus.active) {
    streamedParts(core, dir, sessionID, done.parts, eventTime);
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
    bus.publish(dir, { type: 'message.updated', properties: { sessionID, info } });
    bus.publish(dir, { type: 'session.compacted', properties: { sessionID } });
    busy(core, dir, sessionID);
    wentIdle(core, dir, sessionID);
    diffComputed(core, session);
  }
}
