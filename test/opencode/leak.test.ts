// The mock runs next to targets for minutes: 10 000 requests over loopback against a stable state
// must leave its own post-GC heap flat. The mock runs in a child process (its heap only), the
// requests mix every route group, SSE connects and disconnects, faults, the fake LLM, and
// create/delete churn (with the accounting's deleted-session bound set low so it is exercised).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMockOpenCode, type MockProcess } from '../../harness/opencode/index.ts';

const ROUND = 2000;
const ROUNDS = Number(process.env.LEAK_ROUNDS ?? 5);
const CONCURRENCY = 8;

describe('mock heap under load', () => {
  let mock: MockProcess;
  const sessions: string[] = [];
  let seeded = '';
  let messageID = '';

  const call = (path: string, init?: RequestInit) => fetch(`${mock.url}${path}`, init).then((res) => res.arrayBuffer());
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const heap = async () => (await mock.heap()).usedHeapBytes;

  beforeAll(async () => {
    mock = await spawnMockOpenCode(['--tool-calls', '2', '--tool-output-bytes', '2048', '--max-deleted-sessions', '50', '--llm-record-limit', '32'], (process.env.LEAK_FLAGS ?? '').split(' ').filter(Boolean));
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${mock.url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"title":"stable ${i}"}` });
      sessions.push(((await res.json()) as { id: string }).id);
    }
    await post(`/session/${sessions[0]}/message`, { parts: [{ type: 'text', text: 'one turn' }] });
    const messages = (await (await fetch(`${mock.url}/session/${sessions[0]}/message`)).json()) as Array<{ info: { id: string } }>;
    messageID = messages[0]!.info.id;
    seeded = ((await (await fetch(`${mock.url}/__churnlab/seed`, { method: 'POST', body: '{"messages":200}' })).json()) as { id: string }).id;
  });
  afterAll(() => mock.stop());

  /** One request of the mix, chosen by its number (deterministic). */
  async function request(n: number): Promise<void> {
    const id = sessions[n % sessions.length]!;
    switch (process.env.LEAK_ONLY ? Number(process.env.LEAK_ONLY) : n % 16) {
      case 0: {
        const res = await fetch(`${mock.url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"churn"}' });
        const created = (await res.json()) as { id: string };
        await call(`/session/${created.id}`, { method: 'DELETE' });
        return;
      }
      case 1: return void (await call(`/session/${id}`));
      case 2: return void (await call(`/session/${sessions[0]}/message`));
      case 3: return void (await call(`/session/${seeded}/message?limit=20`));
      case 4: return void (await call('/session'));
      case 5: return void (await call('/session/status'));
      case 6: return void (await call('/global/health'));
      case 7: return void (await call(`/session/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"title":"same"}' }));
      case 8: return void (await post('/v1/chat/completions', { model: 'fake-1', messages: [{ role: 'user', content: `q${n % 10}` }] }));
      case 9: return void (await post('/v1/chat/completions', { model: 'fake-1', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream' }] }));
      case 10: return void (await call(`/session/${sessions[0]}/message/${messageID}`));
      case 11: return void (await call('/session/ses_doesnotexist00000000000000'));
      case 12: return void (await post(`/session/${id}/abort`, {}));
      case 13: {
        // An SSE client that reads server.connected and leaves.
        const aborter = new AbortController();
        const res = await fetch(`${mock.url}/event`, { signal: aborter.signal });
        const reader = res.body!.getReader();
        await reader.read();
        aborter.abort();
        await reader.cancel().catch(() => {});
        return;
      }
      case 14: return void (await call(`/session/${sessions[0]}/message`, { headers: { 'x-churnlab-tool-call': `call_${n % 10}` } }));
      default: {
        // A one-shot fault, added and consumed.
        await post('/__churnlab/faults', { route: 'session.get', sessionID: id, kind: '404', times: 1 });
        return void (await call(`/session/${id}`));
      }
    }
  }

  async function load(from: number, count: number): Promise<void> {
    let next = from;
    const end = from + count;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < end) await request(next++);
      }),
    );
  }

  it('keeps its post-GC heap flat over 10 000 requests', async () => {
    await load(0, ROUND); // warm-up: JIT, caches, the LLM ring fills
    const samples = [await heap()];
    for (let round = 1; round <= ROUNDS; round++) {
      await load(round * ROUND, ROUND);
      samples.push(await heap());
      if (process.env.LEAK_SNAP && (round === 10 || round === 20)) await new Promise<void>((r) => { mock.process.once('message', () => r()); mock.process.send({ type: 'snap' }); });
    }
    // Least-squares slope of heap against requests done.
    const xs = samples.map((_, i) => i * ROUND);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = samples.reduce((a, b) => a + b, 0) / samples.length;
    const slope = xs.reduce((a, x, i) => a + (x - mx) * (samples[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const growth = samples.at(-1)! - samples[0]!;
    console.log(
      `mock heap after warm-up and each ${ROUND} requests (KB): ${samples.map((b) => (b / 1024).toFixed(1)).join(', ')}; ` +
        `slope ${slope.toFixed(2)} B/request; growth ${(growth / 1024).toFixed(1)} KB over ${ROUND * ROUNDS} requests`,
    );
    const accounting = (await (await fetch(`${mock.url}/__churnlab/accounting`)).json()) as { sseOpen: number; evicted: { sessions: number } };
    expect(accounting.sseOpen).toBe(0);
    expect(accounting.evicted.sessions).toBeGreaterThan(0);
    // A leak of one small object per request would be >= 32 B/request (>= 320 KB here); V8's own
    // noise between post-GC samples of this process is a few hundred KB, mostly downwards.
    expect(slope).toBeLessThan(16);
    expect(growth).toBeLessThan(256 * 1024);
  });
});
