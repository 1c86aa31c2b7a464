// The in-process event bus: what `GET /event` streams and what `mock.events.subscribe` sees.
// Each event is serialized at most once, however many SSE connections carry it.
import type { IdGenerator } from './ids.ts';
import type { MockEvent, MockEventInput, ServerHeartbeat } from './types.ts';

export interface BusEvent {
  /** Directory of the session the event is about ('' for server-wide events): SSE filters on it. */
  readonly directory: string;
  readonly event: MockEvent;
  /** The SSE frame (`data: {...}\n\n`) as bytes, built on first use and shared by all streams. */
  frame(): Uint8Array;
}

export type BusListener = (event: BusEvent) => void;

const encoder = new TextEncoder();

class Published implements BusEvent {
  private bytes: Uint8Array | undefined;

  constructor(
    readonly directory: string,
    readonly event: MockEvent,
  ) {}

  frame(): Uint8Array {
    this.bytes ??= encoder.encode(`data: ${JSON.stringify(this.event)}\n\n`);
    return this.bytes;
  }
}

export class EventBus {
  private listeners: BusListener[] = [];

  constructor(private readonly ids: IdGenerator) {}

  /** True when someone listens: callers skip building event payloads otherwise (hot path). */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  subscribe(listener: BusListener): () => void {
    // Copy-on-write: publishing iterates a stable array even if a listener unsubscribes mid-loop.
    this.listeners = [...this.listeners, listener];
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  publish(directory: string, input: MockEventInput): void {
    const listeners = this.listeners;
    if (listeners.length === 0) return;
    const event = { id: this.ids.ascending('evt'), ...input } as MockEvent;
    const published = new Published(directory, event);
    for (const listener of listeners) {
      try {
        listener(published);
      } catch {
        // A throwing in-process listener must not break the request that published the event.
      }
    }
  }

  /** One `server.heartbeat` frame (not a MockEvent: the SDK's Event union lacks it; see ServerHeartbeat). */
  heartbeatFrame(): Uint8Array {
    const beat: ServerHeartbeat = { id: this.ids.ascending('evt'), type: 'server.heartbeat', properties: {} };
    return encoder.encode(`data: ${JSON.stringify(beat)}\n\n`);
  }

  /** A server.connected event for one new SSE connection (not broadcast). */
  connected(): BusEvent {
    return new Published('', { id: this.ids.ascending('evt'), type: 'server.connected', properties: {} });
  }
}
