// GET /event through the SDKs' own SSE clients: the events, their order, their shapes (checked
// against the real server's Event schema), directory scoping, and connections that close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import type { MockEvent } from '../../harness/opencode/index.ts';
import { check, schemaOf } from './openapi.ts';
import { collectEvents, eventLabel as label, MODES, serve, until, type Served } from './helpers.ts';

const ofSession = (events: MockEvent[], id: string) => events.filter((e) => (e.properties as { sessionID?: string }).sessionID === id);

describe.each(MODES)('event stream (%s)', (mode) => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(mode, { reply: { toolCallsPerMessage: 1, toolOutputBytes: 100 } });
  });
  afterAll(() => s.close());

  it("starts with server.connected and streams every event in the real server's shape", async () => {
    const feed = await collectEvents(s.v2);
    try {
      expect(feed.events[0]).toMatchObject({ type: 'server.connected', properties: {} });
      const session = (await s.v2.session.create({ title: 'events' })).data!;
      await s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'hi' }] });
      await s.v2.session.delete({ sessionID: session.id });
      await until(() => feed.events.some((e) => e.type === 'session.deleted'), 'session.deleted');
      for (const event of feed.events) {
        expect(event.id).toMatch(/^evt_/);
        expect(check(schemaOf('Event'), event), event.type).toEqual([]);
      }
      const ids = feed.events.map((e) => e.id);
      expect([...ids].sort()).toEqual(ids);
    } finally {
      feed.stop();
    }
  });

  it("publishes a prompt's events in the real order, repeats and diffs included", async () => {
    const feed = await collectEvents(s.v2);
    try {
      const session = (await s.v2.session.create({ title: 'order' })).data!;
      await s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'hi' }] });
      await until(() => ofSession(feed.events, session.id).filter((e) => e.type === 'session.diff').length >= 2, 'the last session.diff');
      expect(ofSession(feed.events, session.id).map(label)).toEqual([
        'session.created',
        // The first prompt gives the session its agent and model.
        'session.updated',
        'message.updated:user',
        'part:text',
        'session.updated',
        'status:busy',
        'message.updated:assistant',
        'session.updated',
        'session.diff',
        'status:busy',
        'part:step-start',
        'part:tool:pending',
        'part:tool:running',
        'part:tool:completed',
        'part:text',
        // One delta per piece the fake LLM streams: 45 characters are two pieces of 32.
        'message.part.delta',
        'message.part.delta',
        'part:text',
        'part:step-finish',
        'message.updated:assistant',
        'message.updated:assistant',
        'status:busy',
        'status:idle',
        'session.idle',
        'session.updated',
        'session.diff',
      ]);
      // A second prompt: the agent and model are unchanged, so no session.updated before it.
      const before = ofSession(feed.events, session.id).length;
      await s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'again' }] });
      await until(() => ofSession(feed.events, session.id).filter((e) => e.type === 'session.diff').length >= 4, 'the second prompt');
      expect(ofSession(feed.events, session.id).slice(before).map(label).slice(0, 3)).toEqual([
        'message.updated:user',
        'part:text',
        'session.updated',
      ]);
    } finally {
      feed.stop();
    }
  });

  it('emits session.deleted with the session info, and for children too', async () => {
    const feed = await collectEvents(s.v2);
    try {
      const parent = (await s.v2.session.create({ title: 'p' })).data!;
      const child = (await s.v2.session.create({ title: 'c', parentID: parent.id })).data!;
      await s.v2.session.delete({ sessionID: parent.id });
      await until(() => feed.events.filter((e) => e.type === 'session.deleted').length >= 2, 'two deletes');
      const deleted = feed.events.filter((e): e is Extract<MockEvent, { type: 'session.deleted' }> => e.type === 'session.deleted');
      expect(deleted.map((e) => e.properties.info.id)).toEqual([child.id, parent.id]);
      expect(deleted[1]!.properties.info.title).toBe('p');
    } finally {
      feed.stop();
    }
  });

  it('scopes events to the directory of the subscription', async () => {
    const { createOpencodeClient } = await import('@opencode-ai/sdk/v2');
    const elsewhere = createOpencodeClient({ baseUrl: s.baseUrl, directory: '/elsewhere' });
    const here = await collectEvents(s.v2);
    const there = await collectEvents(elsewhere);
    try {
      const mine = (await s.v2.session.create({ title: 'here' })).data!;
      const theirs = (await elsewhere.session.create({ title: 'there' })).data!;
      await until(() => ofSession(there.events, theirs.id).length > 0 && ofSession(here.events, mine.id).length > 0, 'both');
      expect(ofSession(here.events, theirs.id)).toEqual([]);
      expect(ofSession(there.events, mine.id)).toEqual([]);
    } finally {
      here.stop();
      there.stop();
    }
  });

  it("serves the v1 client's event.subscribe (what plugins use)", async () => {
    const aborter = new AbortController();
    const result = await s.v1.event.subscribe({ signal: aborter.signal });
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of result.stream) {
        seen.push((event as { type: string }).type);
        if (seen.includes('session.created')) break;
      }
    })();
    await until(() => seen.length > 0, 'server.connected');
    await s.v1.session.create({ body: { title: 'v1 events' } });
    await done;
    aborter.abort();
    expect(seen.slice(0, 2)).toEqual(['server.connected', 'session.created']);
  });

  it('closes its side when the client goes away: no open connection, no bus listener left', async () => {
    await until(() => s.mock.accounting.snapshot().sseOpen === 0, 'earlier streams to close');
    const feeds = await Promise.all([collectEvents(s.v2), collectEvents(s.v2), collectEvents(s.v2)]);
    expect(s.mock.accounting.snapshot().sseOpen).toBe(3);
    for (const feed of feeds) feed.stop();
    await until(() => s.mock.accounting.snapshot().sseOpen === 0, 'streams to close');
    // One more event after the close: nothing may be listening any more.
    await s.v2.session.create({ title: 'after close' });
    expect(s.mock.accounting.snapshot().sseOpen).toBe(0);
  });

  it('lets a scenario watch the bus in-process and publish its own events', async () => {
    const seen: MockEvent[] = [];
    const off = s.mock.events.subscribe((e) => seen.push(e));
    const feed = await collectEvents(s.v2);
    try {
      const session = (await s.v2.session.create({ title: 'bus' })).data!;
      s.mock.events.publish('/home/dev/project', { type: 'session.idle', properties: { sessionID: session.id } });
      await until(() => feed.events.some((e) => e.type === 'session.idle'), 'published event');
      expect(seen.map((e) => e.type)).toEqual(['session.created', 'session.idle']);
    } finally {
      off();
      feed.stop();
    }
  });
  it("announces a directory's instance (plugins, catalogs) at its first reply only, and again after a restart", async () => {
    const seen: MockEvent[] = [];
    const off = s.mock.events.subscribe((e) => seen.push(e));
    try {
      // A directory no other test of this file prompts in: its instance has not started yet.
      const client = createOpencodeClient({ baseUrl: s.baseUrl, directory: '/srv/boot' });
      const session = (await client.session.create({ title: 'boot' })).data!;
      const notices = () =>
        seen.filter((e) => !('sessionID' in e.properties)).map((e) => (e.type === 'plugin.added' ? `plugin:${e.properties.id}` : e.type));
      await client.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'no reply yet' }], noReply: true });
      expect(notices()).toEqual([]);
      await client.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'boot' }] });
      const boot = notices();
      expect(boot.filter((n) => n.startsWith('plugin:'))).toHaveLength(45);
      expect(boot.slice(0, 2)).toEqual(['plugin:core/config-reference', 'plugin:agent']);
      expect(boot.filter((n) => !n.startsWith('plugin:'))).toEqual([
        'catalog.updated',
        'reference.updated',
        'integration.updated',
        'catalog.updated',
      ]);
      await client.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'booted' }] });
      expect(notices()).toHaveLength(boot.length);
      await s.mock.restart({ keepState: true });
      await client.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'after the restart' }] });
      expect(notices()).toEqual([...boot, ...boot]);
    } finally {
      off();
    }
  });

  it('aborting an idle or unknown session says it is idle; aborting a reply in flight ends it with session.error', async () => {
    const feed = await collectEvents(s.v2);
    try {
      const session = (await s.v2.session.create({ title: 'abort events' })).data!;
      await s.v2.session.abort({ sessionID: session.id });
      await s.v2.session.abort({ sessionID: 'ses_0000000000000000000000000' });
      await until(() => ofSession(feed.events, 'ses_0000000000000000000000000').length === 2, 'idle for the unknown id');
      expect(ofSession(feed.events, session.id).map(label)).toEqual(['session.created', 'status:idle', 'session.idle']);
      expect(ofSession(feed.events, 'ses_0000000000000000000000000').map(label)).toEqual(['status:idle', 'session.idle']);

      s.mock.faults.add({ route: 'session.prompt', sessionID: session.id, kind: 'latency', latencyMs: 60_000, times: 1 });
      const pending = s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'long task' }] });
      // The stream must have delivered the held prompt's events (its second busy) before counting.
      await until(
        () =>
          ofSession(feed.events, session.id).filter((e) => e.type === 'session.status' && e.properties.status.type === 'busy').length >= 2,
        'busy',
      );
      const before = ofSession(feed.events, session.id).length;
      await s.v2.session.abort({ sessionID: session.id });
      await pending;
      await until(() => ofSession(feed.events, session.id).filter((e) => e.type === 'session.idle').length >= 3, 'idle after the abort');
      expect(ofSession(feed.events, session.id).slice(before).map(label)).toEqual([
        'session.error',
        'status:idle',
        'session.idle',
        'message.updated:assistant',
        'status:idle',
        'session.idle',
      ]);
    } finally {
      feed.stop();
    }
  });

  it('a fork announces its session, then each copied message with its parts', async () => {
    const feed = await collectEvents(s.v2);
    try {
      const source = (await s.v2.session.create({ title: 'fork source' })).data!;
      await s.v2.session.prompt({ sessionID: source.id, parts: [{ type: 'text', text: 'one' }] });
      const fork = (await s.v2.session.fork({ sessionID: source.id })).data!;
      await until(() => ofSession(feed.events, fork.id).length >= 8, 'the copies');
      expect(ofSession(feed.events, fork.id).map(label)).toEqual([
        'session.created',
        'message.updated:user',
        'part:text',
        'message.updated:assistant',
        'part:step-start',
        'part:tool:completed',
        'part:text',
        'part:step-finish',
      ]);
    } finally {
      feed.stop();
    }
  });

  it('writes server.heartbeat on every open stream, as the real server does every 10 s', async () => {
    const quick = await serve(mode, { sseHeartbeatMs: 20 });
    const feed = await collectEvents(quick.v2);
    try {
      await until(() => feed.events.filter((e) => (e.type as string) === 'server.heartbeat').length >= 2, 'two heartbeats');
      const beat = feed.events.find((e) => (e.type as string) === 'server.heartbeat')!;
      expect(beat).toMatchObject({ type: 'server.heartbeat', properties: {} });
      expect(beat.id).toMatch(/^evt_/);
    } finally {
      feed.stop();
      await quick.close();
    }
  });
});
