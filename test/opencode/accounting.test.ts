// Exact accounting: calls and response bytes per route, per session, per tool call; SSE
// connections; orphaned sessions by the documented definition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents, MODES, serve, until, type Served } from './helpers.ts';

describe.each(MODES)('accounting (%s)', (mode) => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(mode, { reply: { toolCallsPerMessage: 2, toolOutputBytes: 1000 } });
  });
  afterAll(() => s.close());

  it('counts calls and the exact response bytes the client received, per route and per session', async () => {
    s.mock.accounting.reset();
    const created = await fetch(`${s.baseUrl}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"acct"}',
    });
    const createdBytes = (await created.clone().arrayBuffer()).byteLength;
    const id = ((await created.json()) as { id: string }).id;
    let getBytes = 0;
    for (let i = 0; i < 3; i++) getBytes += (await (await fetch(`${s.baseUrl}/session/${id}`)).arrayBuffer()).byteLength;
    const prompt = await fetch(`${s.baseUrl}/session/${id}/message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parts: [{ type: 'text', text: 'count me' }] }),
    });
    const promptBytes = (await prompt.arrayBuffer()).byteLength;

    const snap = s.mock.accounting.snapshot();
    expect(snap.byRoute['session.create']).toEqual({ calls: 1, bytes: createdBytes, requestBytes: 16, errors: 0 });
    expect(snap.byRoute['session.get']).toMatchObject({ calls: 3, bytes: getBytes, errors: 0 });
    expect(snap.byRoute['session.prompt']).toMatchObject({ calls: 1, bytes: promptBytes });
    expect(snap.bySession[id]).toMatchObject({ calls: 5, bytes: createdBytes + getBytes + promptBytes });
    expect(snap.bySession[id]!.byRoute['session.get']!.calls).toBe(3);
  });

  it('counts per tool call when the caller names it in x-churnlab-tool-call', async () => {
    const id = (await s.v2.session.create({ title: 'tool calls' })).data!.id;
    await s.v2.session.prompt({ sessionID: id, parts: [{ type: 'text', text: 'x' }] });
    s.mock.accounting.reset();
    for (const callID of ['call_a', 'call_a', 'call_b']) {
      await s.v2.session.messages({ sessionID: id }, { headers: { 'x-churnlab-tool-call': callID } });
    }
    await s.v2.session.get({ sessionID: id });
    const snap = s.mock.accounting.snapshot();
    expect(snap.byToolCall['call_a']!.calls).toBe(2);
    expect(snap.byToolCall['call_b']!.byRoute['session.messages']!.calls).toBe(1);
    expect(snap.byToolCall['call_a']!.bytes).toBe(2 * snap.byToolCall['call_b']!.bytes);
    expect(snap.bySession[id]!.calls).toBe(4);
  });

  it('counts open SSE connections and the bytes they carry', async () => {
    await until(() => s.mock.accounting.snapshot().sseOpen === 0, 'no stream open');
    s.mock.accounting.reset();
    const feed = await collectEvents(s.v2);
    expect(s.mock.accounting.snapshot().sseOpen).toBe(1);
    await s.v2.session.create({ title: 'sse bytes' });
    // server.connected and session.created (the next frame would be the heartbeat, 10 s later).
    await until(() => feed.events.length >= 2, 'events');
    const snap = s.mock.accounting.snapshot();
    expect(snap.sseOpened).toBe(1);
    expect(snap.sseEvents).toBe(2);
    expect(snap.byRoute['event.subscribe']!.calls).toBe(1);
    expect(snap.byRoute['event.subscribe']!.bytes).toBe(
      feed.events.reduce((n, e) => n + Buffer.byteLength(`data: ${JSON.stringify(e)}\n\n`), 0),
    );
    feed.stop();
    await until(() => s.mock.accounting.snapshot().sseOpen === 0, 'stream closed');
  });

  it('lists orphans: existing, idle, and named by no request since the mark', async () => {
    const touched = (await s.v2.session.create({ title: 'touched' })).data!.id;
    const deleted = (await s.v2.session.create({ title: 'deleted' })).data!.id;
    const forgotten = (await s.v2.session.create({ title: 'forgotten' })).data!.id;
    const parent = (await s.v2.session.create({ title: 'parent' })).data!.id;
    const seeded = s.mock.state.seedSession(undefined, { messages: 2 }).id;
    const mark = s.mock.accounting.markOrphans();
    await s.v2.session.get({ sessionID: touched });
    await s.v2.session.delete({ sessionID: deleted });
    await s.v2.session.create({ title: 'child', parentID: parent });
    const fresh = (await s.v2.session.create({ title: 'made after the mark' })).data!.id;

    const orphans = s.mock.accounting.snapshot().orphans;
    expect(orphans).toContain(forgotten);
    expect(orphans).toContain(seeded);
    for (const id of [touched, deleted, parent, fresh]) expect(orphans).not.toContain(id);
    expect(s.mock.accounting.snapshot({ orphansSince: mark }).orphans).toEqual(orphans);
    // A mark set now: no request since, so every idle session still there counts, deleted ones never.
    const now = s.mock.accounting.snapshot({ orphansSince: s.mock.accounting.seq }).orphans;
    for (const id of [touched, parent, fresh, forgotten]) expect(now).toContain(id);
    expect(now).not.toContain(deleted);
  });

  it('reset() zeroes the counters and moves the orphan mark, over HTTP too', async () => {
    await s.v2.session.create({ title: 'before reset' });
    await fetch(`${s.baseUrl}/__churnlab/accounting/reset`, { method: 'POST' });
    const snap = (await (await fetch(`${s.baseUrl}/__churnlab/accounting`)).json()) as { byRoute: object; orphans: string[]; seq: number };
    expect(snap.byRoute).toEqual({});
    expect(snap.orphans.length).toBe(s.mock.state.list({}).length + s.mock.state.list({ directory: '/elsewhere' }).length);
    expect(snap.seq).toBeGreaterThan(0);
  });
});
