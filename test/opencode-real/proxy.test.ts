// The proxy in front of the real server, tested with the mock as its upstream (no binary needed):
// the same FaultSpec answers the same way through the proxy as natively on the mock, faults match
// route + session, SSE streams through, the URL survives an upstream change, and a prompt that
// runs past the limit is aborted upstream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { createMockOpenCode, FaultController, type FaultSpec, type MockEvent, type MockOpenCode } from '../../harness/opencode/index.ts';
import { startProxy, type Proxy } from '../../harness/opencode-real/proxy.ts';

async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('proxy in front of an OpenCode server', () => {
  let mock: MockOpenCode;
  let upstream: { url: string; close(): Promise<void> };
  let faults: FaultController;
  let proxy: Proxy;
  let viaProxy: ReturnType<typeof createOpencodeClient>;
  let direct: ReturnType<typeof createOpencodeClient>;

  beforeAll(async () => {
    mock = createMockOpenCode({ seed: 3 });
    upstream = await mock.listen();
    faults = new FaultController();
    proxy = await startProxy({ faults, promptTimeoutMs: 60_000 });
    proxy.setUpstream(upstream.url);
    viaProxy = createOpencodeClient({ baseUrl: proxy.url });
    direct = createOpencodeClient({ baseUrl: upstream.url });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });
  beforeEach(() => {
    faults.clear();
    mock.faults.clear();
  });

  const STATUS_FAULTS: FaultSpec['kind'][] = ['404', '410', '422-format', 'unknown-agent', '500'];
  it.each(STATUS_FAULTS)('answers a %s fault exactly as the mock does natively, without reaching the server', async (kind) => {
    const session = (await direct.session.create({ title: 'fault' })).data!;
    const before = mock.accounting.snapshot().byRoute['session.prompt']?.calls ?? 0;
    const body = { parts: [{ type: 'text' as const, text: 'x' }], agent: 'planner' };
    faults.add({ kind, route: 'session.prompt', sessionID: session.id, times: 1 });
    const proxied = await viaProxy.session.prompt({ sessionID: session.id, ...body });
    expect(mock.accounting.snapshot().byRoute['session.prompt']?.calls ?? 0).toBe(before);
    mock.faults.add({ kind, route: 'session.prompt', sessionID: session.id, times: 1 });
    const native = await direct.session.prompt({ sessionID: session.id, ...body });
    expect(proxied.response.status).toBe(native.response.status);
    expect(proxied.error ?? proxied.data).toEqual(native.error ?? native.data);
  });

  it('answers malformed-200 as the mock does: {} on a read, an unfinished reply on a prompt', async () => {
    const session = (await direct.session.create({ title: 'malformed' })).data!;
    faults.add({ kind: 'malformed-200', route: 'session.get', sessionID: session.id, times: 1 });
    mock.faults.add({ kind: 'malformed-200', route: 'session.get', sessionID: session.id, times: 1 });
    const [proxiedGet, nativeGet] = [
      await viaProxy.session.get({ sessionID: session.id }),
      await direct.session.get({ sessionID: session.id }),
    ];
    expect([proxiedGet.response.status, proxiedGet.data]).toEqual([nativeGet.response.status, nativeGet.data]);

    const shape = (r: Awaited<ReturnType<typeof direct.session.prompt>>) => {
      const info = r.data!.info;
      return {
        status: r.response.status,
        completed: info.role === 'assistant' ? info.time.completed : 'user',
        finish: info.role === 'assistant' ? info.finish : 'user',
        parts: r.data!.parts.map((p) => (p.type === 'text' ? `text:${p.text}` : p.type)),
      };
    };
    const parts = [{ type: 'text' as const, text: 'x' }];
    faults.add({ kind: 'malformed-200', route: 'session.prompt', sessionID: session.id, times: 1 });
    const proxied = shape(await viaProxy.session.prompt({ sessionID: session.id, parts }));
    mock.faults.add({ kind: 'malformed-200', route: 'session.prompt', sessionID: session.id, times: 1 });
    const native = shape(await direct.session.prompt({ sessionID: session.id, parts }));
    expect(proxied).toEqual(native);
    expect(native).toEqual({ status: 200, completed: undefined, finish: undefined, parts: ['step-start', 'text:'] });
  });

  it('matches faults on route and session, and counts them down', async () => {
    const a = (await viaProxy.session.create({ title: 'a' })).data!;
    const b = (await viaProxy.session.create({ title: 'b' })).data!;
    const rule = faults.add({ kind: '404', route: 'session.get', sessionID: a.id, times: 2 });
    expect((await viaProxy.session.get({ sessionID: b.id })).response.status).toBe(200);
    expect((await viaProxy.session.messages({ sessionID: a.id })).response.status).toBe(200);
    expect((await viaProxy.session.get({ sessionID: a.id })).error).toEqual({
      name: 'NotFoundError',
      data: { message: `Session not found: ${a.id}` },
    });
    expect((await viaProxy.session.get({ sessionID: a.id })).response.status).toBe(404);
    expect(rule.active).toBe(false);
    expect((await viaProxy.session.get({ sessionID: a.id })).response.status).toBe(200);
  });

  it('holds a request for a latency fault before the server sees it', async () => {
    const session = (await viaProxy.session.create({ title: 'slow' })).data!;
    const calls = () => mock.accounting.snapshot().byRoute['session.get']?.calls ?? 0;
    const before = calls();
    const rule = faults.add({ kind: 'latency', latencyMs: 60_000, route: 'session.get', sessionID: session.id, times: 1 });
    const aborter = new AbortController();
    const pending = viaProxy.session.get({ sessionID: session.id }, { signal: aborter.signal }).then(
      (r) => (r.error instanceof Error && r.error.name === 'AbortError' ? 'aborted' : 'answered'),
      () => 'aborted',
    );
    await until(() => rule.hits === 1, 'the fault to take the request');
    expect(calls()).toBe(before);
    aborter.abort();
    expect(await pending).toBe('aborted');
  });

  it('streams the event bus through, and cuts it after N events for sse-cut', async () => {
    faults.add({ kind: 'sse-cut', route: 'event.subscribe', afterEvents: 2, times: 1 });
    const events: MockEvent[] = [];
    let ended = false;
    const sub = await viaProxy.event.subscribe({}, { sseMaxRetryAttempts: 0 });
    void (async () => {
      try {
        for await (const e of sub.stream) events.push(e as MockEvent);
      } catch {
        // cut
      }
      ended = true;
    })();
    await until(() => events.length === 1, 'server.connected');
    await viaProxy.session.create({ title: 'seen through the proxy' });
    await until(() => ended, 'the stream to end');
    expect(events.map((e) => e.type)).toEqual(['server.connected', 'session.created']);
  });

  it('keeps its URL while the server changes: requests wait for the new one', async () => {
    proxy.setUpstream(undefined);
    const pending = viaProxy.global.health();
    await new Promise((r) => setTimeout(r, 50));
    proxy.setUpstream(upstream.url);
    expect((await pending).data).toEqual({ healthy: true, version: '1.18.33' });
  });

  it('aborts a prompt upstream once it runs past the prompt limit (a dead LLM)', async () => {
    const short = await startProxy({ faults: new FaultController(), promptTimeoutMs: 200 });
    try {
      short.setUpstream(upstream.url);
      const client = createOpencodeClient({ baseUrl: short.url });
      const session = (await client.session.create({ title: 'dead llm' })).data!;
      mock.faults.add({ kind: 'latency', latencyMs: 60_000, route: 'session.prompt', sessionID: session.id, times: 1 });
      const res = await client.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'never answered' }] });
      expect(short.stats.promptAborts).toBe(1);
      const info = res.data!.info;
      expect(info.role === 'assistant' && info.error).toEqual({ name: 'MessageAbortedError', data: { message: 'Aborted' } });
    } finally {
      await short.close();
    }
  });

  it('gives the client a dropped connection when the server dies mid-request', async () => {
    const other = createMockOpenCode({ seed: 4 });
    const doomed = await other.listen();
    const p = await startProxy({ faults: new FaultController() });
    try {
      p.setUpstream(doomed.url);
      const client = createOpencodeClient({ baseUrl: p.url });
      const session = (await client.session.create({ title: 'doomed' })).data!;
      other.faults.add({ kind: 'latency', latencyMs: 60_000, route: 'session.prompt', sessionID: session.id, times: 1 });
      // The SDK resolves a network error as { error } with no response.
      const pending = client.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'x' }] }).then(
        (r) => (r.response === undefined && r.error !== undefined ? 'dropped' : `answered ${r.response?.status}`),
        () => 'dropped',
      );
      await until(() => other.state.record(session.id)?.status === 'busy', 'the prompt to reach the server');
      await doomed.close();
      expect(await pending).toBe('dropped');
    } finally {
      await p.close();
    }
  });
});
