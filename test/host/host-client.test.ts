// The plugin host plays session lives on its own transport; OpenCode must not be able to tell it
// from the SDK client: same answers, same sessions and directories, same accounting.
import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk';
import { createHostTransport, hostClient } from '../../harness/host/host-client.ts';
import { toolCallContext } from '../../harness/host/hooks.ts';
import { PROJECT, serve, type Served } from '../opencode/helpers.ts';

const PROMPT = { agent: 'build', model: { providerID: 'fake', modelID: 'fake-1' }, parts: [{ type: 'text' as const, text: 'turn 0: hello' }] };

async function life(client: OpencodeClient) {
  const created = await client.session.create({ body: { title: 'churnlab session 1' } });
  const id = created.data!.id;
  const reply = await toolCallContext.run('call_1', () => client.session.prompt({ path: { id }, body: PROMPT }));
  const missing = await client.session.prompt({ path: { id: 'ses_missing' }, body: PROMPT });
  const deleted = await client.session.delete({ path: { id } });
  return { created: created.data, reply: reply.data, missing: missing.error, deleted: deleted.data };
}

describe('the plugin host transport', () => {
  const open: Served[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  it('gets the same answers as the SDK client and leaves the same trace in OpenCode', async () => {
    const viaSdk = await serve('loopback');
    const viaHost = await serve('loopback');
    open.push(viaSdk, viaHost);
    const transport = createHostTransport({ baseUrl: viaHost.baseUrl, directory: PROJECT });
    try {
      // The SDK client as the plugin host builds it: requests made inside a tool call are tagged.
      const sdk = createOpencodeClient({
        baseUrl: viaSdk.baseUrl,
        directory: PROJECT,
        fetch: (request: Request) => {
          const callID = toolCallContext.getStore();
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
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
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
