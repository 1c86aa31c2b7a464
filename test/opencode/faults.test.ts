// Every fault kind, scripted the way a scenario does, as the real SDK client sees it, in-process
// and over loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents, MODES, serve, until, type Served } from './helpers.ts';

describe.each(MODES)('faults (%s)', (mode) => {
  let s: Served;
  let sessionID: string;
  beforeAll(async () => {
    s = await serve(mode);
    sessionID = (await s.v2.session.create({ title: 'faults' })).data!.id;
  });
  afterAll(() => s.close());

  it('404: NotFoundError for one session, n times, then the route works again', async () => {
    const fault = s.mock.faults.add({ route: 'session.get', sessionID, kind: '404', times: 2 });
    const other = (await s.v2.session.create({ title: 'unaffected' })).data!;
    expect((await s.v2.session.get({ sessionID: other.id })).response.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await s.v1.session.get({ path: { id: sessionID } });
      expect(res.response.status).toBe(404);
      expect(res.error).toEqual({ name: 'NotFoundError', data: { message: `Session not found: ${sessionID}` } });
    }
    expect(fault.active).toBe(false);
    expect(fault.hits).toBe(2);
    expect((await s.v1.session.get({ path: { id: sessionID } })).response.status).toBe(200);
  });

  it('410: Gone, and the SDK with throwOnError throws an Error carrying status and body', async () => {
    const fault = s.mock.faults.add({ route: 'session.messages', kind: '410' });
    const res = await s.v2.session.messages({ sessionID });
    expect(res.response.status).toBe(410);
    expect(res.error).toEqual({ name: 'GoneError', data: { message: `Gone: ${sessionID}` } });
    const thrown = await s.v2.session.messages({ sessionID }, { throwOnError: true }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe(`Gone: ${sessionID}`);
    expect((thrown as Error).cause).toMatchObject({ status: 410 });
    fault.remove();
    expect((await s.v2.session.messages({ sessionID })).response.status).toBe(200);
  });

  it('422-format: a Zod-style rejection of the `format` field', async () => {
    s.mock.faults.add({ route: ['session.prompt', 'session.prompt_async'], kind: '422-format', times: 1 });
    const before = s.mock.state.record(sessionID)!.messages.length;
    const res = await s.v2.session.prompt({ sessionID, format: { type: 'text' }, parts: [{ type: 'text', text: 'x' }] });
    expect(res.response.status).toBe(422);
    expect(res.data).toBeUndefined();
    expect(res.error).toMatchObject({
      success: false,
      error: { name: 'ZodError', issues: [{ code: 'unrecognized_keys', keys: ['format'], path: [] }] },
    });
    expect(s.mock.state.record(sessionID)!.messages.length).toBe(before);
  });

  it('unknown-agent: 400 BadRequest naming the agent', async () => {
    s.mock.faults.add({ route: 'session.prompt', kind: 'unknown-agent', times: 1 });
    const res = await s.v1.session.prompt({ path: { id: sessionID }, body: { agent: 'ghost', parts: [{ type: 'text', text: 'x' }] } });
    expect(res.response.status).toBe(400);
    expect(res.error).toEqual({ name: 'BadRequest', data: { message: 'Agent not found: "ghost"', kind: 'Body' } });
  });

  it('500: UnknownError on any route ("*")', async () => {
    s.mock.faults.add({ kind: '500', times: 2 });
    const list = await s.v2.session.list();
    expect(list.response.status).toBe(500);
    expect(list.error).toEqual({ name: 'UnknownError', data: { message: 'churnlab: injected internal server error' } });
    const health = await s.v2.global.health();
    expect(health.response.status).toBe(500);
    expect((await s.v2.global.health()).response.status).toBe(200);
  });

  it('malformed-200: a prompt answers 200 with no usable text (like a reply killed mid-stream)', async () => {
    s.mock.faults.add({ route: 'session.prompt', sessionID, kind: 'malformed-200', times: 1 });
    const res = await s.v2.session.prompt({ sessionID, parts: [{ type: 'text', text: 'anything?' }] });
    expect(res.response.status).toBe(200);
    expect(res.data!.info.finish).toBeUndefined();
    expect(res.data!.info.time.completed).toBeUndefined();
    expect(res.data!.parts.map((p) => (p.type === 'text' ? `text:${p.text}` : p.type))).toEqual(['step-start', 'text:']);
    s.mock.faults.add({ route: 'session.get', kind: 'malformed-200', times: 1 });
    const get = await s.v2.session.get({ sessionID });
    expect(get.response.status).toBe(200);
    expect(get.data).toEqual({});
  });

  it('latency: the answer waits, then is the normal one', async () => {
    s.mock.faults.add({ route: 'session.get', sessionID, kind: 'latency', latencyMs: 300, times: 1 });
    const calls = () => s.mock.accounting.snapshot().byRoute['session.get']?.calls ?? 0;
    const callsBefore = calls();
    const seqBefore = s.mock.accounting.seq;
    let settled = false;
    const pending = s.v2.session.get({ sessionID }).finally(() => (settled = true));
    await until(() => s.mock.accounting.seq > seqBefore, 'request to arrive');
    expect(settled).toBe(false);
    expect(calls()).toBe(callsBefore);
    const res = await pending;
    expect(res.data!.id).toBe(sessionID);
    expect(calls()).toBe(callsBefore + 1);
  });

  it('drop: the connection dies mid-body; the work was done (the prompt is stored)', async () => {
    s.mock.faults.add({ route: 'session.prompt', sessionID, kind: 'drop', times: 1 });
    const before = s.mock.state.record(sessionID)!.messages.length;
    const outcome = await s.v2.session.prompt({ sessionID, parts: [{ type: 'text', text: 'lost reply' }] }).then(
      (res) => ({ ok: true as const, res }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    expect(outcome.ok).toBe(false);
    expect(s.mock.state.record(sessionID)!.messages.length).toBe(before + 2);
    expect(s.mock.accounting.snapshot().bySession[sessionID]!.byRoute['session.prompt']!.errors).toBeGreaterThan(0);
  });

  it('drop on GET /event: the SDK stream errors after the first event', async () => {
    s.mock.faults.add({ route: 'event.subscribe', kind: 'drop', afterEvents: 1, times: 1 });
    const feed = await collectEvents(s.v2);
    await until(() => feed.ended(), 'stream to end');
    expect(feed.events.map((e) => e.type)).toEqual(['server.connected']);
    expect(feed.error()).toBeDefined();
    await until(() => s.mock.accounting.snapshot().sseOpen === 0, 'connection closed');
  });

  it('sse-cut: the stream ends cleanly after N events, with no closing event and no error', async () => {
    s.mock.faults.add({ route: 'event.subscribe', kind: 'sse-cut', afterEvents: 3, times: 1 });
    const feed = await collectEvents(s.v2);
    await s.v2.session.create({ title: 'cut' });
    await s.v2.session.create({ title: 'cut too' });
    await s.v2.session.create({ title: 'after the cut' });
    await until(() => feed.ended(), 'stream to end');
    expect(feed.events.map((e) => e.type)).toEqual(['server.connected', 'session.created', 'session.created']);
    expect(feed.error()).toBeUndefined();
  });

  it('sse-stall: the connection stays open but nothing more arrives', async () => {
    s.mock.faults.add({ route: 'event.subscribe', kind: 'sse-stall', afterEvents: 1, times: 1 });
    const watcher = await collectEvents(s.v2);
    const stalledFeed = await collectEvents(s.v2);
    try {
      // The second subscription got the fault? No: faults apply in request order, the first one did.
      const created = (await s.v2.session.create({ title: 'stall' })).data!;
      await until(
        () => stalledFeed.events.some((e) => e.type === 'session.created' && e.properties.sessionID === created.id),
        'healthy stream',
      );
      expect(watcher.events.map((e) => e.type)).toEqual(['server.connected']);
      expect(watcher.ended()).toBe(false);
      expect(s.mock.accounting.snapshot().sseOpen).toBeGreaterThanOrEqual(2);
    } finally {
      watcher.stop();
      stalledFeed.stop();
    }
    await until(() => s.mock.accounting.snapshot().sseOpen === 0, 'connections closed');
  });

  it('faults.clear() removes every rule', async () => {
    s.mock.faults.add({ kind: '500' });
    s.mock.faults.add({ route: 'session.get', kind: '404' });
    s.mock.faults.clear();
    expect(s.mock.faults.list()).toEqual([]);
    expect((await s.v2.session.get({ sessionID })).response.status).toBe(200);
  });

  it('can be scripted over HTTP for a mock in another process (/__churnlab/faults)', async () => {
    const add = await fetch(`${s.baseUrl}/__churnlab/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'session.get', kind: '404', times: 1 }),
    });
    expect(add.status).toBe(200);
    expect((await s.v2.session.get({ sessionID })).response.status).toBe(404);
    expect((await s.v2.session.get({ sessionID })).response.status).toBe(200);
  });
});
