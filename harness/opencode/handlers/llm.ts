// The fake LLM over HTTP, OpenAI-compatible: what `opencode serve` calls with a custom provider
// (`@ai-sdk/openai-compatible`, baseURL http://127.0.0.1:PORT/v1). Chunk format as OpenAI streams
// it: role chunk, content chunks, a finish_reason chunk, a usage chunk when
// stream_options.include_usage, then `data: [DONE]`.
import type { HttpHandler } from 'msw';
import type { MockCore } from '../core.ts';
import { HttpError, ok, streamReply } from '../responses.ts';
import { route } from '../route.ts';
import { streamPieces, type ChatMessage, type LlmResult, type LlmToolCall } from '../llm.ts';
import { randomBase62, SeededRandom } from '../random.ts';

interface ChatBody {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: unknown[];
}

const encoder = new TextEncoder();
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } as const;

function wireToolCalls(calls: LlmToolCall[], rng: SeededRandom) {
  return calls.map((call) => ({
    id: call.id ?? `call_${randomBase62(rng, 24)}`,
    type: 'function' as const,
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

function chunkFrames(
  id: string,
  created: number,
  model: string,
  result: LlmResult,
  calls: ReturnType<typeof wireToolCalls>,
  includeUsage: boolean,
): string[] {
  const base = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: null, choices, ...extra })}\n\n`;
  const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finish,
  });
  const frames = [base([choice({ role: 'assistant', content: '' })])];
  for (const piece of streamPieces(result.text)) frames.push(base([choice({ content: piece })]));
  calls.forEach((call, index) => {
    frames.push(
      base([choice({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] })]),
    );
    frames.push(base([choice({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] })]));
  });
  frames.push(base([choice({}, calls.length > 0 ? 'tool_calls' : 'stop')]));
  if (includeUsage) frames.push(base([], { usage: result.usage }));
  frames.push('data: [DONE]\n\n');
  return frames;
}

export function llmHandlers(core: MockCore): HttpHandler[] {
  // Its own random stream: chat ids must not shift the session ids of a seeded run.
  const rng = new SeededRandom(core.rng.seedState ^ 0x5eed11);
  return [
    route(core, 'llm.chat.completions', {
      errors: 'openai',
      handles: ['malformed-200', 'drop'],
      resolve: (ctx) => {
        const body = ctx.body as ChatBody;
        if (!Array.isArray(body.messages)) {
          throw new HttpError(400, {
            error: { message: "'messages' is a required property", type: 'invalid_request_error', param: 'messages', code: null },
          });
        }
        const model = body.model ?? core.shape.modelID;
        const stream = body.stream === true;
        const result = core.llm.complete({ source: 'http', model, stream, messages: body.messages, tools: body.tools?.length ?? 0 });
        const id = `chatcmpl-${randomBase62(rng, 24)}`;
        const created = Math.floor(core.now() / 1000);
        const malformed = ctx.fault?.kind === 'malformed-200';
        const calls = malformed ? [] : wireToolCalls(result.toolCalls, rng);
        if (malformed) result.text = '';

        if (!stream) {
          const message =
            calls.length > 0 ? { role: 'assistant', content: null, tool_calls: calls } : { role: 'assistant', content: result.text };
          return ok({
            id,
            object: 'chat.completion',
            created,
            model,
            system_fingerprint: null,
            // malformed-200: a 200 the client cannot use, no choices at all.
            choices: malformed ? [] : [{ index: 0, message, logprobs: null, finish_reason: calls.length > 0 ? 'tool_calls' : 'stop' }],
            usage: result.usage,
          });
        }

        const frames = malformed
          ? ['data: [DONE]\n\n']
          : chunkFrames(id, created, model, result, calls, body.stream_options?.include_usage === true);
        // drop: half the chunks, then the connection dies (no finish_reason, no [DONE]).
        const cutAt = ctx.fault?.kind === 'drop' ? Math.max(1, frames.length >> 1) : -1;
        let next = 0;
        const sse = new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              if (next === cutAt) return controller.error(new Error('churnlab: LLM stream dropped'));
              const frame = frames[next++];
              if (frame === undefined) return controller.close();
              const bytes = encoder.encode(frame);
              core.accounting.addBytes('llm.chat.completions', bytes.byteLength);
              controller.enqueue(bytes);
            },
          },
          { highWaterMark: 0 },
        );
        return streamReply(sse, SSE_HEADERS);
      },
    }),
    route(core, 'llm.models', {
      errors: 'openai',
      resolve: () =>
        ok({
          object: 'list',
          data: core.llm.models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'churnlab' })),
        }),
    }),
  ];
}
