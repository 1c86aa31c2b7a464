// Message routes (prompt, prompt_async, abort, messages, message) through the real SDK clients,
// in-process and over loopback, checked against the real server's OpenAPI schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIdOf } from '../../harness/opencode/index.ts';
import { check, responseSchema } from './openapi.ts';
import { collectEvents, MODES, PROJECT, serve, until, type Served } from './helpers.ts';

function conforms(operationId: string, body: unknown): void {
  expect(check(responseSchema(operationId), body)).toEqual([]);
}

describe.each(MODES)('message routes (%s)', (mode) => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(mode, { reply: { toolCallsPerMessage: 3, toolOutputBytes: 5000, providerID: 'myfake', modelID: 'fake-1' } });
  });
  afterAll(() => s.close());

  it('answers a prompt with { info: AssistantMessage, parts } of the configured reply shape', async () => {
    const session = (await s.v2.session.create({ title: 'prompt' })).data!;
    const res = await s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'first: remember the word PINEAPPLE' }] });
    expect(res.response.status).toBe(200);
    conforms('session.prompt', res.data);
    const { info, parts } = res.data!;
    expect(info).toMatchObject({
      role: 'assistant',
      sessionID: session.id,
      providerID: 'myfake',
      modelID: 'fake-1',
      finish: 'stop',
      mode: 'build',
      agent: 'build',
    });
    expect(isIdOf('msg', info.id)).toBe(true);
    expect(info.time.completed).toBeGreaterThanOrEqual(info.time.created);
    expect(info.tokens.input).toBeGreaterThan(0);
    expect(info.tokens.output).toBeGreaterThan(0);
    expect(parts.map((p) => p.type)).toEqual(['step-start', 'tool', 'tool', 'tool', 'text', 'step-finish']);
    for (const part of parts) {
      expect(isIdOf('prt', part.id)).toBe(true);
      expect(part.messageID).toBe(info.id);
      if (part.type !== 'tool') continue;
      expect(part.callID).toMatch(/^call_/);
      expect(part.state.status).toBe('completed');
      expect(part.state.status === 'completed' && part.state.output.length).toBe(5000);
    }
    const text = parts.find((p) => p.type === 'text');
    expect(text?.type === 'text' && text.text).toBe('FAKE-REPLY#1 (saw 1 non-system msgs) echo: first: remember the word PINEAPPLE');
  });

  it('keeps the conversation: the next prompt sends the fake LLM the history (v1 client)', async () => {
    const session = (await s.v1.session.create({ body: { title: 'context' } })).data!;
    s.mock.llm.clear();
    await s.v1.session.prompt({ path: { id: session.id }, body: { parts: [{ type: 'text', text: 'canary: BLUE-HERON' }] } });
    const second = await s.v1.session.prompt({
      path: { id: session.id },
      body: { parts: [{ type: 'text', text: 'what was the canary?' }] },
    });
    conforms('session.prompt', second.data);
    const seen = s.mock.llm.requests().at(-1)!;
    expect(seen.source).toBe('mock');
    expect(seen.sessionID).toBe(session.id);
    const turns = seen.messages.filter((m) => m.role !== 'system');
    expect(turns.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(turns[0]!.content).toBe('canary: BLUE-HERON');
    expect(turns[1]!.content).toMatch(/^FAKE-REPLY#\d+ \(saw 1 non-system msgs\) echo: canary: BLUE-HERON$/);
    expect(turns[2]!.content).toBe('what was the canary?');
    const text = second.data!.parts.find((p) => p.type === 'text');
    expect(text?.type === 'text' && text.text).toMatch(/\(saw 3 non-system msgs\) echo: what was the canary\?$/);
  });

  it('lists messages oldest first, pages with limit and the next-page cursor, and gets one by id', async () => {
    const session = (await s.v2.session.create({ title: 'list' })).data!;
    for (const text of ['one', 'two', 'three']) await s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text }] });
    const all = await s.v2.session.messages({ sessionID: session.id });
    conforms('session.messages', all.data);
    expect(all.data!.map((m) => m.info.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    const ids = all.data!.map((m) => m.info.id);
    expect([...ids].sort()).toEqual(ids);
    const last2 = await s.v1.session.messages({ path: { id: session.id }, query: { limit: 2 } });
    expect(last2.data!.map((m) => m.info.id)).toEqual(ids.slice(4));
    // As the real server: `before` takes the page cursor it handed out, never a message id.
    const cursor = last2.response.headers.get('x-next-cursor')!;
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString())).toEqual({ id: ids[4], time: all.data![4]!.info.time.created });
    expect(last2.response.headers.get('link')).toMatch(
      new RegExp(`<http://.*/session/${session.id}/message\\?limit=2&before=${cursor}>; rel="next"`),
    );
    const page = await s.v2.session.messages({ sessionID: session.id, limit: 2, before: cursor });
    expect(page.data!.map((m) => m.info.id)).toEqual(ids.slice(2, 4));
    const first = await s.v2.session.messages({ sessionID: session.id, limit: 2, before: page.response.headers.get('x-next-cursor')! });
    expect(first.data!.map((m) => m.info.id)).toEqual(ids.slice(0, 2));
    expect(first.response.headers.get('x-next-cursor')).toBeNull();
    const byId = await s.v2.session.messages({ sessionID: session.id, limit: 2, before: ids[4] });
    expect([byId.response.status, byId.error]).toEqual([400, { _tag: 'BadRequest' }]);
    const noLimit = await s.v2.session.messages({ sessionID: session.id, before: cursor });
    expect(noLimit.response.status).toBe(400);

    const one = await s.v1.session.message({ path: { id: session.id, messageID: ids[1]! } });
    conforms('session.message', one.data);
    expect(one.data!.info.id).toBe(ids[1]);
    const missing = await s.v2.session.message({ sessionID: session.id, messageID: 'msg_nope' });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual({ name: 'NotFoundError', data: { message: 'Message not found: msg_nope' } });
  });

  it('stores only the user message for noReply and answers with it', async () => {
    const session = (await s.v2.session.create({ title: 'noReply' })).data!;
    const res = await s.v2.session.prompt({ sessionID: session.id, noReply: true, parts: [{ type: 'text', text: 'just context' }] });
    expect(res.data!.info.role).toBe('user');
    expect((await s.v2.session.messages({ sessionID: session.id })).data).toHaveLength(1);
  });

  it('accepts prompt_async with 204 and finishes the reply in the background (session.idle)', async () => {
    const feed = await collectEvents(s.v2);
    try {
      const session = (await s.v2.session.create({ title: 'async' })).data!;
      const res = await s.v1.session.promptAsync({ path: { id: session.id }, body: { parts: [{ type: 'text', text: 'later' }] } });
      expect(res.response.status).toBe(204);
      await until(() => feed.events.some((e) => e.type === 'session.idle' && e.properties.sessionID === session.id), 'session.idle');
      const messages = (await s.v2.session.messages({ sessionID: session.id })).data!;
      expect(messages.map((m) => m.info.role)).toEqual(['user', 'assistant']);
      expect(messages[1]!.info.role === 'assistant' && messages[1]!.info.finish).toBe('stop');
    } finally {
      feed.stop();
    }
  });

  it('aborts a prompt the model has not answered yet: MessageAbortedError, no parts, session.error then idle', async () => {
    const feed = await collectEvents(s.v2);
    try {
      const session = (await s.v2.session.create({ title: 'abort' })).data!;
      s.mock.faults.add({ route: 'session.prompt', sessionID: session.id, kind: 'latency', latencyMs: 60_000, times: 1 });
      const pending = s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'long task' }] });
      await until(() => s.mock.state.record(session.id)?.status === 'busy', 'busy');
      const abort = await s.v1.session.abort({ path: { id: session.id } });
      expect(abort.data).toBe(true);
      const res = await pending;
      conforms('session.prompt', res.data);
      expect(res.data!.info.error).toEqual({ name: 'MessageAbortedError', data: { message: 'Aborted' } });
      expect(res.data!.info.finish).toBeUndefined();
      // The real server leaves a reply aborted before its first token with no parts at all.
      expect(res.data!.parts).toEqual([]);
      await until(() => feed.events.some((e) => e.type === 'session.idle' && e.properties.sessionID === session.id), 'idle');
      const types = feed.events
        .filter((e) => 'properties' in e && (e.properties as { sessionID?: string }).sessionID === session.id)
        .map((e) => e.type);
      expect(types.indexOf('session.error')).toBeLessThan(types.lastIndexOf('session.idle'));
      // Idle session: abort is still true, as on the real server.
      expect((await s.v2.session.abort({ sessionID: session.id })).data).toBe(true);
    } finally {
      feed.stop();
    }
  });

  it('honours the directory of the v1 client on POST (x-opencode-directory header) and GET (query)', async () => {
    const { createOpencodeClient } = await import('@opencode-ai/sdk');
    const other = createOpencodeClient({ baseUrl: s.baseUrl, directory: '/srv/other project' });
    const created = await other.session.create({ body: { title: 'dir' } });
    expect(created.data!.directory).toBe('/srv/other project');
    expect((await other.session.list()).data!.map((x) => x.id)).toEqual([created.data!.id]);
    expect((await s.v1.session.list()).data!.map((x) => x.id)).not.toContain(created.data!.id);
    expect(PROJECT).toBe('/home/dev/project');
  });
});
