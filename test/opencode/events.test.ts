// GET /event through the SDKs' own SSE clients: the events, their order, their shapes (checked
// against the real server's Event schema), directory scoping, and connections that close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockEvent } from '../../harness/opencode/index.ts';
import { check, schemaOf } from './openapi.ts';
import { collectEvents, MODES, serve, until, type Served } from './helpers.ts';

const ofSession = (events: MockEvent[], id: string) =>
  events.filter((e) => (e.properties as { sessionID?: string }).sessionID === id);

describe.each(MODES)('event stream (%s)', (mode) => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(mode, { reply: { toolCallsPerMessage: 1, toolOutputBytes: 100 } });
  });
  afterAll(() => s.close());

  it('starts with server.connected and streams every event in the real server\'s shape', async () => {
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

  it('publishes a prompt\'s events in the real order', async () => {
    const feed = await collectEvents(s.v2);
    try {
      const session = (await s.v2.session.create({ title: 'order' })).data!;
      await s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'hi' }] });
      await until(() => ofSession(feed.events, session.id).filter((e) => e.type === 'session.updated').length >= 3, 'the last session.updated');
      const sequence = ofSession(feed.events, session.id).map((e) => {
        if (e.type === 'message.updated') return `message.updated:${e.properties.info.role}`;
        if (e.type === 'message.part.updated') {
          const part = e.properties.part;
          return `part:${part.type}${part.type === 'tool' ? `:${part.state.status}` : ''}`;
        }
        if (e.type === 'session.status') return `status:${e.properties.status.type}`;
        return e.type;
      });
      expect(sequence).toEqual([
        'session.created',
        'session.updated',
        'message.updated:user',
        'part:text',
        'session.updated',
        'status:busy',
        'message.updated:assistant',
        'part:step-start',
        'part:tool:pending',
        'part:tool:running',
        'part:tool:completed',
        'part:text',
        'message.part.delta',
        'part:text',
        'part:step-finish',
        'message.updated:assistant',
        'status:idle',
        'session.idle',
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

  it('serves the v1 client\'s event.subscribe (what plugins use)', async () => {
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
      expect(seen.map((e) => e.type)).toEqual(['session.created', 'session.updated', 'session.idle']);
    } finally {
      off();
      feed.stop();
    }
  });
});
