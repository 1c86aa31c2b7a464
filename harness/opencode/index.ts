// churnlab's mock OpenCode server: msw handlers that behave like `opencode serve` 1.18.33 for the
// routes the SDK uses, plus a fake OpenAI-compatible LLM. Use the handlers in-process
// (setupServer), on a loopback port (listen()), or in your own test suite (docs/mock-opencode.md).
import type { HttpHandler, RequestHandler } from 'msw';
import { Accounting, type AccountingOptions } from './accounting.ts';
import { EventBus } from './bus.ts';
import type { MockCore } from './core.ts';
import { FaultController } from './faults.ts';
import { controlHandlers } from './handlers/control.ts';
import { eventHandlers } from './handlers/event.ts';
import { llmHandlers } from './handlers/llm.ts';
import { messageHandlers } from './handlers/message.ts';
import { sessionHandlers } from './handlers/session.ts';
import { IdGenerator } from './ids.ts';
import { FakeLlm, type FakeLlmOptions } from './llm.ts';
import { FillerText, SeededRandom } from './random.ts';
import { DEFAULT_REPLY_SHAPE, type ReplyShape } from './reply.ts';
import { serveHandlers, type Listening } from './server.ts';
import { SseRegistry } from './sse.ts';
import { MockState } from './state.ts';
import { SNAPSHOT_FORMAT, type MockStore, type StateSnapshot } from './store.ts';
import type { MockEvent, MockEventInput } from './types.ts';

export { Accounting, type AccountingOptions, type AccountingSnapshot, type CallStats, type SessionCallStats } from './accounting.ts';
export { FAULT_KINDS, FaultController, type FaultHandle, type FaultKind, type FaultSpec } from './faults.ts';
export { defaultReply, FakeLlm, type ChatMessage, type LlmReply, type LlmReplyFn, type LlmRequestRecord, type LlmToolCall } from './llm.ts';
export { DEFAULT_REPLY_SHAPE, type ReplyShape } from './reply.ts';
export { serveHandlers, type Listening, type ServeOptions } from './server.ts';
export { MOCK_CHILD_ENTRY, spawnMockOpenCode, type MockProcess } from './spawn.ts';
export { MockState, type CreateSessionInput, type ListSessionsQuery, type SeedOptions, type SessionSnapshot } from './state.ts';
export { fileStore, memoryStore, type MockStore, type StateSnapshot } from './store.ts';
export { CONTROL_PREFIX } from './handlers/control.ts';
export { isIdOf } from './ids.ts';
export * from './types.ts';

/** The real server writes a `server.heartbeat` on every event stream this often (1.18.33, measured). */
export const SSE_HEARTBEAT_MS = 10_000;

export interface MockOpenCodeOptions {
  /** Deterministic ids and generated content (default 1). */
  seed?: number;
  /** Clock for session/message times and ids (default Date.now). */
  now?: () => number;
  /** Default project directory (default process.cwd()). */
  directory?: string;
  /** Persistence: memoryStore() handed from mock to mock, or fileStore(path). Loaded at creation. */
  store?: MockStore;
  /** Shape of assistant replies. */
  reply?: Partial<ReplyShape>;
  /** Origin the handlers answer for in-process, e.g. 'http://opencode.test' (default '*': any). */
  origin?: string;
  /** Fake LLM: how many requests to keep, which models to list. */
  llm?: FakeLlmOptions;
  /** Memory bounds of the accounting (deleted sessions and tool calls kept one by one). */
  accounting?: AccountingOptions;
  /** Interval of `server.heartbeat` on each event stream, as the real server (default 10 000; 0: none). */
  sseHeartbeatMs?: number;
}

export interface MockEvents {
  /** Every event the mock publishes (what GET /event streams, all directories). */
  subscribe(listener: (event: MockEvent) => void): () => void;
  /** Publish an event of your own (e.g. a server-side change a plugin should see). */
  publish(directory: string, event: MockEventInput): void;
}

export interface MockOpenCode {
  /** OpenCode routes + fake LLM routes, for setupServer(...) or serveHandlers(...). */
  readonly handlers: HttpHandler[];
  /** /__churnlab/* routes to script a mock running in another process (listen() serves them). */
  readonly controlHandlers: HttpHandler[];
  readonly state: MockState;
  readonly faults: FaultController;
  readonly accounting: Accounting;
  readonly llm: FakeLlm;
  readonly events: MockEvents;
  readonly replyShape: Readonly<ReplyShape>;
  setReplyShape(shape: Partial<ReplyShape>): void;
  /**
   * Real HTTP on 127.0.0.1 (port 0: any free port), serving handlers + controlHandlers (+ your
   * own `handlers`, tried after them). Closing it persists to the store, if any.
   */
  listen(opts?: { port?: number; host?: '127.0.0.1'; handlers?: RequestHandler[]; dispatch?: 'direct' | 'msw' }): Promise<Listening>;
  /**
   * A server restart: in-flight prompts are cut (their callers' connections drop, the reply stays
   * unfinished as after a crash), live SSE connections drop, and state is kept (round-tripped
   * through the store, or a copy) or lost (and the store cleared).
   */
  restart(opts: { keepState: boolean }): Promise<void>;
  /** Write the state to the store now (returns the snapshot; without a store, only returns it). */
  persist(): StateSnapshot;
}

export function createMockOpenCode(opts: MockOpenCodeOptions = {}): MockOpenCode {
  const core = createCore(opts);
  const { state, bus } = core;
  const store = opts.store;
  const initial = store?.load();
  if (initial) loadSnapshot(core, initial);

  const persist = (): StateSnapshot => persistTo(core, store);
  const setReplyShape = (next: Partial<ReplyShape>) => {
    core.shape = { ...core.shape, ...next };
  };
  const restart = ({ keepState }: { keepState: boolean }) => restartMock(core, store, keepState);

  // Most frequent routes first: setupServer asks handlers in order.
  const handlers = [...sessionHandlers(core), ...messageHandlers(core), ...eventHandlers(core), ...llmHandlers(core)];
  const control = controlHandlers(core, { setReplyShape, restart, persist });

  return {
    handlers,
    controlHandlers: control,
    state,
    faults: core.faults,
    accounting: core.accounting,
    llm: core.llm,
    events: {
      subscribe: (listener) => bus.subscribe((published) => listener(published.event)),
      publish: (dir, event) => bus.publish(dir, event),
    },
    get replyShape() {
      return core.shape;
    },
    setReplyShape,
    listen: (listenOpts = {}) => listenMock(core, store, [...handlers, ...control], listenOpts),
    restart,
    persist,
  };
}

/** The mock's clock, and the clock its event ids read (see createCore). */
function mockClocks(injected: (() => number) | undefined): { now: () => number; eventNow: () => number } {
  // The real server's times are integer ms (the OpenAPI schema says so): floor an injected clock.
  let lastNow = 0;
  const now = injected ? () => (lastNow = Math.floor(injected())) : () => (lastNow = Date.now());
  return { now, eventNow: injected ? () => lastNow : Date.now };
}

function createCore(opts: MockOpenCodeOptions): MockCore {
  const seed = opts.seed ?? 1;
  const { now, eventNow } = mockClocks(opts.now);
  const rng = new SeededRandom(seed);
  const ids = new IdGenerator(rng, now);
  // Event ids from their own random stream, and with an injected clock from its last reading
  // (not a new one): whether anyone listens must not change session ids or times, even with a
  // stepping clock. The wall clock can be read freely (the first event, server.connected, then
  // carries the time it was sent, as on the real server, not 0).
  const eventIds = new IdGenerator(new SeededRandom(seed ^ 0x9e3779b9), eventNow);
  const bus = new EventBus(eventIds);
  let shape: ReplyShape = { ...DEFAULT_REPLY_SHAPE, ...opts.reply };
  let accounting!: Accounting;
  const filler = new FillerText(seed);
  const directory = opts.directory ?? process.cwd();
  const state = new MockState({ ids, rng, filler, now, directory, replyShape: () => shape, seq: () => accounting.seq });
  accounting = new Accounting(state, opts.accounting);
  return {
    state,
    bus,
    faults: new FaultController(),
    accounting,
    llm: new FakeLlm({ ...opts.llm, models: opts.llm?.models ?? [shape.modelID] }),
    sse: new SseRegistry(bus, accounting, opts.sseHeartbeatMs ?? SSE_HEARTBEAT_MS),
    ids,
    rng,
    filler,
    now,
    directory,
    origin: opts.origin ?? '*',
    get shape() {
      return shape;
    },
    set shape(value) {
      shape = value;
    },
    inflight: new Map(),
    bootedDirectories: new Set(),
  };
}

function snapshotOf(core: MockCore): StateSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    sessions: core.state.snapshot(),
    ids: { ...core.ids.clockState, rng: core.rng.seedState },
  };
}

function loadSnapshot(core: MockCore, snap: StateSnapshot): void {
  core.state.restore(snap.sessions);
  core.ids.clockState = { lastMs: snap.ids.lastMs, counter: snap.ids.counter };
  core.rng.seedState = snap.ids.rng;
}

function persistTo(core: MockCore, store: MockStore | undefined): StateSnapshot {
  const snap = snapshotOf(core);
  store?.save(snap);
  return snap;
}

async function restartMock(core: MockCore, store: MockStore | undefined, keepState: boolean): Promise<void> {
  for (const prompt of [...core.inflight.values()]) prompt.crash();
  core.inflight.clear();
  core.bootedDirectories.clear();
  core.sse.killAll();
  if (keepState) {
    const saved = persistTo(core, store);
    loadSnapshot(core, store?.load() ?? structuredClone(saved));
  } else {
    core.state.clear();
    store?.clear();
  }
}

async function listenMock(
  core: MockCore,
  store: MockStore | undefined,
  own: RequestHandler[],
  listenOpts: Parameters<MockOpenCode['listen']>[0] & object,
): Promise<Listening> {
  const { handlers: extra = [], ...serveOpts } = listenOpts;
  const listening = await serveHandlers([...own, ...extra], {
    ...serveOpts,
    ...(core.origin !== '*' ? { origin: core.origin } : {}),
  });
  return {
    ...listening,
    close: async () => {
      await listening.close();
      if (store) persistTo(core, store);
    },
  };
}
