// One OpenCode session's life as a plugin sees it, in the order `opencode serve` 1.18.33 calls
// hooks (recorded with a plugin registering every hook; docs/real-opencode.md):
//   session.created
//   per turn: [command.execute.before on a slash-command turn] chat.message; events (user message,
//     its parts, session.updated, session.status busy, the assistant message); a model step:
//     tool.definition per tool, experimental.chat.messages.transform (the whole history),
//     experimental.chat.system.transform, chat.params, chat.headers; the reply: tool.execute.before
//     for every tool call, [permission.ask], shell.env for bash, tool.execute.after for each, then
//     (a reply with tool calls) a second step's hooks; experimental.text.complete per text part;
//     session.status idle, session.idle, [command.executed], session.updated, session.diff;
//     [an untitled session's first prompt: experimental.provider.small_model (once per server),
//     then the title's model call: system.transform, chat.params, chat.headers with agent "title"]
//   [a compaction when the context overflows: experimental.session.compacting, messages.transform,
//     the summary's model call, text.complete, experimental.compaction.autocontinue, the synthetic
//     user message, session.compacted, and the continue turn's step]
//   session.deleted on a clean end, or nothing at all on an unclean end.
// The host keeps the live session's history (built from the prompt responses, never re-fetched)
// for the transforms, and drops it with the session, clean end or not.
import type {
  OpencodeClient,
  Part,
  Session,
  TextPartInput,
  UserMessage,
  AssistantMessage,
  Message,
  ToolPart,
  Event,
} from '@opencode-ai/sdk';
import type { ProviderContext } from '@opencode-ai/plugin';
import type { Model as ModelV2 } from '@opencode-ai/sdk/v2';
import { inToolCall, type HookDispatcher } from './hooks.ts';
import { HistoryStore, type WithParts } from './history.ts';
import {
  ascendingId,
  chosen,
  COMMANDS,
  modelOf,
  permissionAsked,
  permissionFor,
  providerContextOf,
  providerV2Of,
  TOOL_IDS,
  toolDefinition,
} from './payloads.ts';
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
  /** Share of sessions whose context overflows after their last turn, so the server compacts it. */
  compactionShare: number;
  /** Share of sessions created without a title, so the server titles them with its small model. */
  untitledShare: number;
}

export const NO_MIX: LifeMix = { commandShare: 0, permissionShare: 0, compactionShare: 0, untitledShare: 0 };

export interface LifeCounters {
  sessions: number;
  messages: number;
  toolCalls: number;
  cleanEnds: number;
  uncleanEnds: number;
  compactions: number;
  /** experimental.provider.small_model rounds: the server asks once and caches the answer. */
  smallModelAsks: number;
}

/** A session while it lives: its history since the last compaction, for the transforms. */
export interface LiveSession {
  session: Session;
  /** Index of the session in the run (deterministic shares). */
  index: number;
  history: HistoryStore;
  turns: number;
  /** Created without a title: the server titles it on its first prompt. */
  untitled: boolean;
}

const FILLER = 'Refactor the session store so that idle entries expire; keep the public API. ';
function userText(bytes: number, index: number): string {
  const head = `turn ${index}: `;
  if (bytes <= head.length) return head;
  return head + FILLER.repeat(Math.ceil((bytes - head.length) / FILLER.length)).slice(0, bytes - head.length);
}

/** The text of the synthetic user turn OpenCode adds after an automatic compaction. */
const CONTINUE_TEXT = 'Continue if you have next steps, or stop and ask for clarification if you are unsure how to proceed.';

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
  private readonly model: ModelV2;
  private readonly provider: ProviderContext;
  /** Only messages.transform reads the history: without it no plugin can see it, so none is kept. */
  private readonly keepsHistory: boolean;

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
    this.keepsHistory = hooks.has('experimental.chat.messages.transform');
  }

  private remember(live: LiveSession, message: WithParts): void {
    if (this.keepsHistory) live.history.push(message);
  }

  /** An event as the server publishes it: an "evt_" id, and the session's id among the properties. */
  private emit(type: string, properties: Record<string, unknown>): Promise<void> {
    return this.hooks.has('event') ? this.hooks.event({ id: ascendingId('evt'), type, properties } as unknown as Event) : Promise.resolve();
  }

  async open(title: string, index = 0): Promise<LiveSession> {
    const untitled = chosen(index, 0, 4, this.mix.untitledShare);
    const session = unwrap(await this.client.session.create({ body: untitled ? {} : { title } }), 'session.create');
    this.counters.sessions += 1;
    await this.emit('session.created', { sessionID: session.id, info: session });
    return { session, index, history: new HistoryStore(), turns: 0, untitled };
  }

  /** One user turn and the assistant's reply with its tool calls; a share of sessions then compacts. */
  async turn(live: LiveSession, index: number, last = false): Promise<void> {
    const { agent, providerID, modelID } = this.shape;
    const sessionID = live.session.id;
    const messageID = ascendingId('msg');
    let parts: Part[] = [{ id: ascendingId('prt'), sessionID, messageID, type: 'text', text: userText(this.shape.userTextBytes, index) }];
    const command = chosen(live.index, index, 1, this.mix.commandShare) ? COMMANDS[index % COMMANDS.length]! : undefined;
    if (command) parts = await this.command(sessionID, messageID, command);
    const message: UserMessage = {
      id: messageID,
      sessionID,
      role: 'user',
      time: { created: Date.now() },
      agent,
      model: { providerID, modelID },
    };
    const output = { message, parts };
    await this.hooks.call('chat.message', { sessionID, agent, model: { providerID, modelID }, messageID }, output);
    await this.userMessage(live, output.message, output.parts);
    await this.exchange(live, output.message, output.parts);
    await this.afterIdle(live, command && { sessionID, name: command.command, arguments: command.arguments, messageID });
    if (live.untitled && live.turns === 1) await this.title(sessionID, output.message);
    if (last && chosen(live.index, 0, 3, this.mix.compactionShare)) await this.compact(live, output.message);
  }

  /** A slash command: its template becomes the turn's text (command.execute.before may change the parts). */
  private async command(sessionID: string, messageID: string, c: (typeof COMMANDS)[number]): Promise<Part[]> {
    const output = {
      parts: [
        { id: ascendingId('prt'), sessionID, messageID, type: 'text', text: c.template.replace('$ARGUMENTS', c.arguments) },
      ] as Part[],
    };
    await this.hooks.call('command.execute.before', { command: c.command, sessionID, arguments: c.arguments }, output);
    return Array.isArray(output.parts) ? output.parts : [];
  }

  /** The stored user message's events; the history gets it. */
  private async userMessage(live: LiveSession, message: UserMessage, parts: Part[]): Promise<void> {
    const sessionID = live.session.id;
    await this.emit('message.updated', { sessionID, info: message });
    for (const part of parts) await this.emit('message.part.updated', { sessionID, part, time: Date.now() });
    await this.emit('session.updated', { sessionID, info: live.session });
    await this.emit('session.status', { sessionID, status: { type: 'busy' } });
    this.counters.messages += 1;
    this.remember(live, { info: message, parts });
    live.turns += 1;
  }

  /** The prompt and its reply: step 1 goes to the server with what the plugins made of it. */
  private async exchange(live: LiveSession, message: UserMessage, parts: Part[]): Promise<void> {
    const sessionID = live.session.id;
    const { agent, providerID, modelID } = this.shape;
    const override = await this.step(live, message, agent, MOCK_SYSTEM_PROMPT, true);
    const textParts: TextPartInput[] = parts.flatMap((p) =>
      p.type === 'text' ? [{ type: 'text' as const, text: p.text, ...(p.synthetic ? { synthetic: true } : {}) }] : [],
    );
    const body = {
      messageID: message.id,
      agent,
      model: { providerID, modelID },
      parts: textParts,
      ...(override ? { [CHURNLAB_BODY_KEY]: override } : {}),
    };
    const reply = unwrap(await this.client.session.prompt({ path: { id: sessionID }, body }), 'session.prompt') as {
      info: AssistantMessage;
      parts: Part[];
    };
    this.counters.messages += 1;
    await this.reply(live, reply, message);
  }

  /** The session went idle: status, idle, [command.executed], and the session's new totals and diff. */
  private async afterIdle(live: LiveSession, commandExecuted?: Record<string, unknown>): Promise<void> {
    const sessionID = live.session.id;
    await this.emit('session.status', { sessionID, status: { type: 'idle' } });
    await this.emit('session.idle', { sessionID });
    if (commandExecuted) await this.emit('command.executed', commandExecuted);
    await this.emit('session.updated', { sessionID, info: live.session });
    await this.emit('session.diff', { sessionID, diff: [] });
  }

  /** The title of an untitled session: the small model (asked once per server), then its model call. */
  private async title(sessionID: string, message: UserMessage): Promise<void> {
    if (this.counters.smallModelAsks === 0) {
      this.counters.smallModelAsks += 1;
      await this.hooks.call('experimental.provider.small_model', { provider: providerV2Of(this.model) }, { model: undefined });
    }
    await this.modelCallHooks(sessionID, 'title', message, []);
  }

  /** A model step's hooks: tool.definition per tool (not for a summary), messages.transform, the call's hooks. */
  private async step(
    live: LiveSession,
    message: UserMessage,
    agent: string,
    systemPrompt: string,
    withTools: boolean,
  ): Promise<LlmOverride | undefined> {
    if (withTools && this.hooks.has('tool.definition'))
      for (const toolID of TOOL_IDS) await this.hooks.call('tool.definition', { toolID }, toolDefinition(toolID));
    let messages: ContextMessage[] | undefined;
    if (this.hooks.has('experimental.chat.messages.transform')) {
      const history = live.history.read();
      const output = { messages: cloneHistory(history) };
      await this.hooks.call('experimental.chat.messages.transform', {}, output);
      messages = Array.isArray(output.messages) ? transformedContext(output.messages, history) : undefined;
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
    const maxOutputTokens = this.model.limit.output;
    if (this.hooks.has('chat.params')) {
      const output = {
        temperature: undefined as number | undefined,
        topP: undefined as number | undefined,
        topK: undefined as number | undefined,
        maxOutputTokens: maxOutputTokens as number | undefined,
        options: {} as Record<string, unknown>,
      };
      await this.hooks.call('chat.params', input, output);
      const changed =
        output.temperature !== undefined ||
        output.topP !== undefined ||
        output.topK !== undefined ||
        output.maxOutputTokens !== maxOutputTokens ||
        Object.keys(output.options ?? {}).length > 0;
      if (changed) out.params = { ...output };
    }
    if (this.hooks.has('chat.headers')) {
      const output = { headers: {} as Record<string, string> };
      await this.hooks.call('chat.headers', input, output);
      if (output.headers && Object.keys(output.headers).length > 0) out.headers = { ...output.headers };
    }
    return out.system || out.params || out.headers ? out : undefined;
  }

  /**
   * The reply as the processor delivers it: the tool calls (all before, then shell.env, then each
   * after), the second step a tool reply takes, the text parts; the history gets the reply.
   */
  private async reply(live: LiveSession, reply: { info: AssistantMessage; parts: Part[] }, user: UserMessage): Promise<void> {
    const sessionID = live.session.id;
    await this.emit('message.updated', { sessionID, info: { ...reply.info, time: { created: reply.info.time.created } } });
    const tools = reply.parts.filter((p): p is ToolPart => p.type === 'tool');
    const ran = tools.length > 0 ? await this.toolCalls(live, tools, user.id) : new Map<string, Part>();
    if (tools.length > 0) {
      // Step 2 sees the tool calls of step 1 in the history, as the real server's second model call.
      if (this.keepsHistory)
        live.history.push({ info: reply.info, parts: reply.parts.filter((p) => p.type !== 'text').map((p) => ran.get(p.id) ?? p) });
      await this.step(live, user, user.agent, MOCK_SYSTEM_PROMPT, true);
      if (this.keepsHistory) live.history.pop();
    }
    const parts: Part[] = [];
    for (const part of reply.parts) {
      if (part.type === 'tool') parts.push(ran.get(part.id) ?? part);
      else if (part.type === 'text') parts.push(await this.text(sessionID, part));
      else {
        await this.emit('message.part.updated', { sessionID, part, time: Date.now() });
        parts.push(part);
      }
    }
    await this.emit('message.updated', { sessionID, info: reply.info });
    this.remember(live, { info: reply.info, parts });
  }

  private async text(sessionID: string, part: Extract<Part, { type: 'text' }>): Promise<Part> {
    let done = part;
    if (this.hooks.has('experimental.text.complete')) {
      const output = { text: part.text };
      await this.hooks.call('experimental.text.complete', { sessionID, messageID: part.messageID, partID: part.id }, output);
      if (typeof output.text === 'string' && output.text !== part.text) done = { ...part, text: output.text };
    }
    await this.emit('message.part.updated', { sessionID, part: done, time: Date.now() });
    return done;
  }

  /** The tool calls of one step, which the server runs concurrently: every before, then each tool, then each after. */
  private async toolCalls(live: LiveSession, tools: ToolPart[], userMessageID: string): Promise<Map<string, Part>> {
    const sessionID = live.session.id;
    const start = Date.now();
    const argsOf = (part: ToolPart) => ('input' in part.state ? part.state.input : {});
    for (const part of tools) {
      await this.hooks.call('tool.execute.before', { tool: part.tool, sessionID, callID: part.callID }, { args: argsOf(part) });
      await this.emit('message.part.updated', {
        sessionID,
        part: { ...part, state: { status: 'running', input: argsOf(part), time: { start } } },
        time: Date.now(),
      });
    }
    const done = new Map<string, Part>();
    for (const part of tools) {
      this.counters.toolCalls += 1;
      if (
        chosen(this.counters.toolCalls, 0, 2, this.mix.permissionShare) &&
        !(await this.permission(sessionID, userMessageID, part, argsOf(part)))
      ) {
        done.set(part.id, {
          ...part,
          state: {
            status: 'error',
            input: argsOf(part),
            error: 'The user rejected permission to use this specific tool call.',
            time: { start, end: Date.now() },
          },
        });
        continue;
      }
      if (part.tool === 'bash')
        await this.hooks.call(
          'shell.env',
          { cwd: live.session.directory, sessionID, callID: part.callID },
          { env: {} as Record<string, string> },
        );
      done.set(part.id, part);
    }
    for (const part of tools) {
      const finished = done.get(part.id)!;
      if (finished.type === 'tool' && finished.state.status === 'completed') {
        const state = finished.state;
        const result = { title: state.title, output: state.output, metadata: state.metadata, attachments: undefined };
        // Requests the plugin makes while serving this tool call are tagged with its id, so the
        // OpenCode accounting can say "session.messages: 3 calls per tool call".
        await inToolCall(part.callID, () =>
          this.hooks.call('tool.execute.after', { tool: part.tool, sessionID, callID: part.callID, args: argsOf(part) }, result),
        );
      }
      await this.emit('message.part.updated', { sessionID, part: finished, time: Date.now() });
    }
    return done;
  }

  /**
   * permission.ask, then OpenCode asks the user (who answers "once") unless a plugin decided.
   * False: denied. (1.18.33 itself publishes permission.asked without calling the hook.)
   */
  private async permission(sessionID: string, messageID: string, part: ToolPart, args: Record<string, unknown>): Promise<boolean> {
    const info = permissionFor(part.tool, args, { sessionID, messageID, callID: part.callID }, Date.now());
    const output = { status: 'ask' as 'ask' | 'deny' | 'allow' };
    await this.hooks.call('permission.ask', info, output);
    if (output.status === 'deny') return false;
    if (output.status === 'allow') return true;
    await this.emit('permission.asked', permissionAsked(info));
    await this.emit('permission.replied', { sessionID, requestID: info.id, reply: 'once' });
    return true;
  }

  /**
   * The server's own compaction when the context overflows: compacting, the summary's step (no
   * tools), autocontinue, then the synthetic "continue" turn unless a plugin disabled it.
   */
  private async compact(live: LiveSession, lastUser: UserMessage): Promise<void> {
    const sessionID = live.session.id;
    const { providerID, modelID } = this.shape;
    await this.emit('session.status', { sessionID, status: { type: 'busy' } });
    await this.hooks.call(
      'experimental.session.compacting',
      { sessionID },
      { context: [] as string[], prompt: undefined as string | undefined },
    );
    const override = await this.step(live, lastUser, 'compaction', COMPACTION_SYSTEM_PROMPT, false);
    const body = { providerID, modelID, ...(override ? { [CHURNLAB_BODY_KEY]: override } : {}) };
    unwrap(await this.client.session.summarize({ path: { id: sessionID }, body }), 'session.summarize');
    // The marker and the summary: the only history the next model call sees.
    const tail = unwrap(
      await this.client.session.messages({ path: { id: sessionID }, query: { limit: 2 } }),
      'session.messages',
    ) as WithParts[];
    live.history.clear();
    for (const m of tail) {
      await this.emit('message.updated', { sessionID, info: m.info });
      const parts: Part[] = [];
      for (const p of m.parts) {
        if (p.type === 'text' && m.info.role === 'assistant') parts.push(await this.text(sessionID, p));
        else {
          await this.emit('message.part.updated', { sessionID, part: p, time: Date.now() });
          parts.push(p);
        }
      }
      this.remember(live, { info: m.info, parts });
    }
    this.counters.compactions += 1;
    this.counters.messages += 2;
    const go = { enabled: true };
    await this.hooks.call(
      'experimental.compaction.autocontinue',
      { sessionID, agent: lastUser.agent, model: this.model, provider: this.provider, message: lastUser, overflow: true },
      go,
    );
    if (go.enabled === false) {
      await this.emit('session.compacted', { sessionID });
      await this.afterIdle(live);
      return;
    }
    const messageID = ascendingId('msg');
    const message: UserMessage = {
      id: messageID,
      sessionID,
      role: 'user',
      time: { created: Date.now() },
      agent: lastUser.agent,
      model: lastUser.model,
    };
    const parts: Part[] = [{ id: ascendingId('prt'), sessionID, messageID, type: 'text', text: CONTINUE_TEXT, synthetic: true }];
    await this.userMessage(live, message, parts);
    await this.emit('session.compacted', { sessionID });
    await this.exchange(live, message, parts);
    await this.afterIdle(live);
  }

  /** A clean end: OpenCode deletes the session and every plugin hears session.deleted. */
  async endCleanly(live: LiveSession): Promise<void> {
    unwrap(await this.client.session.delete({ path: { id: live.session.id } }), 'session.delete');
    live.history.clear();
    await this.emit('session.deleted', { sessionID: live.session.id, info: live.session });
    this.counters.cleanEnds += 1;
  }

  /** An unclean end: the session simply vanishes; no event reaches the plugin. */
  endUncleanly(live: LiveSession): void {
    live.history.clear();
    this.counters.uncleanEnds += 1;
  }
}
