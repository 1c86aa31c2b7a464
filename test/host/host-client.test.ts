// The plugin host plays session lives on its own transport; OpenCode must not be able to tell it
// from the SDK client: same answers, same sessions and directories, same accounting, whether its
// requests go one by one or batched to the mock.
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk';
import { createHostTransport, hostClient } from '../../harness/host/host-client.ts';
import { currentToolCall, inToolCall } from '../../harness/host/hooks.ts';
import { PROJECT, serve, type Served } from '../opencode/helpers.ts';

const PROMPT = {
  agent: 'build',
  model: { providerID: 'fake', modelID: 'fake-1' },
  parts: [{ type: 'text' as const, text: 'turn 0: hello' }],
};

async function life(client: OpencodeClient) {
  const created = await client.session.create({ body: { title: 'churnlab session 1' } });
  const id = created.data!.id;
  const reply = await inToolCall('call_1', () => client.session.prompt({ path: { id }, body: PROMPT }));
  const missing = await client.session.prompt({ path: { id: 'ses_missing' }, body: PROMPT });
  const deleted = await client.session.delete({ path: { id } });
  return { created: created.data, reply: reply.data, missing: missing.error, deleted: deleted.data };
}

describe('the plugin host transport', () => {
  const open: Served[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  for (const coalesce of [false, true]) {
    it(`gets the same answers as the SDK client and leaves the same trace in OpenCode (${coalesce ? 'batched' : 'one request each'})`, async () => {
      const viaSdk = await serve('loopback');
      const viaHost = await serve('loopback');
      open.push(viaSdk, viaHost);
      const transport = createHostTransport({ baseUrl: viaHost.baseUrl, directory: PROJECT, coalesce });
      try {
        // The SDK client as the plugin host builds it: requests made inside a tool call are tagged.
        const sdk = createOpencodeClient({
          baseUrl: viaSdk.baseUrl,
          directory: PROJECT,
          fetch: (request: Request) => {
            const callID = currentToolCall();
            if (callID) request.headers.set('x-churnlab-tool-call', callID);
            return fetch(request);
          },
        });
        const expected = await life(sdk);
        const got = await life(hostClient(viaHost.v1, transport));
        expect(got).toEqual(expected);
        expect(got.created?.directory).toBe(PROJECT);
        expect(got.missing).toMatchObject({ name: 'NotFoundError' });
        expect(viaHost.mock.accounting.snapshot()).toEqual(viaSdk.mock.accounting.snapshot());
      } finally {
        transport.close();
      }
    });
  }

  it('batches the requests of concurrent sessions, each answered by its own route', async () => {
    const plain = await serve('loopback');
    const batched = await serve('loopback');
    open.push(plain, batched);
    const one = createHostTransport({ baseUrl: plain.baseUrl, directory: PROJECT });
    const many = createHostTransport({ baseUrl: batched.baseUrl, directory: PROJECT, coalesce: true });
    const lives = (client: OpencodeClient) => Promise.all(Array.from({ length: 12 }, () => life(client)));
    try {
      const expected = await lives(hostClient(plain.v1, one));
      const got = await lives(hostClient(batched.v1, many));
      expect(got.map((l) => l.reply?.parts.length)).toEqual(expected.map((l) => l.reply?.parts.length));
      expect(got.every((l) => l.missing !== undefined && l.deleted === true)).toBe(true);
      // Calls per route; bytes differ by the digits of ids and times that concurrency orders differently.
      const calls = (s: Served) =>
        Object.fromEntries(Object.entries(s.mock.accounting.routeTotals()).map(([route, t]) => [route, t.calls]));
      expect(calls(batched)).toEqual(calls(plain));
    } finally {
      one.close();
      many.close();
    }
  });

  it('gives a batched request whose connection drops the error a plain request gets, and the others their answers', async () => {
    const served = await serve('loopback');
    open.push(served);
    const transport = createHostTransport({ baseUrl: served.baseUrl, directory: PROJECT, coalesce: true });
    try {
      const client = hostClient(served.v1, transport);
      const ids = await Promise.all([1, 2, 3].map(async (n) => (await client.session.create({ body: { title: `s${n}` } })).data!.id));
      served.mock.faults.add({ route: 'session.prompt', sessionID: ids[1], kind: 'drop', times: 1 });
      const prompts = await Promise.allSettled(ids.map((id) => client.session.prompt({ path: { id }, body: PROMPT })));
      expect(prompts.map((p) => p.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((prompts[1] as PromiseRejectedResult).reason)).toMatch(/OpenCode POST \/session\/ses_\w+\/message: socket hang up/);
    } finally {
      transport.close();
    }
  });

  it('sends plain requests to a server that has no batch route', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/session')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'ses_1', title: 't' }));
      else res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = createHostTransport({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      directory: PROJECT,
      coalesce: true,
    });
    try {
      const first = await transport.request<{ id: string }>('POST', '/session', { title: 't' });
      const second = await transport.request<{ id: string }>('POST', '/session', { title: 't' });
      expect([first.data?.id, second.data?.id]).toEqual(['ses_1', 'ses_1']);
      expect(seen).toEqual(['POST /__churnlab/batch', 'POST /session', 'POST /session']);
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('leaves every other client call to the SDK', async () => {
    const served = await serve('loopback');
    open.push(served);
    const transport = createHostTransport({ baseUrl: served.baseUrl, directory: PROJECT });
    try {
      const client = hostClient(served.v1, transport);
      await client.session.create({ body: { title: 'listed' } });
      const listed = await client.session.list();
      expect(listed.data?.map((s) => s.title)).toEqual(['listed']);
      expect(listed.response).toBeInstanceOf(Response);
    } finally {
      transport.close();
    }
  });

  it('sends a request again on a new socket when the server closed the idle one it reused', async () => {
    // A server that drops each connection when a second request arrives on it: what a client sees
    // when it reuses a socket the server closed while the client's event loop was blocked.
    let answered = 0;
    const server = createNetServer((socket) => {
      let onThisSocket = 0;
      socket.on('data', (chunk: Buffer) => {
        onThisSocket += chunk.toString('latin1').split(' HTTP/1.1\r\n').length - 1;
        if (onThisSocket > 1) return void socket.destroy();
        answered += 1;
        const body = JSON.stringify({ n: answered });
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const transport = createHostTransport({ baseUrl: `http://127.0.0.1:${port}`, directory: PROJECT, idleSocketMs: 10_000 });
    try {
      expect(await transport.request('GET', '/one')).toEqual({ data: { n: 1 } });
      expect(await transport.request('POST', '/two', { a: 1 })).toEqual({ data: { n: 2 } });
      expect(answered).toBe(2);
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
