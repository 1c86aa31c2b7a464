// The real `opencode serve` as an OpenCodeBackend: one server for the file (start ~1.4-6 s here)
// and a handful of prompts. Skipped, with the install command, when the binary is missing.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { readRss } from '../../harness/observe/proc.ts';
import { startRealBackend, type RealOpenCodeBackend } from '../../harness/opencode-real/backend.ts';
import { findOpencodeBinary, INSTALL_COMMAND } from '../../harness/opencode-real/install.ts';
import { alive } from '../../harness/opencode-real/process.ts';

const binary = findOpencodeBinary();
const skipReason = binary.found ? '' : ` (skipped: ${binary.reason}; install it with: ${INSTALL_COMMAND})`;

describe.skipIf(!binary.found)(`real OpenCode backend${skipReason}`, () => {
  let backend: RealOpenCodeBackend;
  let client: ReturnType<typeof createOpencodeClient>;
  const text = (t: string) => [{ type: 'text' as const, text: t }];

  beforeAll(async () => {
    backend = await startRealBackend();
    client = createOpencodeClient({ baseUrl: backend.url });
  }, 120_000);
  // Closing is tested here, on the file's one server: no second start just for it.
  afterAll(async () => {
    if (!backend) return;
    const pid = backend.pid!;
    const root = backend.dirs.home.replace(/\/home$/, '');
    await backend.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(root)).toBe(false);
  }, 30_000);

  it("runs the server offline on its fake LLM, with the server's own pid for RSS", async () => {
    expect(backend.mode).toBe('real');
    expect(backend.mock).toBeUndefined();
    expect(backend.url).not.toBe(backend.serverUrl);
    expect(await readRss(backend.pid!)).toBeGreaterThan(50 * 1024 * 1024);
    expect(existsSync(`${backend.dirs.config}/opencode/node_modules`)).toBe(true);
    const session = (await client.session.create({ title: 'offline' })).data!;
    const before = backend.llm.total;
    const reply = await client.session.prompt({ sessionID: session.id, parts: text('hello') });
    expect(reply.data!.parts.find((p) => p.type === 'text')).toMatchObject({ text: expect.stringMatching(/echo: hello$/) });
    expect(backend.llm.total - before).toBe(1);
    expect(backend.llm.requests().at(-1)!.source).toBe('http');
  }, 60_000);

  it('keeps the URL, every session and the conversation across restart({ keepState: true }); a new pid', async () => {
    const session = (await client.session.create({ title: 'survivor' })).data!;
    await client.session.prompt({ sessionID: session.id, parts: text('canary: BLUE-HERON') });
    const url = backend.url;
    const oldPid = backend.pid!;
    await backend.restart({ keepState: true });
    expect(backend.url).toBe(url);
    expect(backend.pid).not.toBe(oldPid);
    expect(alive(oldPid)).toBe(false);
    expect((await client.session.messages({ sessionID: session.id })).data!.map((m) => m.info.role)).toEqual(['user', 'assistant']);
    await client.session.prompt({ sessionID: session.id, parts: text('what was the canary?') });
    const seen = backend.llm
      .requests()
      .at(-1)!
      .messages.filter((m) => m.role !== 'system')
      .map((m) => m.role);
    expect(seen).toEqual(['user', 'assistant', 'user']);
  }, 90_000);

  it('cuts a prompt in flight on restart (the caller sees a dropped connection)', async () => {
    const session = (await client.session.create({ title: 'cut' })).data!;
    const hold = backend.faults.add({ route: 'llm.chat.completions', kind: 'latency', latencyMs: 60_000, times: 1 });
    const pending = client.session
      .prompt({ sessionID: session.id, parts: text('long') })
      .then((r) => (r.response === undefined ? 'dropped' : `answered ${r.response.status}`));
    const started = Date.now();
    while (hold.hits === 0 && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 20));
    await backend.restart({ keepState: true });
    expect(await pending).toBe('dropped');
  }, 90_000);

  it('forgets everything on restart({ keepState: false }), still on the same URL', async () => {
    const session = (await client.session.create({ title: 'forgotten' })).data!;
    await backend.restart({ keepState: false });
    expect((await client.session.get({ sessionID: session.id })).response.status).toBe(404);
    expect((await client.global.health()).data).toEqual({ healthy: true, version: '1.18.33' });
  }, 90_000);

  it("applies a FaultSpec through the proxy with the mock's body", async () => {
    const session = (await client.session.create({ title: 'faulted' })).data!;
    backend.faults.add({ route: 'session.get', sessionID: session.id, kind: '410', times: 1 });
    const res = await client.session.get({ sessionID: session.id });
    expect(res.response.status).toBe(410);
    expect(res.error).toEqual({ name: 'GoneError', data: { message: `Gone: ${session.id}` } });
    expect((await client.session.get({ sessionID: session.id })).response.status).toBe(200);
  }, 30_000);
});
