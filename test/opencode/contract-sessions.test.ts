// Session routes driven by the real @opencode-ai/sdk clients (v2 flat arguments, v1 path/body),
// in-process and over loopback; every body is checked against the real server's OpenAPI schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIdOf } from '../../harness/opencode/index.ts';
import { check, responseSchema } from './openapi.ts';
import { MODES, PROJECT, serve, until, type Served } from './helpers.ts';

function conforms(operationId: string, body: unknown): void {
  expect(check(responseSchema(operationId), body)).toEqual([]);
}

describe.each(MODES)('session routes (%s)', (mode) => {
  let s: Served;
  beforeAll(async () => {
    s = await serve(mode);
  });
  afterAll(() => s.close());

  it('answers global.health like the real server', async () => {
    const res = await s.v2.global.health();
    expect(res.data).toEqual({ healthy: true, version: '1.18.33' });
    conforms('global.health', res.data);
  });

  it('creates a session with a real-shaped id in the client directory (v2 and v1)', async () => {
    const v2 = await s.v2.session.create({ title: 'probe session' });
    expect(v2.response.status).toBe(200);
    conforms('session.create', v2.data);
    expect(isIdOf('ses', v2.data!.id)).toBe(true);
    expect(v2.data).toMatchObject({
      title: 'probe session',
      directory: PROJECT,
      path: 'home/dev/project',
      projectID: 'global',
      version: '1.18.33',
    });

    const v1 = await s.v1.session.create({ body: { title: 'v1 session' } });
    conforms('session.create', v1.data);
    expect(v1.data!.directory).toBe(PROJECT);
  });

  it('gets, lists (newest first, per directory), updates and deletes sessions', async () => {
    const a = (await s.v2.session.create({ title: 'list-a' })).data!;
    const b = (await s.v1.session.create({ body: { title: 'list-b' } })).data!;
    const elsewhere = (await s.v2.session.create({ title: 'other dir', directory: '/elsewhere' })).data!;
    expect(elsewhere.directory).toBe('/elsewhere');

    const got = await s.v1.session.get({ path: { id: a.id } });
    conforms('session.get', got.data);
    expect(got.data!.id).toBe(a.id);

    const list = await s.v2.session.list();
    conforms('session.list', list.data);
    const ids = list.data!.map((x) => x.id);
    expect(ids).toContain(a.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(ids).not.toContain(elsewhere.id);
    const other = await s.v1.session.list({ query: { directory: '/elsewhere' } });
    expect(other.data!.map((x) => x.id)).toEqual([elsewhere.id]);

    const patched = await s.v2.session.update({ sessionID: a.id, title: 'renamed' });
    conforms('session.update', patched.data);
    expect(patched.data!.title).toBe('renamed');
    const v1patch = await s.v1.session.update({ path: { id: b.id }, body: { title: 'renamed-b' } });
    expect(v1patch.data!.title).toBe('renamed-b');

    const deleted = await s.v2.session.delete({ sessionID: a.id });
    expect(deleted.data).toBe(true);
    const gone = await s.v2.session.get({ sessionID: a.id });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toEqual({ name: 'NotFoundError', data: { message: `Session not found: ${a.id}` } });
    conforms('session.get', (await s.v1.session.get({ path: { id: b.id } })).data);
    expect((await s.v1.session.delete({ path: { id: b.id } })).data).toBe(true);
  });

  it('lists children and deletes them with their parent', async () => {
    const parent = (await s.v2.session.create({ title: 'parent' })).data!;
    const child = (await s.v2.session.create({ title: 'child', parentID: parent.id })).data!;
    expect(child.parentID).toBe(parent.id);
    const children = await s.v1.session.children({ path: { id: parent.id } });
    conforms('session.children', children.data);
    expect(children.data!.map((c) => c.id)).toEqual([child.id]);
    const roots = await s.v2.session.list({ roots: true });
    expect(roots.data!.map((x) => x.id)).not.toContain(child.id);
    await s.v2.session.delete({ sessionID: parent.id });
    expect((await s.v2.session.get({ sessionID: child.id })).response.status).toBe(404);
  });

  it('reports busy sessions in session.status and none when idle', async () => {
    const session = (await s.v2.session.create({ title: 'status' })).data!;
    const idle = await s.v2.session.status();
    conforms('session.status', idle.data);
    expect(idle.data![session.id]).toBeUndefined();
    const slow = s.mock.faults.add({ route: 'session.prompt', sessionID: session.id, kind: 'latency', latencyMs: 60_000, times: 1 });
    const pending = s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'hold on' }] });
    // The prompt is held by the latency fault, so the session must stay busy until aborted.
    await until(() => s.mock.state.record(session.id)?.status === 'busy', 'prompt to start');
    const busy = await s.v1.session.status();
    conforms('session.status', busy.data);
    expect(busy.data![session.id]).toEqual({ type: 'busy' });
    expect(slow.hits).toBe(1);
    await s.v2.session.abort({ sessionID: session.id });
    await pending;
    expect((await s.v2.session.status()).data![session.id]).toBeUndefined();
  });

  it('forks with a copy of the history (new ids, "(fork #1)" title, no parentID)', async () => {
    const source = (await s.v2.session.create({ title: 'probe session' })).data!;
    await s.v2.session.prompt({ sessionID: source.id, parts: [{ type: 'text', text: 'one' }] });
    await s.v2.session.prompt({ sessionID: source.id, parts: [{ type: 'text', text: 'two' }] });
    const original = (await s.v2.session.messages({ sessionID: source.id })).data!;

    const fork = await s.v2.session.fork({ sessionID: source.id });
    conforms('session.fork', fork.data);
    expect(fork.data!.title).toBe('probe session (fork #1)');
    expect(fork.data!.parentID).toBeUndefined();
    const copied = (await s.v1.session.messages({ path: { id: fork.data!.id } })).data!;
    expect(copied.map((m) => m.info.role)).toEqual(original.map((m) => m.info.role));
    expect(copied.map((m) => m.parts.map((p) => (p.type === 'text' ? p.text : p.type)))).toEqual(
      original.map((m) => m.parts.map((p) => (p.type === 'text' ? p.text : p.type))),
    );
    expect(copied.every((m) => m.info.sessionID === fork.data!.id && !original.some((o) => o.info.id === m.info.id))).toBe(true);
    const assistant = copied[1]!.info;
    expect(assistant.role === 'assistant' && assistant.parentID).toBe(copied[0]!.info.id);

    const partial = await s.v1.session.fork({ path: { id: source.id }, body: { messageID: original[2]!.info.id } });
    // Numbered from the source's title, as the real server does: every fork of a session is #1.
    expect(partial.data!.title).toBe('probe session (fork #1)');
    expect((await s.v2.session.messages({ sessionID: partial.data!.id })).data).toHaveLength(2);
    const forkOfFork = await s.v2.session.fork({ sessionID: fork.data!.id });
    expect(forkOfFork.data!.title).toBe('probe session (fork #2)');
  });

  it('summarizes: true, and a summary assistant message is appended', async () => {
    const session = (await s.v2.session.create({ title: 'sum' })).data!;
    await s.v2.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'hello' }] });
    const res = await s.v1.session.summarize({ path: { id: session.id }, body: { providerID: 'fake', modelID: 'fake-1' } });
    expect(res.data).toBe(true);
    const messages = (await s.v2.session.messages({ sessionID: session.id })).data!;
    const last = messages.at(-1)!;
    expect(last.info.role === 'assistant' && last.info.summary).toBe(true);
    // As the real server: a user message marks the compaction, and the summary answers it.
    const marker = messages.at(-2)!;
    expect(marker.info.role).toBe('user');
    expect(marker.parts.map((p) => p.type)).toEqual(['compaction']);
    expect(last.info.role === 'assistant' && [last.info.parentID, last.info.agent, last.info.mode]).toEqual([
      marker.info.id,
      'compaction',
      'compaction',
    ]);
    conforms('session.messages', messages);
  });

  it('answers 404 NotFoundError for every session route given an unknown id', async () => {
    const id = 'ses_0000000000000000000000000';
    const calls = [
      s.v2.session.get({ sessionID: id }),
      s.v2.session.update({ sessionID: id, title: 'x' }),
      s.v2.session.delete({ sessionID: id }),
      s.v2.session.children({ sessionID: id }),
      s.v2.session.messages({ sessionID: id }),
      s.v2.session.prompt({ sessionID: id, parts: [{ type: 'text', text: 'x' }] }),
      s.v2.session.promptAsync({ sessionID: id, parts: [{ type: 'text', text: 'x' }] }),
      s.v2.session.fork({ sessionID: id }),
      s.v2.session.summarize({ sessionID: id, providerID: 'fake', modelID: 'fake-1' }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.response.status).toBe(404);
      expect(res.error).toEqual({ name: 'NotFoundError', data: { message: `Session not found: ${id}` } });
    }
    // As on the real server, one message of an unknown session is a missing message.
    const message = await s.v2.session.message({ sessionID: id, messageID: 'msg_x' });
    expect(message.response.status).toBe(404);
    expect(message.error).toEqual({ name: 'NotFoundError', data: { message: 'Message not found: msg_x' } });
  });
});
