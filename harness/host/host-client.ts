// The transport of the host's OWN requests (the session lives it plays: session.create, prompt,
// delete). They go to the same OpenCode over real HTTP on loopback, with the same method, path,
// headers and JSON body as the SDK sends, but on node:http with a keep-alive agent and a plain
// JSON parse: the SDK's fetch path (a Request, its body stream and AbortSignal, a Response and its
// stream per call) cost the target ~3x the CPU per session, all of it the harness's own garbage in
// the target's heap. The plugin still gets the real SDK client on Node's fetch, untouched.
import http from 'node:http';
import type { OpencodeClient } from '@opencode-ai/sdk';
import { toolCallContext } from './hooks.ts';

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

  const request = <T>(method: string, path: string, body?: unknown): Promise<HostResult<T>> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { 'x-opencode-directory': directoryHeader };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const callID = toolCallContext.getStore();
    if (callID) headers['x-churnlab-tool-call'] = callID;
    const send = (mayRetry: boolean): Promise<HostResult<T>> => new Promise((resolve, reject) => {
      const req = http.request({ agent, host: base.hostname, port: base.port, method, path: prefix + path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve(toResult<T>(res.statusCode ?? 0, chunks));
          } catch (error) {
            reject(error);
          }
        });
      });
      req.on('error', (error) => {
        // A plugin that blocks the event loop past the idle timeout keeps it from firing, so a
        // socket the server already closed can be reused: that request never reached the server.
        if (mayRetry && req.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') resolve(send(false));
        else reject(new Error(`OpenCode ${method} ${path}: ${error.message}`, { cause: error }));
      });
      req.end(payload);
    });
    return send(true);
  };

  return { request, close: () => agent.destroy() };
}

/** As the SDK's client does it: 2xx JSON (empty: {}) is data; anything else is the error body. */
function toResult<T>(status: number, chunks: Buffer[]): HostResult<T> {
  const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
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
    prompt: (options: { path: { id: string }; body?: unknown }) => transport.request('POST', `/session/${id(options)}/message`, options.body),
    delete: (options: { path: { id: string } }) => transport.request('DELETE', `/session/${id(options)}`),
  });
  const client = Object.create(sdk) as OpencodeClient;
  Object.defineProperty(client, 'session', { value: session, enumerable: true });
  return client;
}
