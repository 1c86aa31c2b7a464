// State that behaves: seeded determinism, cheap long sessions, and restarts that keep or lose it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { createMockOpenCode, fileStore, memoryStore } from '../../harness/opencode/index.ts';
import { check, responseSchema } from './openapi.ts';
import { collectEvents, PROJECT, serve, steppingClock, until } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'churnlab-mock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mock state', () => {
  it('is deterministic: same seed and clock, same ids and bytes', async () => {
    const run = async () => {
      const s = await serve('loopback', { seed: 9, now: steppingClock(), reply: { toolCallsPerMessage: 2, toolOutputBytes: 300 } });
      try {
        const a = (await s.v2.session.create({ title: 'det' })).data!;
        await s.v2.session.prompt({ sessionID: a.id, parts: [{ type: 'text', text: 'same input' }] });
        s.mock.state.seedSession(undefined, { messages: 6 });
        return JSON.stringify([(await s.v2.session.list()).data, (await s.v2.session.messages({ sessionID: a.id })).data]);
      } finally {
        await s.close();
      }
    };
    expect(await run()).toBe(await run());
  });

  it('gives the same ids and times whether or not anyone listens to the bus', async () => {
    const run = async (listen: boolean) => {
      const mock = createMockOpenCode({
        seed: 5,
        now: steppingClock(),
        directory: PROJECT,
        reply: { toolCallsPerMessage: 1, toolOutputBytes: 10 },
      });
      const off = listen ? mock.events.subscribe(() => {}) : () => {};
      const listening = await mock.listen();
      try {
        const client = createOpencodeClient({ baseUrl: listening.url, directory: PROJECT });
        const a = (await client.session.create({ title: 'quiet' })).data!;
        await client.session.prompt({ sessionID: a.id, parts: [{ type: 'text', text: 'x' }] });
        await client.session.prompt({ sessionID: a.id, parts: [{ type: 'text', text: 'y' }] });
        return JSON.stringify([mock.state.list({ directory: PROJECT }), (await client.session.messages({ sessionID: a.id })).data]);
      } finally {
        off();
        await listening.close();
      }
    };
    expect(await run(true)).toBe(await run(false));
  });

  it('seeds a 400-message session (generated, no events) that the SDK reads like any other', async () => {
    const s = await serve('in-process', { reply: { toolCallsPerMessage: 2, toolOutputBytes: 8192 } });
    try {
      const seeded = s.mock.state.seedSession('ses_seeded0000000000000000000', { messages: 400, canary: 'turn 1 canary: OCELOT' });
      const res = await s.v2.session.messages({ sessionID: seeded.id });
      expect(res.data).toHaveLength(400);
      expect(check(responseSchema('session.messages'), res.data)).toEqual([]);
      expect(res.data!.map((m) => m.info.role).slice(0, 4)).toEqual(['user', 'assistant', 'user', 'assistant']);
      const first = res.data![0]!.parts[0]!;
      expect(first.type === 'text' && first.text).toBe('turn 1 canary: OCELOT');
      const tools = res.data![1]!.parts.filter((p) => p.type === 'tool');
      expect(tools).toHaveLength(2);
      // The next prompt carries the whole history to the model, canary included.
      await s.v2.session.prompt({ sessionID: seeded.id, parts: [{ type: 'text', text: 'still there?' }] });
      const seen = s.mock.llm.requests().at(-1)!;
      expect(seen.messages.filter((m) => m.role !== 'system')).toHaveLength(401);
      expect(seen.messages[1]!.content).toBe('turn 1 canary: OCELOT');
    } finally {
      await s.close();
    }
  });

  it('restart({ keepState: true }): sessions survive, SSE clients are dropped, ids never repeat', async () => {
    const s = await serve('loopback');
    try {
      const before = (await s.v2.session.create({ title: 'survivor' })).data!;
      await s.v2.session.prompt({ sessionID: before.id, parts: [{ type: 'text', text: 'remember KIWI' }] });
      const feed = await collectEvents(s.v2);
      await s.mock.restart({ keepState: true });
      await until(() => feed.ended(), 'SSE to drop');
      expect(feed.error()).toBeDefined();
      expect((await s.v2.session.get({ sessionID: before.id })).data!.title).toBe('survivor');
      const after = (await s.v2.session.create({ title: 'new' })).data!;
      expect(after.id).not.toBe(before.id);
      await s.v2.session.prompt({ sessionID: before.id, parts: [{ type: 'text', text: 'what fruit?' }] });
      expect(s.mock.llm.requests().at(-1)!.messages[1]!.content).toBe('remember KIWI');
    } finally {
      await s.close();
    }
  });

  it('restart({ keepState: false }): state is lost, old ids answer 404', async () => {
    const s = await serve('in-process');
    try {
      const before = (await s.v2.session.create({ title: 'doomed' })).data!;
      await s.mock.restart({ keepState: false });
      expect((await s.v2.session.get({ sessionID: before.id })).response.status).toBe(404);
      expect((await s.v2.session.list()).data).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('restart cuts a prompt in flight: its caller loses the connection, the reply stays unfinished', async () => {
    const s = await serve('loopback');
    try {
      const session = (await s.v2.session.create({ title: 'crash' })).data!;
      s.mock.faults.add({ route: 'session.prompt', kind: 'latency', latencyMs: 60_000, times: 1 });
      // A connection lost before the answer: the SDK resolves with a TypeError and no response.
      const pending = s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'slow' }] }).then(
        (res) => (res.response === undefined && res.error instanceof TypeError ? 'dropped' : 'answered'),
        () => 'dropped',
      );
      await until(() => s.mock.state.record(session.id)?.status === 'busy', 'busy');
      await s.mock.restart({ keepState: true });
      expect(await pending).toBe('dropped');
      const messages = (await s.v2.session.messages({ sessionID: session.id })).data!;
      const last = messages.at(-1)!;
      expect(last.info.role).toBe('assistant');
      expect(last.info.role === 'assistant' && last.info.time.completed).toBeUndefined();
      expect(last.parts.map((p) => (p.type === 'text' ? `text:${p.text}` : p.type))).toEqual(['step-start', 'text:']);
    } finally {
      await s.close();
    }
  });

  it('hands state from one mock to the next through a memoryStore', () => {
    const store = memoryStore();
    const a = createMockOpenCode({ seed: 3, store, directory: PROJECT });
    const kept = a.state.create({ title: 'handed over' });
    a.persist();
    const b = createMockOpenCode({ seed: 3, store, directory: PROJECT });
    expect(b.state.get(kept.id)?.title).toBe('handed over');
    expect(b.state.create({}).id).not.toBe(kept.id);
  });

  it('keeps state on disk with fileStore across processes-worth of mocks (close persists)', async () => {
    const path = join(tmp, 'state.json');
    const first = createMockOpenCode({ store: fileStore(path), directory: PROJECT });
    const l1 = await first.listen();
    const client1 = createOpencodeClient({ baseUrl: l1.url, directory: PROJECT });
    const session = (await client1.session.create({ title: 'on disk' })).data!;
    await client1.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'canary MANGO' }] });
    await l1.close();

    const second = createMockOpenCode({ store: fileStore(path), directory: PROJECT });
    const l2 = await second.listen();
    try {
      const client2 = createOpencodeClient({ baseUrl: l2.url, directory: PROJECT });
      expect((await client2.session.get({ sessionID: session.id })).data!.title).toBe('on disk');
      await client2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'which fruit?' }] });
      expect(
        second.llm
          .requests()
          .at(-1)!
          .messages.map((m) => m.content),
      ).toContain('canary MANGO');
    } finally {
      await l2.close();
    }
  });
});
