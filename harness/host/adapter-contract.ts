// The 'adapter' target contract (docs/adapters.md): code that owns "thread -> OpenCode session"
// bindings and drives an OpenCode server through @opencode-ai/sdk, the way an app's OpenCode
// adapter does. The harness starts threads (handing back the last resume cursor the adapter
// emitted, which the harness persists outside the target), sends turns, stops them the way an
// idle reaper does, and restarts the whole process.
//
// A target module exports `createAdapter(context)` (named, or as the default export's property,
// or a default-exported function) that returns an Adapter.
import type { PermissionRuleset } from '@opencode-ai/sdk/v2';

export interface AdapterContext {
  /** Base URL of the OpenCode server (mock or real `opencode serve`), for createOpencodeClient. */
  opencodeUrl: string;
  /**
   * Hand the harness a resume cursor for a thread (any JSON value). The harness persists the last
   * one per thread in a store it owns (outside this process) and passes it back to start().
   */
  emitCursor(threadId: string, cursor: unknown): void;
  /** Options from the scenario or the command line, passed through unchanged. */
  options: Record<string, unknown>;
}

export interface AdapterStartInput {
  threadId: string;
  /** The last cursor this adapter emitted for the thread, as persisted; absent on a thread's first start. */
  cursor?: unknown;
  /** Working directory of the thread (OpenCode's `directory` query). */
  directory: string;
  /** Permission rules the thread's session must have (OpenCode v2 PermissionRuleset). */
  permission?: PermissionRuleset;
}

export interface AdapterTurnInput {
  threadId: string;
  /** The user's message. */
  text: string;
}

export interface Adapter {
  /** Bind the thread to an OpenCode session (resumed from the cursor, or new). Throws if it cannot. */
  start(input: AdapterStartInput): Promise<{ sessionId: string }>;
  /** One user turn on the thread's bound session; resolves with the assistant's text. */
  sendTurn(input: AdapterTurnInput): Promise<{ sessionId: string; text: string }>;
  /** Drop the thread's binding (idle reaper, user closed it, app shutting down). */
  stop(threadId: string): Promise<void>;
  /** Exact counters worth sampling (sampled as `adapter.<name>`). */
  stats?(): Record<string, number>;
  dispose?(): Promise<void>;
}

export type CreateAdapter = (context: AdapterContext) => Adapter | Promise<Adapter>;

/** Options of the adapter host (LaunchOptions.options); everything else goes to the adapter. */
export interface AdapterHostOptions {
  opencodeUrl: string;
  idleMs?: number;
  sweepEveryMs?: number;
  [option: string]: unknown;
}

/** A cursor the adapter emitted, on its way to the harness's store. */
export interface EmittedCursor {
  threadId: string;
  cursor: unknown;
}

/** Replies of the adapter host's IPC methods; every one carries the cursors emitted since the last. */
export interface AdapterStartReply {
  sessionId: string;
  cursors: EmittedCursor[];
}
export interface AdapterTurnReply {
  sessionId: string;
  text: string;
  cursors: EmittedCursor[];
}
export interface AdapterReapedReply {
  /** Threads the reaper stopped since the last call; `error` when the adapter's stop threw. */
  reaped: Array<{ threadId: string; error?: string }>;
  cursors: EmittedCursor[];
}
