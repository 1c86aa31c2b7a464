// A small Chrome DevTools Protocol client over one WebSocket (the target's inspector).
// Kept minimal on purpose: request/response by id, events by method name, and every pending
// request rejected the moment the socket closes (so a dying target never hangs the harness).
//
// One request in flight at a time. The inspector answers requests one by one on the target's
// main thread anyway, and its socket does not disable Nagle: with several requests in flight
// every answer after the first waits for our delayed ACK, ~40 ms (measured: 50 pipelined
// getProperties 43 ms in all, 50 sequential 0.26 ms each).
import WebSocket from 'ws';

type Listener = (params: any) => void;

export class CdpError extends Error {
  override name = 'CdpError';
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
  ) {
    super(`CDP ${method}: ${message}`);
  }
}

export interface CdpSession {
  send<T = any>(method: string, params?: object): Promise<T>;
  on(event: string, listener: Listener): void;
  off(event: string, listener: Listener): void;
  /** Close the socket; pending sends reject. Idempotent. */
  close(): void;
  readonly closed: boolean;
  /** Settles when the socket is closed, whoever closed it. */
  readonly whenClosed: Promise<void>;
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Queued extends Pending {
  params?: object;
}

export async function connectCdp(url: string): Promise<CdpSession> {
  // No compression: messages are local and compression costs CPU on both sides.
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return new WsCdpSession(ws);
}

class WsCdpSession implements CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: Queued[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  private isClosed = false;
  readonly whenClosed: Promise<void>;

  constructor(private readonly ws: WebSocket) {
    let markClosed!: () => void;
    this.whenClosed = new Promise((resolve) => (markClosed = resolve));
    ws.on('message', (data) => this.onMessage(String(data)));
    // 'error' is followed by 'close'; without a listener it would be thrown.
    ws.on('error', () => {});
    ws.on('close', () => {
      this.isClosed = true;
      const error = (method: string) => new CdpError(method, 'the inspector connection closed (target ended?)');
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(error(p.method));
      }
      for (const q of this.queue.splice(0)) q.reject(error(q.method));
      markClosed();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send<T = any>(method: string, params?: object): Promise<T> {
    if (this.isClosed || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new CdpError(method, 'the inspector connection is closed'));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ method, ...(params ? { params } : {}), resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Send the next queued request when none is in flight. */
  private pump(): void {
    if (this.pending.size > 0 || this.isClosed) return;
    const next = this.queue.shift();
    if (!next) return;
    const id = this.nextId++;
    this.pending.set(id, next);
    this.ws.send(JSON.stringify({ id, method: next.method, params: next.params ?? {} }), (err) => {
      if (err && this.pending.delete(id)) {
        next.reject(new CdpError(next.method, err.message));
        this.pump();
      }
    });
  }

  on(event: string, listener: Listener): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  off(event: string, listener: Listener): void {
    this.listeners.get(event)?.delete(listener);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    // terminate(): no closing handshake to wait for; the target may be about to exit.
    this.ws.terminate();
  }

  private onMessage(text: string): void {
    let msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string; code?: number } };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new CdpError(p.method, msg.error.message, msg.error.code));
      else p.resolve(msg.result);
      this.pump();
      return;
    }
    if (msg.method) {
      for (const listener of this.listeners.get(msg.method) ?? []) listener(msg.params);
    }
  }
}
