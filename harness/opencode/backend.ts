// The OpenCode a run talks to, behind one shape: the built-in mock (default) or the real
// `opencode serve` (`--opencode real`). Scenarios and hosts see only this, so the same scenario
// runs on both; what only the mock can do (accounting, state) sits behind `mock`.
import type { FaultController } from './faults.ts';
import type { FakeLlm } from './llm.ts';
import { createMockOpenCode, type MockOpenCode, type MockOpenCodeOptions } from './index.ts';

export type OpenCodeMode = 'mock' | 'real';

export interface OpenCodeBackend {
  readonly mode: OpenCodeMode;
  /** Base URL for the SDK client (`http://127.0.0.1:PORT`); stays the same across restart(). */
  readonly url: string;
  /** The fake LLM every model request reaches (the mock's prompt route, or /v1/chat/completions). */
  readonly llm: FakeLlm;
  /** Faults per route or session (the mock natively; the real server through a loopback proxy). */
  readonly faults: FaultController;
  /** The mock itself (accounting, state, events); undefined with the real server. */
  readonly mock: MockOpenCode | undefined;
  /** Pid of the server's own process when it has one (the real server: RSS from /proc). */
  readonly pid: number | undefined;
  /**
   * A server restart: in-flight requests and event streams are cut; `keepState` true keeps every
   * session and message (the real server: SIGKILL and start again on the same data directory).
   */
  restart(opts: { keepState: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** The mock on a loopback port, as a backend. */
export async function startMockBackend(opts: MockOpenCodeOptions = {}): Promise<OpenCodeBackend> {
  const mock = createMockOpenCode(opts);
  const listening = await mock.listen({ port: 0, host: '127.0.0.1' });
  return {
    mode: 'mock',
    url: listening.url,
    llm: mock.llm,
    faults: mock.faults,
    mock,
    pid: undefined,
    restart: (o) => mock.restart(o),
    close: () => listening.close(),
  };
}
