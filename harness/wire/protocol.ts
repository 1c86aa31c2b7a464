// The IPC contract between the harness (parent) and the target process (child).
// Messages are plain JSON over Node's IPC channel ('json' serialization).

/** Parent -> child: run a method and answer with the same id. */
export interface CallMessage {
  type: 'call';
  id: number;
  /** Built-in: 'clock.advance' | 'clock.now' | 'handles' | 'memory' | 'heap.collect' | 'host.dispose';
   *  anything else goes to the loaded host's `methods`. */
  method: string;
  params?: unknown;
}

/** Child -> parent: answer to a CallMessage. */
export type ReplyMessage =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: { name: string; message: string; stack?: string } };

/** Child -> parent, unprompted. */
export type ChildEvent =
  | { type: 'ready'; pid: number; virtualNowMs: number; hostInfo?: unknown }
  | { type: 'load-error'; error: { name: string; message: string; stack?: string } }
  /** A hook or target callback threw but the run goes on (counted, as OpenCode does). */
  | { type: 'target-error'; where: string; error: { name: string; message: string } }
  | { type: 'log'; level: 'info' | 'warn'; message: string };

export type ChildToParent = ReplyMessage | ChildEvent;

/**
 * The target's last line on stderr, written synchronously from its 'exit' event with the code it
 * exits with: Node can still die of a signal in its own teardown after that (docs/architecture.md,
 * "A dying target's last words"), and the harness then reports the target's code.
 */
export const EXIT_ANNOUNCEMENT = 'churnlab: target exiting with code ';

/** Parameters of 'clock.advance'. */
export interface ClockAdvanceParams {
  ms: number;
}
/** Result of 'clock.advance' and 'clock.now'. */
export interface ClockState {
  virtualNowMs: number;
  timersFired?: number;
}
/** Result of 'memory': process.memoryUsage() fields the CDP heap figure does not give. */
export interface MemoryState {
  rssBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /**
   * V8's own count of compiled code and bytecode with their metadata (relocation info, deopt
   * data, constant pools): part of the heap, but not where data leaks.
   */
  codeBytes: number;
}

/**
 * What the child loads to drive a target: a host module's default export.
 * Built-in hosts: 'unit' (synthetic fixtures, harness/target/hosts/unit.ts),
 * 'plugin' (OpenCode plugins, harness/host/plugin-host.ts).
 */
export interface TargetHost {
  /** Load the target (path or package name) with the options the harness passed. */
  load(ctx: HostLoadContext): Promise<unknown>;
  /** Methods the harness calls over IPC. Keep them coarse (batches), IPC is not free. */
  methods: Record<string, (params: any) => unknown>;
  /**
   * Objects the census walks to name collections: the target module namespace, hook
   * objects, class instances. Held by the host for the run's whole life (constant cost).
   */
  roots(): Record<string, unknown>;
  dispose?(): Promise<void>;
}

export interface HostLoadContext {
  /** Absolute path or package name of the target module. */
  target: string;
  /** Free-form options from the scenario (e.g. the mock OpenCode's URL). */
  options: Record<string, unknown>;
  /** Report a non-fatal error of the target (a hook that threw). */
  reportTargetError(where: string, error: unknown): void;
}
