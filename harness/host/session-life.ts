// One OpenCode session's life as a plugin sees it, in the order OpenCode delivers it:
// session.created; per turn chat.message, the user message events, session.status busy, the
// assistant's parts with tool.execute.before/after around each tool part, the finished assistant
// message, session.status idle and session.idle; then session.deleted on a clean end, or nothing
// at all on an unclean end (the process was killed or the network cut).
// The session state lives on the OpenCode server (mock or real); the host keeps nothing per session.
import type { OpencodeClient, Part, Session, TextPartInput, UserMessage, AssistantMessage } from '@opencode-ai/sdk';
import { toolCallContext, type HookDispatcher } from './hooks.ts';

export interface TurnShape {
  /** Bytes of the user's prompt text. */
  userTextBytes: number;
  agent: string;
  providerID: string;
  modelID: string;
}

export interface LifeCounters {
  sessions: number;
  messages: number;
  toolCalls: number;
  cleanEnds: number;
  uncleanEnds: number;
}

let messageSeq = 0;
/** Ascending ids shaped like OpenCode's ("msg_" + time-ordered hex + random tail). */
function nextMessageId(): string {
  messageSeq += 1;
  return `msg_${Date.now().toString(16)}${messageSeq.toString(16).padStart(8, '0')}churnlab`;
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

export class SessionLife {
  constructor(
    private readonly client: OpencodeClient,
    private readonly hooks: HookDispatcher,
    private readonly shape: TurnShape,
    private readonly counters: LifeCounters,
  ) {}

  async open(title: string): Promise<Session> {
    const session = unwrap(await this.client.session.create({ body: { title } }), 'session.create');
    this.counters.sessions += 1;
    await this.hooks.event({ type: 'session.created', properties: { info: session } });
    return session;
  }

  /** One user turn and the assistant's reply with its tool calls. */
  async turn(session: Session, index: number): Promise<void> {
    const { agent, providerID, modelID } = this.shape;
    const sessionID = session.id;
    const messageID = nextMessageId();
    const message: UserMessage = {
      id: messageID,
      sessionID,
      role: 'user',
      time: { created: Date.now() },
      agent,
      model: { providerID, modelID },
    };
    const textPart: Part = {
      id: `prt_${messageID.slice(4)}`,
      sessionID,
      messageID,
      type: 'text',
      text: userText(this.shape.userTextBytes, index),
    };
    const output = { message, parts: [textPart] as Part[] };
    await this.hooks.call('chat.message', { sessionID, agent, model: { providerID, modelID }, messageID }, output);
    await this.hooks.event({ type: 'message.updated', properties: { info: output.message } });
    for (const part of output.parts) await this.hooks.event({ type: 'message.part.updated', properties: { part } });
    await this.hooks.event({ type: 'session.status', properties: { sessionID, status: { type: 'busy' } } });
    this.counters.messages += 1;

    const parts: TextPartInput[] = output.parts.flatMap((p) => (p.type === 'text' ? [{ type: 'text' as const, text: p.text }] : []));
    const reply = unwrap(
      await this.client.session.prompt({
        path: { id: sessionID },
        body: { messageID, agent, model: { providerID, modelID }, parts },
      }),
      'session.prompt',
    ) as { info: AssistantMessage; parts: Part[] };
    this.counters.messages += 1;

    for (const part of reply.parts) {
      if (part.type === 'tool') await this.toolCall(sessionID, part);
      else await this.hooks.event({ type: 'message.part.updated', properties: { part } });
    }
    await this.hooks.event({ type: 'message.updated', properties: { info: reply.info } });
    await this.hooks.event({ type: 'session.status', properties: { sessionID, status: { type: 'idle' } } });
    await this.hooks.event({ type: 'session.idle', properties: { sessionID } });
  }

  private async toolCall(sessionID: string, part: Extract<Part, { type: 'tool' }>): Promise<void> {
    const { tool, callID, state } = part;
    const args = 'input' in state ? state.input : {};
    const running: Part = { ...part, state: { status: 'running', input: args, time: { start: Date.now() } } };
    await this.hooks.call('tool.execute.before', { tool, sessionID, callID }, { args });
    await this.hooks.event({ type: 'message.part.updated', properties: { part: running } });
    const result = {
      title: state.status === 'completed' ? state.title : tool,
      output: state.status === 'completed' ? state.output : '',
      metadata: state.status === 'completed' ? state.metadata : {},
    };
    // Requests the plugin makes while serving this tool call are tagged with its id, so the
    // OpenCode accounting can say "session.messages: 3 calls per tool call".
    await toolCallContext.run(callID, () => this.hooks.call('tool.execute.after', { tool, sessionID, callID, args }, result));
    await this.hooks.event({ type: 'message.part.updated', properties: { part } });
    this.counters.toolCalls += 1;
  }

  /** A clean end: OpenCode deletes the session and every plugin hears session.deleted. */
  async endCleanly(session: Session): Promise<void> {
    unwrap(await this.client.session.delete({ path: { id: session.id } }), 'session.delete');
    await this.hooks.event({ type: 'session.deleted', properties: { info: session } });
    this.counters.cleanEnds += 1;
  }

  /** An unclean end: the session simply vanishes; no event reaches the plugin. */
  endUncleanly(): void {
    this.counters.uncleanEnds += 1;
  }
}
