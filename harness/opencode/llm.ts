// The fake LLM: one reply rule shared by the OpenAI-compatible HTTP routes (what a real
// `opencode serve` calls) and by the mock's own prompt route. It records the messages array of
// every request, so a scenario can check what context the model saw.

/** An OpenAI chat message, as the real server sends it (content may be parts). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | (string & {});
  content?: string | Array<{ type: string; text?: string; [key: string]: unknown }> | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  [key: string]: unknown;
}

export interface LlmRequestRecord {
  /** 1-based count of LLM requests since the mock was created (not reset by clear()). */
  n: number;
  /** 'http': POST /v1/chat/completions; 'mock': the mock's own prompt route. */
  source: 'http' | 'mock';
  model: string;
  stream: boolean;
  messages: ChatMessage[];
  /** How many tools the request offered (the real server sends 11). */
  tools: number;
  /** The mock's prompt route says which session it is serving. */
  sessionID?: string;
  /** What a plugin's chat.params made of the call's parameters (the plugin host sends it). */
  params?: Record<string, unknown>;
  /** What a plugin's chat.headers added to the call's headers. */
  headers?: Record<string, string>;
}

export interface LlmToolCall {
  name: string;
  /** JSON text or an object (serialized for the wire). */
  arguments: string | Record<string, unknown>;
  id?: string;
}

export interface LlmReply {
  text: string;
  /** Only on the HTTP routes: the real server then runs the tools and calls again. */
  toolCalls?: LlmToolCall[];
}

export type LlmReplyFn = (request: LlmRequestRecord) => string | LlmReply;

export interface LlmUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface LlmResult {
  text: string;
  toolCalls: LlmToolCall[];
  usage: LlmUsage;
  /** Characters of context the model saw (for token figures). */
  inputChars: number;
}

/**
 * Text cut in the pieces a model streams (bounded count, so big replies stay cheap): the chunks of
 * the fake LLM's HTTP route, and so the message.part.delta events of a real server's reply.
 */
export function streamPieces(text: string): string[] {
  if (text.length === 0) return [];
  const size = Math.max(32, Math.ceil(text.length / 64));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (typeof part.text === 'string') text += part.text;
  return text;
}

/**
 * The default reply, word for word the rule of the fake used to record the samples:
 * "FAKE-REPLY#4 (saw 7 non-system msgs) echo: fourth". The echo makes context checkable.
 */
export function defaultReply(request: LlmRequestRecord): string {
  let seen = 0;
  let lastUser = '';
  for (const message of request.messages) {
    if (message.role === 'system') continue;
    seen += 1;
    if (message.role === 'user') lastUser = messageText(message);
  }
  return `FAKE-REPLY#${request.n} (saw ${seen} non-system msgs) echo: ${lastUser}`;
}

export interface FakeLlmOptions {
  /** Requests kept by requests() (a ring: the oldest go first). Default 256. */
  recordLimit?: number;
  /** Model ids listed by GET /v1/models. */
  models?: string[];
}

export class FakeLlm {
  private readonly ring: LlmRequestRecord[] = [];
  private ringStart = 0;
  private count = 0;
  private replyFn: LlmReplyFn | undefined;
  private readonly recordLimit: number;
  readonly models: string[];

  constructor(opts: FakeLlmOptions = {}) {
    this.recordLimit = Math.max(1, opts.recordLimit ?? 256);
    this.models = opts.models ?? ['fake-1'];
  }

  /** Recorded requests, oldest first (at most recordLimit; see total for the full count). */
  requests(): LlmRequestRecord[] {
    return [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
  }

  /** All requests answered since the mock was created. */
  get total(): number {
    return this.count;
  }

  /** Forget recorded requests (the count n keeps going, so replies stay unique). */
  clear(): void {
    this.ring.length = 0;
    this.ringStart = 0;
  }

  /** Replace the reply rule; no argument restores the default. */
  setReply(fn?: LlmReplyFn): void {
    this.replyFn = fn;
  }

  complete(input: Omit<LlmRequestRecord, 'n'>): LlmResult {
    const record: LlmRequestRecord = { n: ++this.count, ...input };
    this.remember(record);
    const raw = this.replyFn ? this.replyFn(record) : defaultReply(record);
    const reply: LlmReply = typeof raw === 'string' ? { text: raw } : raw;
    let inputChars = 0;
    for (const message of record.messages) inputChars += messageText(message).length;
    const prompt = Math.ceil(inputChars / 4);
    const completion = Math.ceil(reply.text.length / 4);
    return {
      text: reply.text,
      toolCalls: reply.toolCalls ?? [],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      inputChars,
    };
  }

  private remember(record: LlmRequestRecord): void {
    if (this.ring.length < this.recordLimit) {
      this.ring.push(record);
      return;
    }
    this.ring[this.ringStart] = record;
    this.ringStart = (this.ringStart + 1) % this.recordLimit;
  }
}
