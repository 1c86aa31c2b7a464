// The transport of the host's OWN requests (the session lives it plays: session.create, prompt,
// delete). They go to the same OpenCode over real HTTP on loopback, with the same method, path,
// headers and JSON body as the SDK sends, but on node:http with a keep-alive agent and a plain
// JSON parse: the SDK's fetch path (a Request, its body stream and AbortSignal, a Response and its
// stream per call) cost the target ~3x the CPU per session, all of it the harness's own garbage in
// the target's heap. The plugin still gets the real SDK client on Node's fetch, untouched.
// Against the mock, requests that the sessions in flight issue in the same tick go as one batch
// (harness/opencode/batch.ts): each still reaches its own route, with its own answer.
import http from 'node:http';
import type { OpencodeClient } from '@opencode-ai/sdk';
import { currentToolCall } from './hooks.ts';
import { AnswerReader, BATCH_CONTENT_TYPE, BATCH_PATH, encodeBatch, type BatchAnswer, type BatchItem } from '../opencode/batch.ts';

export interface HostTransportOptions {
  /** Base URL of the OpenCode server: http://127.0.0.1:PORT (loopback HTTP only). */
  baseUrl: string;
  /** Project directory, sent as the SDK sends it (`x-opencode-directory`, URL-encoded). */
  directory: string;
  /**
   * Idle keep-alive sockets are closed after this (real time), below the 5 s Node servers (the
   * mock, opencode serve) give idle connections, so a socket is never reused as the server drops it.
   */
  idleSocketMs?: number;
  /**
   * Send requests issued in the same tick as one batch to the mock's batch route. A server without
   * it (404 on the first batch) gets plain requests from then on.
   */
  coalesce?: boolean;
}

/** What the SDK's generated methods give back, as far as the host reads it. */
export type HostResult<T> = { data: T; error?: undefined } | { data?: undefined; error: unknown };

export interface HostTransport {
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<HostResult<T>>;
  /** Close idle sockets (host dispose). */
  close(): void;
}

export function createHostTransport(opts: HostTransportOptions): HostTransport {
  const base = new URL(opts.baseUrl);
  if (base.protocol !== 'http:') throw new Error(`plugin host: OpenCode URL ${opts.baseUrl} is not plain http (loopback)`);
  const agent = new http.Agent({ keepAlive: true, timeout: opts.idleSocketMs ?? 4_000 });
  const directoryHeader = encodeURIComponent(opts.directory);
  const prefix = base.pathname.replace(/\/$/, '');

  const send = (
    method: string,
    path: string,
    headers: Record<string, string | number>,
    payload: string | undefined,
    mayRetry = true,
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = http.request({ agent, host: base.hostname, port: base.port, method, path: prefix + path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      req.on('error', (error) => {
        if (mayRetry && neverReachedServer(req, error)) resolve(send(method, path, headers, payload, false));
        else reject(networkError(method, path, error));
      });
      req.end(payload);
    });

  const batcher = opts.coalesce ? createBatcher({ agent, base, prefix, send }) : undefined;

  const request = async <T>(method: string, path: string, body?: unknown): Promise<HostResult<T>> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { 'x-opencode-directory': directoryHeader };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const callID = currentToolCall();
    if (callID) headers['x-churnlab-tool-call'] = callID;
    const answer = batcher?.usable()
      ? await batcher.enqueue({ method, path, headers, ...(payload !== undefined ? { body: payload } : {}) })
      : await send(method, path, payload === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(payload) }, payload);
    return toResult<T>(answer.status, answer.text);
  };

  return { request, close: () => agent.destroy() };
}

interface Answer {
  status: number;
  text: string;
}

/**
 * A plugin that blocks the event loop past the idle timeout keeps it from firing, so a socket the
 * server already closed can be reused: a reset on it means the request never reached the server.
 */
const neverReachedServer = (req: http.ClientRequest, error: Error): boolean =>
  req.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET';

const networkError = (method: string, path: string, error: Error) =>
  new Error(`OpenCode ${method} ${path}: ${error.message}`, { cause: error });

interface Queued {
  item: BatchItem;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

interface BatcherDeps {
  agent: http.Agent;
  base: URL;
  prefix: string;
  /** A plain request, for the queue of a server that turned out to have no batch route. */
  send: (method: string, path: string, headers: Record<string, string | number>, payload: string | undefined) => Promise<Answer>;
}

/** Most requests in one batch (the sessions in flight issue a handful per tick). */
const MAX_BATCH = 64;

/** The batcher's knowledge of the server: whether it has the batch route, unknown until a batch is answered. */
interface BatchRoute {
  deps: BatcherDeps;
  state: 'untried' | 'works' | 'unsupported';
}

/** Collects the requests of a tick and sends them as batches; answers resolve one by one as they arrive. */
function createBatcher(deps: BatcherDeps) {
  const route: BatchRoute = { deps, state: 'untried' };
  let queue: Queued[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const all = queue;
    queue = [];
    if (route.state === 'unsupported') {
      for (const q of all) sendPlain(deps, q);
      return;
    }
    for (let i = 0; i < all.length; i += MAX_BATCH) postBatch(route, all.slice(i, i + MAX_BATCH));
  };

  return {
    usable: () => route.state !== 'unsupported',
    enqueue(item: BatchItem): Promise<Answer> {
      return new Promise((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // setImmediate is real time under the virtual clock: the batch goes after this tick's microtasks.
          setImmediate(flush);
        }
      });
    },
  };
}

/** One queued request on its own, for a server with no batch route. */
function sendPlain(deps: BatcherDeps, q: Queued): void {
  const { method, path, headers, body } = q.item;
  deps
    .send(method, path, body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) }, body)
    .then(q.resolve, q.reject);
}

/** Send one batch; each of its requests is settled once, by its answer or by the failure that cut it off. */
function postBatch(route: BatchRoute, batch: Queued[], mayRetry = true): void {
  const { agent, base, prefix } = route.deps;
  const payload = encodeBatch(batch.map((q) => q.item));
  const open = new Set(batch.keys());
  const settle = (index: number, answer: BatchAnswer | Error) => {
    const q = batch[index];
    if (!q || !open.delete(index)) return;
    if (answer instanceof Error) q.reject(answer);
    else if (answer.kind === 'dropped') q.reject(networkError(q.item.method, q.item.path, new Error('socket hang up')));
    else q.resolve({ status: answer.status, text: answer.body });
  };
  const failOpen = (error: Error) => {
    for (const index of [...open]) settle(index, networkError(batch[index]!.item.method, batch[index]!.item.path, error));
  };
  const headers = { 'content-type': BATCH_CONTENT_TYPE, 'content-length': payload.length };
  const req = http.request({ agent, host: base.hostname, port: base.port, method: 'POST', path: prefix + BATCH_PATH, headers }, (res) =>
    readBatchAnswer(route, batch, res, settle, failOpen),
  );
  req.on('error', (error) => {
    if (mayRetry && open.size === batch.length && neverReachedServer(req, error)) postBatch(route, batch, false);
    else failOpen(error);
  });
  req.end(payload);
}

/** Hand each answer of a batch to `settle` as it arrives; the first answer tells whether the server batches at all. */
function readBatchAnswer(
  route: BatchRoute,
  batch: Queued[],
  res: http.IncomingMessage,
  settle: (index: number, answer: BatchAnswer | Error) => void,
  failOpen: (error: Error) => void,
): void {
  if (route.state === 'untried' && (res.statusCode !== 200 || res.headers['content-type'] !== BATCH_CONTENT_TYPE)) {
    // Not the mock: every request goes on its own from now on.
    route.state = 'unsupported';
    res.resume();
    for (const q of batch) sendPlain(route.deps, q);
    return;
  }
  if (res.statusCode !== 200) {
    res.resume();
    failOpen(new Error(`batch answered HTTP ${res.statusCode}`));
    return;
  }
  route.state = 'works';
  const reader = new AnswerReader(settle);
  res.on('data', (chunk: Buffer) => {
    try {
      reader.push(chunk);
    } catch (error) {
      failOpen(new Error(`unreadable batch answer (${(error as Error).message})`));
      res.destroy();
    }
  });
  res.on('error', failOpen);
  // An answer missing at the end is a request whose connection dropped.
  res.on('end', () => failOpen(new Error('socket hang up')));
}

/** As the SDK's client does it: 2xx JSON (empty: {}) is data; anything else is the error body. */
function toResult<T>(status: number, text: string): HostResult<T> {
  if (status >= 200 && status < 300) return { data: (text === '' ? {} : JSON.parse(text)) as T };
  let error: unknown = text;
  try {
    error = JSON.parse(text);
  } catch {
    // not JSON: the text itself, as the SDK gives it
  }
  return { error: error ?? {} };
}

type SessionApi = OpencodeClient['session'];

/**
 * The client the host plays session lives with: the SDK client, except that the calls every
 * session makes go through the host transport. Anything else falls through to the SDK.
 */
export function hostClient(sdk: OpencodeClient, transport: HostTransport): OpencodeClient {
  const id = (options: { path: { id: string } }) => encodeURIComponent(options.path.id);
  const session: Partial<SessionApi> = Object.create(sdk.session) as Partial<SessionApi>;
  Object.assign(session, {
    create: (options?: { body?: unknown }) => transport.request('POST', '/session', options?.body),
    prompt: (options: { path: { id: string }; body?: unknown }) =>
      transport.request('POST', `/session/${id(options)}/message`, options.body),
    delete: (options: { path: { id: string } }) => transport.request('DELETE', `/session/${id(options)}`),
  });
  const client = Object.create(sdk) as OpencodeClient;
  Object.defineProperty(client, 'session', { value: session, enumerable: true });
  return client;
}
