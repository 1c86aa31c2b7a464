// A loopback forwarding proxy in front of the real server. It keeps `url` the same across
// restarts (the server's port changes; requests that arrive while it restarts wait for it),
// applies faults with the mock's FaultController and the mock's own fault bodies (the same
// FaultSpec means the same thing on both servers), streams SSE through unbuffered, and aborts a
// prompt that takes longer than the limit (a dead LLM makes the server retry for ~66 s).
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type ServerResponse,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { faultError } from '../opencode/fault-responses.ts';
import type { FaultController, FaultSpec } from '../opencode/faults.ts';
import { REAL_DEFAULTS } from '../core/defaults.ts';
import { identifyRoute, type RouteHit } from './routes.ts';

export interface ProxyOptions {
  faults: FaultController;
  /** 0: any free port. */
  port?: number;
  /** A prompt (POST /session/{id}/message) unanswered after this long is aborted upstream. */
  promptTimeoutMs?: number;
  /** How long a request waits for an upstream that is restarting. */
  upstreamWaitMs?: number;
}

export interface ProxyStats {
  requests: number;
  faulted: number;
  /** Prompts the proxy aborted upstream because they ran past promptTimeoutMs. */
  promptAborts: number;
}

export interface Proxy {
  readonly url: string;
  /** Point at a (new) server; undefined while it restarts (requests wait). */
  setUpstream(url: string | undefined): void;
  readonly stats: Readonly<ProxyStats>;
  close(): Promise<void>;
}

// Hop-by-hop headers are the proxy's own business, not forwarded.
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'te', 'trailer', 'upgrade', 'host']);

function forwardHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP.has(name) && value !== undefined) out[name] = value;
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function agentOf(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { agent?: unknown };
    return typeof parsed.agent === 'string' ? parsed.agent : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What one proxy holds: its settings, the server it forwards to, and who waits for one. */
interface ProxyState {
  readonly opts: ProxyOptions;
  readonly promptTimeoutMs: number;
  readonly upstreamWaitMs: number;
  readonly agent: Agent;
  readonly stats: ProxyStats;
  upstream: URL | undefined;
  waiters: Array<() => void>;
}

export async function startProxy(opts: ProxyOptions): Promise<Proxy> {
  const p: ProxyState = {
    opts,
    promptTimeoutMs: opts.promptTimeoutMs ?? REAL_DEFAULTS.promptTimeoutMs,
    upstreamWaitMs: opts.upstreamWaitMs ?? REAL_DEFAULTS.startTimeoutMs,
    // Keep-alive to the server: a fresh TCP connection per request would dominate the round trip.
    agent: new Agent({ keepAlive: true, maxSockets: 64 }),
    stats: { requests: 0, faulted: 0, promptAborts: 0 },
    upstream: undefined,
    waiters: [],
  };
  const server = createServer((req, res) => void onProxyRequest(p, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setUpstream: (url) => setUpstream(p, url),
    stats: p.stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of p.waiters) w();
        p.waiters = [];
        server.close(() => resolve());
        server.closeAllConnections();
        p.agent.destroy();
      }),
  };
}

function setUpstream(p: ProxyState, url: string | undefined): void {
  p.upstream = url === undefined ? undefined : new URL(url);
  if (p.upstream) {
    const wake = p.waiters;
    p.waiters = [];
    for (const w of wake) w();
  }
}

/** The server to forward to, waiting up to upstreamWaitMs for one while it restarts. */
async function upstreamReady(p: ProxyState): Promise<URL | undefined> {
  if (p.upstream) return p.upstream;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((resolve) => p.waiters.push(resolve)),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, p.upstreamWaitMs))),
  ]);
  clearTimeout(timer);
  return p.upstream;
}

async function onProxyRequest(p: ProxyState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  p.stats.requests += 1;
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  const queryAt = path.indexOf('?');
  const pathname = queryAt === -1 ? path : path.slice(0, queryAt);
  const hit = identifyRoute(method, pathname);
  try {
    const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
    const fault = hit ? p.opts.faults.take(hit.route, hit.sessionID) : undefined;
    if (fault !== undefined) {
      p.stats.faulted += 1;
      const error = faultError(fault.kind, 'opencode', {
        ...(hit?.sessionID ? { sessionID: hit.sessionID } : {}),
        path: pathname,
        agent: agentOf(body),
      });
      if (error) return sendJson(res, error.status, error.body);
      // On a prompt the mock answers malformed-200 with an unfinished reply (the shape of a
      // server killed mid-stream), elsewhere with `{}`: the same here.
      if (fault.kind === 'malformed-200' && hit?.route !== 'session.prompt') return sendJson(res, 200, {});
      if (fault.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
    }
    await forward(p, req, res, body, hit, fault);
  } catch (e) {
    if (!res.headersSent) sendJson(res, 502, { name: 'UnknownError', data: { message: `churnlab proxy: ${(e as Error).message}` } });
    else res.destroy();
  }
}

async function forward(
  p: ProxyState,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  hit: RouteHit | undefined,
  fault: Readonly<FaultSpec> | undefined,
): Promise<void> {
  const target = await upstreamReady(p);
  if (target === undefined) {
    sendJson(res, 503, {
      name: 'UnknownError',
      data: { message: `churnlab proxy: the OpenCode server did not come back within ${p.upstreamWaitMs} ms` },
    });
    return;
  }
  const headers = forwardHeaders(req.headers);
  if (body.length > 0) headers['content-length'] = body.length;
  const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: p.agent });
  const abortTimer = promptAbortTimer(p, target, req, hit);
  const done = () => clearTimeout(abortTimer);
  let upstreamDone = false;
  // The client left (or the proxy cut or ended it early): stop the upstream request too.
  res.on('close', () => {
    done();
    if (!upstreamDone) up.destroy();
  });
  up.on('error', () => {
    done();
    // The server died mid-request (restart, crash): the client sees a dropped connection.
    if (!upstreamDone) res.destroy();
  });
  up.on('response', (upRes) => {
    done();
    upRes.on('end', () => (upstreamDone = true));
    relayResponse(upRes, res, fault);
  });
  up.end(body.length > 0 ? body : undefined);
}

/** A prompt that outlives promptTimeoutMs is aborted on the server itself. */
function promptAbortTimer(p: ProxyState, target: URL, req: IncomingMessage, hit: RouteHit | undefined): NodeJS.Timeout | undefined {
  if (hit?.route !== 'session.prompt' || hit.sessionID === undefined) return undefined;
  const sessionID = hit.sessionID;
  return setTimeout(() => {
    p.stats.promptAborts += 1;
    void abortUpstream(target, sessionID, req.headers, p.agent);
  }, p.promptTimeoutMs);
}

/** The server's response to the client, altered by a malformed-200, drop or SSE fault. */
function relayResponse(upRes: IncomingMessage, res: ServerResponse, fault: Readonly<FaultSpec> | undefined): void {
  const outHeaders = forwardHeaders(upRes.headers);
  const sse = String(upRes.headers['content-type'] ?? '').startsWith('text/event-stream');
  if (fault?.kind === 'malformed-200' && !sse) {
    void readBody(upRes).then((full) => sendJson(res, 200, unfinishedReply(full)));
    return;
  }
  if (fault?.kind === 'drop' && !sse) {
    void readBody(upRes).then((full) => {
      res.writeHead(upRes.statusCode ?? 200, { ...outHeaders, 'content-length': full.length });
      res.write(full.subarray(0, Math.max(1, full.length >> 1)));
      res.socket?.end();
    });
    return;
  }
  res.writeHead(upRes.statusCode ?? 200, outHeaders);
  if (sse) res.flushHeaders();
  if (sse && fault !== undefined && (fault.kind === 'drop' || fault.kind === 'sse-cut' || fault.kind === 'sse-stall')) {
    pipeSseWithFault(upRes, res, fault);
    return;
  }
  upRes.pipe(res);
  upRes.on('close', () => {
    if (!upRes.complete) res.destroy();
  });
}

/** POST /session/{id}/abort on the server itself (the client's directory header goes along). */
async function abortUpstream(target: URL, sessionID: string, clientHeaders: IncomingHttpHeaders, agent: Agent): Promise<void> {
  const headers: OutgoingHttpHeaders = { 'content-length': 0 };
  const dir = clientHeaders['x-opencode-directory'];
  if (dir !== undefined) headers['x-opencode-directory'] = dir;
  await new Promise<void>((resolve) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: 'POST', path: `/session/${encodeURIComponent(sessionID)}/abort`, headers, agent },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', () => resolve());
    req.end();
  });
}

/** SSE with a stream fault: forward `afterEvents` events, then cut (sse-cut), drop or stall. */
function pipeSseWithFault(upRes: IncomingMessage, res: ServerResponse, fault: Readonly<FaultSpec>): void {
  const after = fault.afterEvents ?? 1;
  let delivered = 0;
  let pending = '';
  let stopped = false;
  upRes.setEncoding('utf8');
  upRes.on('data', (chunk: string) => {
    if (stopped) return;
    pending += chunk;
    let end: number;
    while (!stopped && (end = pending.indexOf('\n\n')) !== -1) {
      const frame = pending.slice(0, end + 2);
      pending = pending.slice(end + 2);
      res.write(frame);
      delivered += 1;
      if (delivered < after) continue;
      stopped = true;
      // sse-stall: open and silent, what the server sends next is dropped here; sse-cut: a clean
      // end of the stream; drop: the connection dies. The client leaving ends the upstream stream.
      if (fault.kind === 'sse-cut') res.end();
      else if (fault.kind === 'drop') res.socket?.destroy();
    }
  });
  upRes.on('end', () => res.end());
  upRes.on('close', () => {
    if (!upRes.complete && !stopped) res.destroy();
  });
}

/**
 * A finished prompt reply made to look unfinished, as the mock's malformed-200 on a prompt (and
 * a reply of a server killed mid-stream): no time.completed, no finish, a step-start and an empty text part.
 */
export function unfinishedReply(body: Buffer): unknown {
  let reply: {
    info?: { time?: { created?: number; completed?: number }; finish?: string };
    parts?: Array<{ type: string; id: string; sessionID: string; messageID: string }>;
  };
  try {
    reply = JSON.parse(body.toString('utf8')) as typeof reply;
  } catch {
    return {};
  }
  if (reply.info === undefined || !Array.isArray(reply.parts)) return {};
  const { finish: _finish, ...info } = reply.info;
  const { completed: _completed, ...time } = info.time ?? {};
  const start = reply.parts.find((p) => p.type === 'step-start');
  const text = reply.parts.find((p) => p.type === 'text');
  const base = text ?? start;
  const parts = [
    ...(start ? [start] : []),
    ...(base
      ? [{ id: base.id, sessionID: base.sessionID, messageID: base.messageID, type: 'text', text: '', time: { start: time.created ?? 0 } }]
      : []),
  ];
  return { info: { ...info, time }, parts };
}
