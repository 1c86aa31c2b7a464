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
    let pending: Uint8Array[] = [];
    let terminal: 'close' | Error | undefined;
    let wake: (() => void) | undefined;
    let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
    let closed = false;
    let stalled = false;
    let delivered = 0;
    let unsubscribe: (() => void) | undefined;
    let heartbeat: ReturnType<typeof setInterval> | undefined;

    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe?.();
      live.delete(connection);
      accounting.sseClosed();
      request.signal?.removeEventListener('abort', cleanup);
      pending = [];
      wake?.();
    };

    const push = (frame: Uint8Array) => {
      if (closed || stalled || terminal !== undefined) return;
      if (pending.length >= MAX_PENDING_FRAMES) {
        connection.kill(new Error('churnlab: SSE consumer too slow, connection dropped'));
        return;
      }
      pending.push(frame);
      delivered += 1;
      accounting.recordSseBytes(frame.byteLength, 1);
      if (fault !== undefined && delivered >= (fault.afterEvents ?? 1)) {
        if (fault.kind === 'drop') terminal = new Error('churnlab: SSE connection dropped');
        else if (fault.kind === 'sse-cut') terminal = 'close';
        else if (fault.kind === 'sse-stall') {
          // Connection stays open, nothing more ever arrives: a half-dead stream.
          stalled = true;
          unsubscribe?.();
        }
      }
      wake?.();
    };

    const connection: Connection = {
      kill(reason) {
        if (closed) return;
        const controller = controllerRef;
        cleanup();
        try {
          controller?.error(reason);
        } catch {
          // Already closed by the consumer.
        }
      },
    };

    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controllerRef = controller;
        },
        async pull(controller) {
          while (!closed && pending.length === 0 && terminal === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          if (closed) return;
          if (pending.length > 0) {
            const chunk = pending.length === 1 ? pending[0]! : concat(pending);
            pending = [];
            controller.enqueue(chunk);
            return;
          }
          const end = terminal;
          cleanup();
          if (end === 'close') controller.close();
          else controller.error(end);
        },
        cancel() {
          cleanup();
        },
      },
      { highWaterMark: 0 },
    );

    live.add(connection);
    accounting.sseOpened();
    request.signal?.addEventListener('abort', cleanup, { once: true });
    push(bus.connected().frame());
    if (!closed && !stalled && terminal === undefined) {
      unsubscribe = bus.subscribe((event: BusEvent) => {
        if (event.directory === '' || event.directory === directory) push(event.frame());
      });
      if (this.heartbeatMs > 0) {
        heartbeat = setInterval(() => push(bus.heartbeatFrame()), this.heartbeatMs);
        // A stream left open must not keep the process that hosts the mock alive.
        heartbeat.unref?.();
      }
    }
    return streamReply(stream, SSE_HEADERS);
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
