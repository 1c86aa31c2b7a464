// Serving one mock two ways for the same test: in-process (msw setupServer) and over loopback.
import { setupServer } from 'msw/node';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { createOpencodeClient as createV1Client } from '@opencode-ai/sdk';
import { createMockOpenCode, type MockEvent, type MockOpenCode, type MockOpenCodeOptions } from '../../harness/opencode/index.ts';

/**
 * in-process: msw setupServer intercepts fetch. loopback: a real port, the mock's routes called
 * straight from the socket. loopback-msw: a real port, every request through msw's getResponse.
 */
export type Mode = 'in-process' | 'loopback' | 'loopback-msw';
export const MODES: Mode[] = ['in-process', 'loopback', 'loopback-msw'];

export const PROJECT = '/home/dev/project';
/** A clock that moves 1 ms per reading: deterministic times and ids. */
export function steppingClock(start = Date.UTC(2026, 0, 1)): () => number {
  let t = start;
  return () => t++;
}

export interface Served {
  mock: MockOpenCode;
  baseUrl: string;
  v2: ReturnType<typeof createOpencodeClient>;
  v1: ReturnType<typeof createV1Client>;
  close(): Promise<void>;
}

export async function serve(mode: Mode, opts: MockOpenCodeOptions = {}): Promise<Served> {
  const base: MockOpenCodeOptions = { seed: 42, now: steppingClock(), directory: PROJECT, ...opts };
  if (mode === 'in-process') {
    // A made-up origin: loopback requests of other tests pass through untouched.
    const origin = 'http://opencode.test';
    const mock = createMockOpenCode({ ...base, origin });
    const server = setupServer(...mock.handlers, ...mock.controlHandlers);
    server.listen({ onUnhandledRequest: 'bypass' });
    return {
      mock,
      baseUrl: origin,
      v2: createOpencodeClient({ baseUrl: origin, directory: PROJECT }),
      v1: createV1Client({ baseUrl: origin, directory: PROJECT }),
      close: async () => server.close(),
    };
  }
  const mock = createMockOpenCode(base);
  const listening = await mock.listen({ dispatch: mode === 'loopback-msw' ? 'msw' : 'direct' });
  return {
    mock,
    baseUrl: listening.url,
    v2: createOpencodeClient({ baseUrl: listening.url, directory: PROJECT }),
    v1: createV1Client({ baseUrl: listening.url, directory: PROJECT }),
    close: () => listening.close(),
  };
}

/** Poll a condition (the mock works on its own schedule); fails after `limitMs` instead of hanging. */
export async function until(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Events as the SDK's own SSE client yields them, until stop(). */
export async function collectEvents(
  client: Served['v2'],
): Promise<{ events: MockEvent[]; ended: () => boolean; error: () => unknown; stop(): void }> {
  const aborter = new AbortController();
  const events: MockEvent[] = [];
  let ended = false;
  let error: unknown;
  const result = await client.event.subscribe(
    {},
    { signal: aborter.signal, sseMaxRetryAttempts: 1, onSseError: (e: unknown) => (error = e) },
  );
  void (async () => {
    try {
      for await (const event of result.stream) events.push(event as MockEvent);
    } catch (e) {
      error = e;
    } finally {
      ended = true;
    }
  })();
  await until(() => events.length > 0 || ended, 'server.connected');
  return { events, ended: () => ended, error: () => error, stop: () => aborter.abort() };
}

/** An event as the order tests name it: role, part type, tool state, status. */
export function eventLabel(e: MockEvent): string {
  if (e.type === 'message.updated') return `message.updated:${e.properties.info.role}`;
  if (e.type === 'message.part.updated') {
    const part = e.properties.part;
    return `part:${part.type}${part.type === 'tool' ? `:${part.state.status}` : ''}`;
  }
  if (e.type === 'session.status') return `status:${e.properties.status.type}`;
  return e.type;
}
