// msw handlers on a real HTTP port (127.0.0.1), for targets in other processes. A small node:http
// adapter instead of @mswjs/http-middleware's express app, because over loopback we need what the
// middleware does not give: client disconnects that cancel the response stream (SSE connections
// must close, not pile up), a stream error that cuts the socket (the "drop" fault), and speed: the
// mock's own routes are called straight from the socket (2-4x the throughput of msw's dispatch,
// measured in bench/mock-throughput.ts); other handlers go through msw's getResponse.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'msw';
import { routeMatchers } from './match.ts';
import type { MockRequest, RawReply } from './responses.ts';
import { directRoutes } from './route.ts';
import { BATCH_CONTENT_TYPE, BATCH_PATH, decodeBatch, encodeAnswer, type BatchAnswer, type BatchItem } from './batch.ts';

export interface ServeOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** Loopback only, by design. */
  host?: '127.0.0.1';
  /** Origin put in front of request paths before matching (default: the listening URL). */
  origin?: string;
  /**
   * 'direct' (default): the mock's own routes are called straight from the socket (no fetch
   * Request/Response, no msw dispatch: about twice the throughput); other handlers go through
   * msw's getResponse. 'msw': every request goes through getResponse, as in-process.
   */
  dispatch?: 'direct' | 'msw';
}

export interface Listening {
  /** `http://127.0.0.1:PORT` (no trailing slash): a baseUrl for createOpencodeClient. */
  url: string;
  port: number;
  /** Stop listening and destroy open connections (SSE clients see a network error). */
  close(): Promise<void>;
}

interface Entry {
  handler: RequestHandler;
  match?: (method: string, pathname: string) => Record<string, string> | undefined;
  direct?: (request: MockRequest, params: Record<string, string | undefined>) => Promise<RawReply>;
}

/** A fetch-like view of a request for the direct path: headers read from a plain object, no Request. */
class PlainRequest implements MockRequest {
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly method: string,
    readonly url: string,
    raw: Readonly<Record<string, string | string[] | undefined>>,
    private readonly body: Buffer | string | undefined,
  ) {
    this.headers = {
      get(name) {
        const value = raw[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  text(): Promise<string> {
    return Promise.resolve(this.body === undefined ? '' : typeof this.body === 'string' ? this.body : this.body.toString('utf8'));
  }
}

/**
 * msw's dispatch, loaded at the first request that needs it: msw's main module loads GraphQL and
 * WebSocket support too (~0.1 s of every CLI start under tsx), and a run on the mock's own routes
 * never calls it.
 */
let mswDispatch: Promise<(typeof import('msw'))['getResponse']> | undefined;
const mswGetResponse = () => (mswDispatch ??= import('msw').then((m) => m.getResponse));

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const SERVER_ERROR = JSON.stringify({ name: 'UnknownError', data: { message: 'mock server error' } });

const pathOf = (path: string): string => {
  const queryAt = path.indexOf('?');
  return queryAt === -1 ? path : path.slice(0, queryAt);
};

const NO_ROUTE = (method: string, path: string) =>
  JSON.stringify({ name: 'NotFoundError', data: { message: `No mock route for ${method} ${path}` } });

/** The handlers one server dispatches to, and the origin requests are built against. */
interface Dispatch {
  readonly entries: Entry[];
  origin: string;
}

type Routed =
  | { kind: 'direct'; run: NonNullable<Entry['direct']>; params: Record<string, string> }
  | { kind: 'msw'; candidates: RequestHandler[] }
  | { kind: 'none' };

export async function serveHandlers(handlers: readonly RequestHandler[], opts: ServeOptions = {}): Promise<Listening> {
  const d: Dispatch = { entries: routeEntries(handlers, (opts.dispatch ?? 'direct') === 'direct'), origin: opts.origin ?? '' };
  const server = createServer((req, res) => void onRequest(d, req, res));
  await listen(server, opts);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  if (d.origin === '') d.origin = url;
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function routeEntries(handlers: readonly RequestHandler[], direct: boolean): Entry[] {
  return handlers.map((handler) => {
    const matcher = routeMatchers.get(handler);
    const run = direct ? directRoutes.get(handler) : undefined;
    return matcher === undefined
      ? { handler }
      : {
          handler,
          match: (method, pathname) => (method === matcher.method ? matcher.match(pathname) : undefined),
          ...(run ? { direct: run } : {}),
        };
  });
}

function listen(server: Server, opts: ServeOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function routeRequest(d: Dispatch, method: string, pathname: string): Routed {
  const candidates: RequestHandler[] = [];
  for (const entry of d.entries) {
    if (entry.match === undefined) {
      candidates.push(entry.handler);
      continue;
    }
    const params = entry.match(method, pathname);
    if (params === undefined) continue;
    // The first matching handler wins, as in msw; ours can skip msw's dispatch.
    if (candidates.length === 0 && entry.direct) return { kind: 'direct', run: entry.direct, params };
    candidates.push(entry.handler);
  }
  return candidates.length === 0 ? { kind: 'none' } : { kind: 'msw', candidates };
}

async function onRequest(d: Dispatch, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  const pathname = pathOf(path);
  // No AbortSignal per request: undici ties a passed signal to the Request through a WeakRef
  // and a FinalizationRegistry, garbage that outlives the request. Disconnects still reach
  // streaming handlers: pipeStream cancels the body stream when the socket closes.
  try {
    const body = await readBody(req);
    if (method === 'POST' && pathname === BATCH_PATH) {
      await answerBatch(d, body, res);
      return;
    }
    const routed = routeRequest(d, method, pathname);
    if (routed.kind === 'direct') {
      await writeRaw(await routed.run(new PlainRequest(method, d.origin + path, req.headers, body), routed.params), req, res);
      return;
    }
    await answerThroughMsw(d, routed, method, path, body, req, res);
  } catch {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(SERVER_ERROR);
    else res.destroy();
  }
}

/** A request no direct route takes: a fetch Request through msw's handlers, its Response written back. */
async function answerThroughMsw(
  d: Dispatch,
  routed: Exclude<Routed, { kind: 'direct' }>,
  method: string,
  path: string,
  body: Buffer | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const request = new Request(d.origin + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const response = routed.kind === 'none' ? undefined : await (await mswGetResponse())(routed.candidates, request);
  if (response === undefined) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(NO_ROUTE(method, pathOf(path)));
    return;
  }
  if (response.type === 'error') {
    // HttpResponse.error(): a network error for the client, as a dying server gives.
    req.socket.destroy();
    return;
  }
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (response.body === null) {
    res.end();
    return;
  }
  await pipeStream(response.body, res);
}

/** One request of a batch, answered by the route a plain request would reach. */
async function answerItem(d: Dispatch, item: BatchItem): Promise<BatchAnswer> {
  const pathname = pathOf(item.path);
  try {
    const routed = routeRequest(d, item.method, pathname);
    if (routed.kind === 'none') return { kind: 'reply', status: 404, body: NO_ROUTE(item.method, pathname) };
    if (routed.kind === 'direct')
      return await rawAnswer(await routed.run(new PlainRequest(item.method, d.origin + item.path, item.headers, item.body), routed.params));
    const request = new Request(d.origin + item.path, {
      method: item.method,
      headers: item.headers,
      ...(item.body !== undefined ? { body: item.body } : {}),
    });
    const response = await (await mswGetResponse())(routed.candidates, request);
    if (response === undefined) return { kind: 'reply', status: 404, body: NO_ROUTE(item.method, pathname) };
    if (response.type === 'error') return { kind: 'dropped' };
    return { kind: 'reply', status: response.status, body: await response.text() };
  } catch {
    return { kind: 'reply', status: 500, body: SERVER_ERROR };
  }
}

async function answerBatch(d: Dispatch, body: Buffer | undefined, res: ServerResponse): Promise<void> {
  let items: BatchItem[];
  try {
    items = decodeBatch(body ?? Buffer.alloc(0));
  } catch (error) {
    res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ name: 'BadRequest', data: { message: (error as Error).message } }));
    return;
  }
  // Concurrently, as separate requests would be, each answer written as soon as it is ready:
  // a slow or hanging one holds up no other. Answers ready in the same tick share a write.
  res.writeHead(200, { 'content-type': BATCH_CONTENT_TYPE });
  const write = tickCorkedWriter(res);
  await Promise.all(items.map(async (item, index) => write(index, await answerItem(d, item))));
  res.end();
}

/** Writes batch answers, corking the response so answers ready in the same tick share one write. */
function tickCorkedWriter(res: ServerResponse): (index: number, answer: BatchAnswer) => void {
  let corked = false;
  return (index, answer) => {
    if (res.destroyed) return;
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(() => {
        corked = false;
        res.uncork();
      });
    }
    res.write(encodeAnswer(index, answer));
  };
}

async function writeRaw(reply: RawReply, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (reply.kind) {
    case 'json':
      if (reply.status === 204) res.writeHead(204).end();
      else
        res
          .writeHead(reply.status, { ...reply.headers, 'content-type': 'application/json', 'content-length': reply.bytes })
          .end(reply.text);
      return;
    case 'network-error':
      req.socket.destroy();
      return;
    case 'stream':
      res.writeHead(reply.status, reply.headers);
      await pipeStream(reply.stream, res);
  }
}

/** A route's reply as a batch answer: a cut stream is a dropped connection, as on a socket. */
async function rawAnswer(reply: RawReply): Promise<BatchAnswer> {
  switch (reply.kind) {
    case 'json':
      return { kind: 'reply', status: reply.status, body: reply.status === 204 ? '' : reply.text };
    case 'network-error':
      return { kind: 'dropped' };
    case 'stream':
      try {
        return { kind: 'reply', status: reply.status, body: await new Response(reply.stream).text() };
      } catch {
        return { kind: 'dropped' };
      }
  }
}

/** Body stream to socket, with backpressure; the client leaving cancels the stream; a stream error drops the socket. */
async function pipeStream(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const onClose = () => {
    reader.cancel().catch(() => {});
  };
  res.on('close', onClose);
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    // Cut the connection, but after what was already written reaches the client: FIN without
    // the chunked terminator (or short of content-length), which clients see as a dropped link.
    const socket = res.socket;
    if (socket && !socket.destroyed) {
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    } else res.destroy();
  } finally {
    res.off('close', onClose);
  }
}
