// One OpenCode session's life as a plugin sees it, in the order `opencode serve` 1.18.33 delivers
// it (packages/opencode/src/session/prompt.ts, llm.ts, processor.ts, compaction.ts):
//   session.created
//   per turn: [command.execute.before on a slash-command turn] chat.message; message.updated and
//     message.part.updated (user), session.status busy; [on the first prompt: the title, asked of
//     experimental.provider.small_model, then a small model call]; tool.definition per tool;
//     experimental.chat.messages.transform (the whole history); the model call:
//     experimental.chat.system.transform, chat.params, chat.headers; then the reply's parts:
//     step-start; per tool part tool.execute.before, [permission.ask], [shell.env for bash],
//     tool.execute.after; per text part experimental.text.complete; step-finish;
//     message.updated (assistant), session.status idle, session.idle
//   [a compaction: experimental.session.compacting, messages.transform, the model call, the
//     summary's parts, session.compacted, experimental.compaction.autocontinue]
//   session.deleted on a clean end, or nothing at all on an unclean end.
// The host keeps the live session's history (built from the prompt responses, never re-fetched)
// for the transforms, and drops it with the session, clean end or not.
import type { OpencodeClient, Part, Session, TextPartInput, UserMessage, AssistantMessage, Message, Model, ToolPart } from '@opencode-ai/sdk';
import type { ProviderContext } from '@opencode-ai/plugin';
import { toolCallContext, type HookDispatcher } from './hooks.ts';
import { ascendingId, chosen, COMMANDS, modelOf, permissionFor, providerContextOf, providerV2Of, TOOL_IDS, toolDefinition } from './payloads.ts';
import { CHURNLAB_BODY_KEY, MOCK_SYSTEM_PROMPT, type ContextMessage, type LlmOverride } from '../opencode/llm-context.ts';
import { COMPACTION_SYSTEM_PROMPT } from '../opencode/compaction.ts';

export interface TurnShape {
  /** Bytes of the user's prompt text. */
  userTextBytes: number;
  agent: string;
  providerID: string;
  modelID: string;
}

/** Shares of the session life's optional paths (scenario parameters; defaults in harness/core/defaults.ts). */
export interface LifeMix {
  /** Share of turns that run a slash command (command.execute.before). */
  commandShare: number;
  /** Share of tool calls whose permission rule is "ask" (permission.ask). */
  permissionShare: number;
  /** Share of sessions compacted once, after their last turn. */
  compactionShare: number;
}

export const NO_MIX: LifeMix = { commandShare: 0, permissionShare: 0, compactionShare: 0 };

export interface LifeCounters {
  sessions: number;
  messages: number;
  toolCalls: number;
  cleanEnds: number;
  uncleanEnds: number;
  compactions: number;
}

type WithParts = { info: Message; parts: Part[] };

/** A session while it lives: its history since the last compaction, for the transforms. */
export interface LiveSession {
  session: Session;
  /** Index of the session in the run (deterministic shares). */
  index: number;
  history: WithParts[];
  turns: number;
}

const FILLER = 'Refactor the session store so that idle entries expire; keep the public API. ';
function userText(bytes: number, index: number): string {
  const head = `turn ${index}: `;
  if (bytes <= head.length) return head;
  return head + FILLER.repeat(Math.ceil((bytes - head.length) / FILLER.length)).slice(0, bytes - head.length);
}

function unwrap<T>(result: { data?: T; error?: unknown }, what: string): T {
  if (result.error !== undefined || result.data === undefined) {
    const detail = result.error === undefined ? 'no data' : JSON.stringify(result.error).slice(0, 300);
    throw new Error(`OpenCode ${what} failed: ${detail}`);
  }
  return result.data;
}

/** Fresh message and part objects (strings shared), as OpenCode reads the history anew for every step. */
function cloneHistory(history: readonly WithParts[]): WithParts[] {
  return history.map((m) => ({
    info: { ...m.info } as Message,
    parts: m.parts.map((p) => (p.type === 'tool' ? ({ ...p, state: { ...p.state } } as Part) : ({ ...p } as Part))),
  }));
}

function samePart(a: Part, b: Part): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'text') return a.text === (b as typeof a).text;
  if (a.type === 'tool') {
    const s = (b as ToolPart).state;
    return a.state.status === s.status && (a.state.status !== 'completed' || a.state.output === (s as typeof a.state).output);
  }
  return true;
}

function sameMessage(a: WithParts | undefined, b: WithParts): boolean {
  if (!a || !a.info || !Array.isArray(a.parts) || a.info.id !== b.info.id || a.parts.length !== b.parts.length) return false;
  for (let i = 0; i < a.parts.length; i += 1) if (!a.parts[i] || !samePart(a.parts[i]!, b.parts[i]!)) return false;
  return true;
}

/** What the model is sent after messages.transform, or undefined when the plugins changed nothing. */
export function transformedContext(msgs: readonly WithParts[], history: readonly WithParts[]): ContextMessage[] | undefined {
  if (msgs.length === history.length && history.every((m, i) => sameMessage(msgs[i], m))) return undefined;
  return msgs.flatMap((m) => {
    if (!m?.info || !Array.isArray(m.parts)) return [];
    const parts: ContextMessage['parts'] = [];
    for (const p of m.parts) {
      if (p?.type === 'text' && typeof p.text === 'string') parts.push({ type: 'text', text: p.text });
      else if (p?.type === 'compaction') parts.push({ type: 'compaction' });
    }
    const info: ContextMessage['info'] = { id: m.info.id, role: m.info.role };
    if (m.info.role === 'assistant' && m.info.summary) info.summary = true;
    return [{ info, parts }];
  });
}

function sameStrings(a: readonly unknown[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export class SessionLife {
  private readonly model: Model;
  private readonly provider: ProviderContext;

  constructor(
    private readonly client: OpencodeClient,
    private readonly hooks: HookDispatcher,
    private readonly shape: TurnShape,
    private readonly counters: LifeCounters,
    private readonly mix: LifeMix = NO_MIX,
    /** The mock honours transforms sent with the prompt; the real server is never sent them. */
    private readonly sendTransforms = true,
  ) {
    this.model = modelOf(shape.providerID, shape.modelID);
    this.provider = providerContextOf(this.model);
  }

  async open(title: string, index = 0): Promise<LiveSession> {
    const session = unwrap(await this.client.session.create({ body: { title } }), 'session.create');
    this.counters.sessions += 1;
    await this.hooks.event({ type: 'session.created', properties: { info: session } });
    return { session, index, history: [], turns: 0 };
  }

  /** One user turn and the assistant's reply with its tool calls; a share of sessions then compacts. */
  async turn(live: LiveSession, index: number, last = false): Promise<void> {
    const { agent, providerID, modelID } = this.shape;
    const sessionID = live.session.id;
    const messageID = ascendingId('msg');
    let parts: Part[] = [{ id: ascendingId('prt'), sessionID, messageID, type: 'text', text: userText(this.shape.userTextBytes, index) }];
    if (chosen(live.index, index, 1, this.mix.commandShare)) parts = await this.command(sessionID, messageID, index);
    const message: UserMessage = { id: messageID, sessionID, role: 'user', time: { created: Date.now() }, agent, model: { providerID, modelID } };
    const output = { message, parts };
    await this.hooks.call('chat.message', { sessionID, agent, model: { providerID, modelID }, messageID }, output);
    await this.hooks.event({ type: 'message.updated', properties: { info: output.message } });
    for (const part of output.parts) await this.hooks.event({ type: 'message.part.updated', properties: { part } });
    await this.hooks.event({ type: 'session.status', properties: { sessionID, status: { type: 'busy' } } });
    this.counters.messages += 1;
    live.history.push({ info: output.message, parts: output.parts });
    if (live.turns === 0) await this.title(sessionID, output.message);
    live.turns += 1;

    for (const toolID of TOOL_IDS) if (this.hooks.has('tool.definition')) await this.hooks.call('tool.definition', { toolID }, toolDefinition(toolID));
    const override = await this.prepareModelCall(live, output.message, agent, MOCK_SYSTEM_PROMPT);
    const textParts: TextPartInput[] = output.parts.flatMap((p) => (p.type === 'text' ? [{ type: 'text' as const, text: p.text }] : []));
    const body = { messageID, agent, model: { providerID, modelID }, parts: textParts, ...(override ? { [CHURNLAB_BODY_KEY]: override } : {}) };
    const reply = unwrap(await this.client.session.prompt({ path: { id: sessionID }, body }), 'session.prompt') as { info: AssistantMessage; parts: Part[] };
    this.counters.messages += 1;
    await this.reply(live, reply, messageID);
    await this.hooks.event({ type: 'session.status', properties: { sessionID, status: { type: 'idle' } } });
    await this.hooks.event({ type: 'session.idle', properties: { sessionID } });
    if (last && chosen(live.index, 0, 3, this.mix.compactionShare)) await this.compact(live, output.message);
  }

  /** A slash command: its template becomes the turn's text (command.execute.before may change the parts). */
  private async command(sessionID: string, messageID: string, index: number): Promise<Part[]> {
    const c = COMMANDS[index % COMMANDS.length]!;
    const output = { parts: [{ id: ascendingId('prt'), sessionID, messageID, type: 'text', text: c.template.replace('$ARGUMENTS', c.arguments) }] as Part[] };
    await this.hooks.call('command.execute.before', { command: c.command, sessionID, arguments: c.arguments }, output);
    return Array.isArray(output.parts) ? output.parts : [];
  }

  /** The session title on a first prompt: OpenCode asks for the provider's small model, then calls it. */
  private async title(sessionID: string, message: UserMessage): Promise<void> {
    if (this.hooks.has('experimental.provider.small_model')) {
      await this.hooks.call('experimental.provider.small_model', { provider: providerV2Of(this.model) }, { model: undefined });
    }
    await this.modelCallHooks(sessionID, 'title', message, []);
  }

  /** messages.transform over a fresh copy of the history, then the model call's hooks; what the mock's model must get. */
  private async prepareModelCall(live: LiveSession, message: UserMessage, agent: string, systemPrompt: string): Promise<LlmOverride | undefined> {
    let messages: ContextMessage[] | undefined;
    if (this.hooks.has('experimental.chat.messages.transform')) {
      const msgs = cloneHistory(live.history);
      const output = { messages: msgs };
      await this.hooks.call('experimental.chat.messages.transform', {}, output);
      messages = Array.isArray(output.messages) ? transformedContext(output.messages, live.history) : undefined;
    }
    const call = await this.modelCallHooks(live.session.id, agent, message, [systemPrompt]);
    if (!this.sendTransforms || (!messages && !call)) return undefined;
    return { ...call, ...(messages ? { messages } : {}) };
  }

  /** system.transform, chat.params, chat.headers, as LLM.stream calls them; only what plugins changed comes back. */
  private async modelCallHooks(sessionID: string, agent: string, message: UserMessage, system: string[]): Promise<LlmOverride | undefined> {
    const out: LlmOverride = {};
    if (this.hooks.has('experimental.chat.system.transform')) {
      const output = { system: [...system] };
      await this.hooks.call('experimental.chat.system.transform', { sessionID, model: this.model }, output);
      if (Array.isArray(output.system) && !sameStrings(output.system, system)) out.system = output.system.map(String);
    }
    const input = { sessionID, agent, model: this.model, provider: this.provider, message };
    if (this.hooks.has('chat.params')) {
      const output = { temperature: undefined as number | undefined, topP: undefined as number | undefined, topK: undefined as number | undefined, maxOutputTokens: this.model.limit.output as number | undefined, options: {} as Record<string, unknown> };
      await this.hooks.call('chat.params', input, output);
      const changed = output.temperature !== undefined || output.topP !== undefined || output.topK !== undefined || output.maxOutputTokens !== this.model.limit.output || Object.keys(output.options ?? {}).length > 0;
      if (changed) out.params = { ...output };
    }
    if (this.hooks.has('chat.headers')) {
      const output = { headers: {} as Record<string, string> };
      await this.hooks.call('chat.headers', input, output);
      if (output.headers && Object.keys(output.headers).length > 0) out.headers = { ...output.headers };
    }
    return out.system || out.params || out.headers ? out : undefined;
  }

  /** The reply's parts as the processor delivers them, then the finished message; the history gets the reply. */
  private async reply(live: LiveSession, reply: { info: AssistantMessage; parts: Part[] }, userMessageID: string): Promise<void> {
    const sessionID = live.session.id;
    await this.hooks.event({ type: 'message.updated', properties: { info: { ...reply.info, time: { created: reply.info.time.created } } } });
    const parts: Part[] = [];
    for (const part of reply.parts) {
      if (part.type === 'tool') parts.push(await this.toolCall(sessionID, live.session.directory, userMessageID, part));
      else if (part.type === 'text') parts.push(await this.text(sessionID, part));
      else {
        await this.hooks.event({ type: 'message.part.updated', properties: { part } });
        parts.push(part);
      }
    }
    await this.hooks.event({ type: 'message.updated', properties: { info: reply.info } });
    live.history.push({ info: reply.info, parts });
  }

  private async text(sessionID: string, part: Extract<Part, { type: 'text' }>): Promise<Part> {
    let done = part;
    if (this.hooks.has('experimental.text.complete')) {
      const output = { text: part.text };
      await this.hooks.call('experimental.text.complete', { sessionID, messageID: part.messageID, partID: part.id }, output);
      if (typeof output.text === 'string' && output.text !== part.text) done = { ...part, text: output.text };
    }
    await this.hooks.event({ type: 'message.part.updated', properties: { part: done } });
    return done;
  }

  private async toolCall(sessionID: string, cwd: string, userMessageID: string, part: ToolPart): Promise<Part> {
    const { tool, callID, state } = part;
    const args = 'input' in state ? state.input : {};
    const start = Date.now();
    const running: Part = { ...part, state: { status: 'running', input: args, time: { start } } };
    await this.hooks.call('tool.execute.before', { tool, sessionID, callID }, { args });
    await this.hooks.event({ type: 'message.part.updated', properties: { part: running } });
    this.counters.toolCalls += 1;
    if (chosen(this.counters.toolCalls, 0, 2, this.mix.permissionShare) && !(await this.permission(sessionID, userMessageID, part, args))) {
      const failed: Part = { ...part, state: { status: 'error', input: args, error: 'The user rejected permission to use this specific tool call.', time: { start, end: Date.now() } } };
      await this.hooks.event({ type: 'message.part.updated', properties: { part: failed } });
      return failed;
    }
    if (tool === 'bash') await this.hooks.call('shell.env', { cwd, sessionID, callID }, { env: {} as Record<string, string> });
    const result = {
      title: state.status === 'completed' ? state.title : tool,
      output: state.status === 'completed' ? state.output : '',
      metadata: state.status === 'completed' ? state.metadata : {},
    };
    // Requests the plugin makes while serving this tool call are tagged with its id, so the
    // OpenCode accounting can say "session.messages: 3 calls per tool call".
    await toolCallContext.run(callID, () => this.hooks.call('tool.execute.after', { tool, sessionID, callID, args }, result));
    await this.hooks.event({ type: 'message.part.updated', properties: { part } });
    return part;
  }

  /** permission.ask, then OpenCode asks the user (who answers "once") unless a plugin decided. False: denied. */
  private async permission(sessionID: string, messageID: string, part: ToolPart, args: Record<string, unknown>): Promise<boolean> {
    const info = permissionFor(part.tool, args, { sessionID, messageID, callID: part.callID }, Date.now());
    const output = { status: 'ask' as 'ask' | 'deny' | 'allow' };
    await this.hooks.call('permission.ask', info, output);
    if (output.status === 'deny') return false;
    if (output.status === 'allow') return true;
    await this.hooks.event({ type: 'permission.updated', properties: info });
    await this.hooks.event({ type: 'permission.replied', properties: { sessionID, permissionID: info.id, response: 'once' } });
    return true;
  }

  /** A compaction: the plugins' compacting hook, the summary request, session.compacted, autocontinue. */
  private async compact(live: LiveSession, lastUser: UserMessage): Promise<void> {
    const sessionID = live.session.id;
    const { providerID, modelID } = this.shape;
    await this.hooks.call('experimental.session.compacting', { sessionID }, { context: [] as string[], prompt: undefined as string | undefined });
    const override = await this.prepareModelCall(live, lastUser, 'compaction', COMPACTION_SYSTEM_PROMPT);
    const body = { providerID, modelID, ...(override ? { [CHURNLAB_BODY_KEY]: override } : {}) };
    unwrap(await this.client.session.summarize({ path: { id: sessionID }, body }), 'session.summarize');
    // The marker and the summary: the only history the next model call sees.
    const tail = unwrap(await this.client.session.messages({ path: { id: sessionID }, query: { limit: 2 } }), 'session.messages') as WithParts[];
    live.history.length = 0;
    for (const m of tail) {
      await this.hooks.event({ type: 'message.updated', properties: { info: m.info } });
      const parts: Part[] = [];
      for (const p of m.parts) parts.push(p.type === 'text' && m.info.role === 'assistant' ? await this.text(sessionID, p) : (await this.hooks.event({ type: 'message.part.updated', properties: { part: p } }), p));
      live.history.push({ info: m.info, parts });
    }
    await this.hooks.event({ type: 'session.compacted', properties: { sessionID } });
    await this.hooks.call('experimental.compaction.autocontinue', { sessionID, agent: lastUser.agent, model: this.model, provider: this.provider, message: lastUser, overflow: false }, { enabled: true });
    await this.hooks.event({ type: 'session.status', properties: { sessionID, status: { type: 'idle' } } });
    await this.hooks.event({ type: 'session.idle', properties: { sessionID } });
    this.counters.compactions += 1;
    this.counters.messages += 2;
  }

  /** A clean end: OpenCode deletes the session and every plugin hears session.deleted. */
  async endCleanly(live: LiveSession): Promise<void> {
    unwrap(await this.client.session.delete({ path: { id: live.session.id } }), 'session.delete');
    live.history.length = 0;
    await this.hooks.event({ type: 'session.deleted', properties: { info: live.session } });
    this.counters.cleanEnds += 1;
  }

  /** An unclean end: the session simply vanishes; no event reaches the plugin. */
  endUncleanly(live: LiveSession): void {
    live.history.length = 0;
    this.counters.uncleanEnds += 1;
  }
}
