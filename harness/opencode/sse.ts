// GET /event: the bus as Server-Sent Events (`data: {json}\n\n`), a plain ReadableStream body so
// it streams the same in-process (msw setupServer) and over loopback. Pull-based: frames wait in a
// small queue until the consumer reads, so a fault can say "deliver N events, then cut" and mean it.
import type { Accounting } from './accounting.ts';
import type { BusEvent, EventBus } from './bus.ts';
import type { FaultSpec } from './faults.ts';
import { streamReply, type MockRequest, type StreamReply } from './responses.ts';

/** A consumer this far behind is cut off: the mock must not grow because a client stopped reading. */
const MAX_PENDING_FRAMES = 10_000;

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

interface Connection {
  /** Abrupt end (restart): queued frames are discarded and the socket is destroyed. */
  kill(reason: Error): void;
}

export class SseRegistry {
  private readonly live = new Set<Connection>();

  constructor(
    private readonly bus: EventBus,
    private readonly accounting: Accounting,
    /** `server.heartbeat` every this many ms on each stream (0: none). */
    private readonly heartbeatMs: number,
  ) {}

  get size(): number {
    return this.live.size;
  }

  /** Drop every live connection, as a server restart does (clients see a network error). */
  killAll(reason = 'churnlab: server restarted'): void {
    for (const connection of [...this.live]) connection.kill(new Error(reason));
  }

  open(request: MockRequest, directory: string, fault: Readonly<FaultSpec> | undefined): StreamReply {
    const { bus, accounting, live } = this;
    const connection = new SseConnection(live, accounting, request, fault);
    live.add(connection);
    accounting.sseOpened();
    request.signal?.addEventListener('abort', connection.cleanup, { once: true });
    connection.push(bus.connected().frame());
    if (connection.accepting) connection.follow(bus, directory, this.heartbeatMs);
    return streamReply(connection.stream, SSE_HEADERS);
  }
}

/** One GET /event stream: a queue of frames the consumer pulls, and how (and whether) it ends. */
class SseConnection implements Connection {
  private pending: Uint8Array[] = [];
  private terminal: 'close' | Error | undefined;
  private wake: (() => void) | undefined;
  private controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
  private closed = false;
  private stalled = false;
  private delivered = 0;
  private unsubscribe: (() => void) | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  readonly stream: ReadableStream<Uint8Array>;

  constructor(
    private readonly live: Set<Connection>,
    private readonly accounting: Accounting,
    private readonly request: MockRequest,
    private readonly fault: Readonly<FaultSpec> | undefined,
  ) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controllerRef = controller;
        },
        pull: (controller) => this.pull(controller),
        cancel: () => {
          this.cleanup();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Still taking frames: not closed, stalled or ending. */
  get accepting(): boolean {
    return !this.closed && !this.stalled && this.terminal === undefined;
  }

  /** Subscribes to the directory's events (and global ones), with a heartbeat when asked. */
  follow(bus: EventBus, directory: string, heartbeatMs: number): void {
    this.unsubscribe = bus.subscribe((event: BusEvent) => {
      if (event.directory === '' || event.directory === directory) this.push(event.frame());
    });
    if (heartbeatMs > 0) {
      this.heartbeat = setInterval(() => this.push(bus.heartbeatFrame()), heartbeatMs);
      // A stream left open must not keep the process that hosts the mock alive.
      this.heartbeat.unref?.();
    }
  }

  /** A field, not a method: it is the request's abort listener and must stay the same function. */
  readonly cleanup = (): void => {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    this.live.delete(this);
    this.accounting.sseClosed();
    this.request.signal?.removeEventListener('abort', this.cleanup);
    this.pending = [];
    this.wake?.();
  };

  push(frame: Uint8Array): void {
    if (!this.accepting) return;
    if (this.pending.length >= MAX_PENDING_FRAMES) {
      this.kill(new Error('churnlab: SSE consumer too slow, connection dropped'));
      return;
    }
    this.pending.push(frame);
    this.delivered += 1;
    this.accounting.recordSseBytes(frame.byteLength, 1);
    this.applyFault();
    this.wake?.();
  }

  /** After the fault's count of events: drop, cut cleanly, or stall the stream. */
  private applyFault(): void {
    const { fault } = this;
    if (fault === undefined || this.delivered < (fault.afterEvents ?? 1)) return;
    if (fault.kind === 'drop') this.terminal = new Error('churnlab: SSE connection dropped');
    else if (fault.kind === 'sse-cut') this.terminal = 'close';
    else if (fault.kind === 'sse-stall') {
      // Connection stays open, nothing more ever arrives: a half-dead stream.
      this.stalled = true;
      this.unsubscribe?.();
    }
  }

  kill(reason: Error): void {
    if (this.closed) return;
    const controller = this.controllerRef;
    this.cleanup();
    try {
      controller?.error(reason);
    } catch {
      // Already closed by the consumer.
    }
  }

  private async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (!this.closed && this.pending.length === 0 && this.terminal === undefined) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    if (this.closed) return;
    if (this.pending.length > 0) {
      const chunk = this.pending.length === 1 ? this.pending[0]! : concat(this.pending);
      this.pending = [];
      controller.enqueue(chunk);
      return;
    }
    const end = this.terminal;
    this.cleanup();
    if (end === 'close') controller.close();
    else controller.error(end);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
