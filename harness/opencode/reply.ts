// How an assistant reply looks: the parts of one model step, built from the fake LLM's text and
// the reply shape. Used by the prompt route and by seedSession, so seeded history and live
// replies are the same objects.
import type { IdGenerator } from './ids.ts';
import { fitText, randomBase62, type FillerText, type SeededRandom } from './random.ts';
import type { AssistantMessageInfo, MessageWithParts, Part, TextPart, Tokens, ToolPart, UserMessageInfo } from './types.ts';

export interface ReplyShape {
  /** Completed tool parts per assistant message. */
  toolCallsPerMessage: number;
  /** Bytes of each tool part's `state.output`. */
  toolOutputBytes: number;
  /** Exact size of the text part (padded or cut); 0 keeps the fake LLM's text as it is. */
  textBytes: number;
  providerID: string;
  modelID: string;
}

export const DEFAULT_REPLY_SHAPE: ReplyShape = {
  toolCallsPerMessage: 0,
  toolOutputBytes: 4096,
  textBytes: 0,
  providerID: 'fake',
  modelID: 'fake-1',
};

/** The tools the real server offers the model (test/opencode/real-llm-request.first-chat.json). */
const TOOLS = ['bash', 'read', 'grep', 'glob', 'edit', 'write', 'webfetch', 'todowrite'] as const;

export interface ReplyContext {
  ids: IdGenerator;
  rng: SeededRandom;
  filler: FillerText;
  now: () => number;
  directory: string;
}

export function tokensFor(inputChars: number, outputChars: number): Tokens {
  const input = Math.ceil(inputChars / 4);
  const output = Math.ceil(outputChars / 4);
  return { total: input + output, input, output, reasoning: 0, cache: { read: 0, write: 0 } };
}

export function assistantInfo(
  c: ReplyContext,
  sessionID: string,
  parent: UserMessageInfo,
  shape: ReplyShape,
  created: number,
): AssistantMessageInfo {
  return {
    id: c.ids.ascending('msg'),
    sessionID,
    role: 'assistant',
    time: { created },
    parentID: parent.id,
    modelID: shape.modelID,
    providerID: shape.providerID,
    mode: parent.agent,
    agent: parent.agent,
    path: { cwd: c.directory, root: '/' },
    cost: 0,
    tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
  };
}

function toolInput(tool: string, n: number, directory: string): { [key: string]: unknown } {
  switch (tool) {
    case 'bash':
      return { command: `echo step-${n}`, description: `Run step ${n}` };
    case 'grep':
      return { pattern: `token${n}`, path: directory };
    case 'glob':
      return { pattern: `**/*${n}.ts` };
    case 'webfetch':
      return { url: `https://example.invalid/${n}`, format: 'text' };
    case 'todowrite':
      return { todos: [{ content: `step ${n}`, status: 'completed', priority: 'medium' }] };
    default:
      return { filePath: `${directory}/src/file${n}.ts` };
  }
}

/** Completed tool parts of one assistant message. */
export function toolParts(c: ReplyContext, info: AssistantMessageInfo, shape: ReplyShape, start: number): ToolPart[] {
  const parts: ToolPart[] = [];
  const output = c.filler.of(shape.toolOutputBytes);
  for (let i = 0; i < shape.toolCallsPerMessage; i++) {
    const tool = TOOLS[i % TOOLS.length] as string;
    const time = start + i;
    parts.push({
      id: c.ids.ascending('prt'),
      sessionID: info.sessionID,
      messageID: info.id,
      type: 'tool',
      callID: `call_${randomBase62(c.rng, 24)}`,
      tool,
      state: {
        status: 'completed',
        input: toolInput(tool, i + 1, c.directory),
        output,
        title: `${tool} ${i + 1}`,
        metadata: { truncated: false },
        time: { start: time, end: time },
      },
    });
  }
  return parts;
}

export function textPart(c: ReplyContext, info: AssistantMessageInfo, text: string, shape: ReplyShape, start: number): TextPart {
  return {
    id: c.ids.ascending('prt'),
    sessionID: info.sessionID,
    messageID: info.id,
    type: 'text',
    text: fitText(text, shape.textBytes, c.filler),
    time: { start, end: start },
  };
}

/**
 * A finished reply in one step: step-start, tool parts, text, step-finish; info completed with
 * tokens and finish 'stop'. `inputChars` is the size of the context the model saw.
 */
export function completeReply(
  c: ReplyContext,
  info: AssistantMessageInfo,
  llmText: string,
  shape: ReplyShape,
  inputChars: number,
): MessageWithParts<AssistantMessageInfo> {
  const start = c.now();
  const stepStart: Part = { id: c.ids.ascending('prt'), sessionID: info.sessionID, messageID: info.id, type: 'step-start' };
  const tools = toolParts(c, info, shape, start);
  const text = textPart(c, info, llmText, shape, start);
  const tokens = tokensFor(inputChars, text.text.length);
  const stepFinish: Part = {
    id: c.ids.ascending('prt'),
    sessionID: info.sessionID,
    messageID: info.id,
    type: 'step-finish',
    reason: 'stop',
    cost: 0,
    tokens,
  };
  info.tokens = tokens;
  info.finish = 'stop';
  info.time.completed = c.now();
  return { info, parts: [stepStart, ...tools, text, stepFinish] };
}
