// The fake OpenAI-compatible LLM over HTTP, fed the exact body the real server sends
// (real-llm-request.first-chat.json, recorded from opencode serve 1.18.33), in-process and over loopback.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODES, serve, type Served } from './helpers.ts';

const realRequest = JSON.parse(readFileSync(new URL('./real-llm-request.first-chat.json', import.meta.url), 'utf8')) as {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  tools: unknown[];
  stream: boolean;
};

async function post(s: Served, body: unknown): Promise<Response> {
  return fetch(`${s.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
    body: JSON.stringify(body),
  });
}

/** The `data:` payloads of an SSE body, in order. */
async function frames(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((f) => f.length > 0)
    .map((f) => {
      expect(f.startsWith('data: ')).toBe(true);
      return f.slice('data: '.length);
    });
}

describe.each(MODES)('fake LLM (%s)', (mode) => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(mode);
  });
  afterAll(() => s.close());

  it("streams OpenAI chunks for the real server's request and ends with [DONE]", async () => {
    s.mock.llm.clear();
    const res = await post(s, realRequest);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const data = await frames(res);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, any>);
    const id = chunks[0]!.id;
    expect(id).toMatch(/^chatcmpl-/);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id, object: 'chat.completion.chunk', model: 'fake-1' });
      expect(Number.isInteger(chunk.created)).toBe(true);
    }
    expect(chunks[0]!.choices[0]).toEqual({ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
    const content = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(content).toMatch(/^FAKE-REPLY#\d+ \(saw 1 non-system msgs\) echo: first: remember the word PINEAPPLE$/);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish!.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    // stream_options.include_usage: a last chunk with no choices and the usage.
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage.total_tokens).toBe(usage.usage.prompt_tokens + usage.usage.completion_tokens);
  });

  it('records the messages array the model saw, as sent', async () => {
    s.mock.llm.clear();
    await (await post(s, realRequest)).text();
    const [record] = s.mock.llm.requests();
    expect(record!.source).toBe('http');
    expect(record!.messages).toEqual(realRequest.messages);
    expect(record!.tools).toBe(11);
    expect(record!.stream).toBe(true);
  });

  it('answers non-streaming requests with one chat.completion', async () => {
    const res = await post(s, { model: 'fake-1', messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] });
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ object: 'chat.completion', model: 'fake-1' });
    expect(body.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant' } });
    expect(body.choices[0].message.content).toMatch(/\(saw 1 non-system msgs\) echo: hello$/);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('streams tool calls when a scenario scripts them, then text on the next turn', async () => {
    s.mock.llm.setReply((req) =>
      req.messages.some((m) => m.role === 'tool')
        ? 'done'
        : { text: '', toolCalls: [{ name: 'bash', arguments: { command: 'ls' }, id: 'call_1' }] },
    );
    try {
      const data = await frames(await post(s, { model: 'fake-1', stream: true, messages: [{ role: 'user', content: 'run ls' }] }));
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, any>);
      const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
      expect(calls[0]).toEqual({ index: 0, id: 'call_1', type: 'function', function: { name: 'bash', arguments: '' } });
      expect(calls.map((c: any) => c.function.arguments).join('')).toBe('{"command":"ls"}');
      expect(chunks.find((c) => c.choices[0]?.finish_reason)!.choices[0].finish_reason).toBe('tool_calls');
      const next = await post(s, {
        model: 'fake-1',
        messages: [
          { role: 'user', content: 'run ls' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'a.ts' },
        ],
      });
      expect(((await next.json()) as any).choices[0].message.content).toBe('done');
    } finally {
      s.mock.llm.setReply();
    }
  });

  it('lists its models', async () => {
    const res = await fetch(`${s.baseUrl}/v1/models`);
    expect(await res.json()).toEqual({
      object: 'list',
      data: [{ id: 'fake-1', object: 'model', created: 1700000000, owned_by: 'churnlab' }],
    });
  });

  it('takes faults: OpenAI-shaped 500, and a stream dropped before [DONE]', async () => {
    s.mock.faults.add({ route: 'llm.chat.completions', kind: '500', times: 1 });
    const failed = await post(s, realRequest);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({
      error: { message: 'churnlab: injected server error', type: 'server_error', param: null, code: null },
    });

    s.mock.faults.add({ route: 'llm.chat.completions', kind: 'drop', times: 1 });
    const dropped = await post(s, realRequest);
    expect(dropped.status).toBe(200);
    await expect(dropped.text()).rejects.toThrow();
  });
});
