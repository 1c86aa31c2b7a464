// run.adapter: the harness's side of an 'adapter' target (harness/host/adapter-host.ts). It hands
// each start the thread's last cursor from the harness's store, persists every cursor the adapter
// emits, and answers with discriminated unions: a start the adapter refused is an outcome the
// scenario judges (a 500 on session.get must fail the start), not a harness error. A target that
// died still throws (TargetError: exit 4).
import type { PermissionRuleset } from '@opencode-ai/sdk/v2';
import type {
  AdapterReapedReply,
  AdapterStartInput,
  AdapterStartReply,
  AdapterTurnReply,
  EmittedCursor,
} from '../host/adapter-contract.ts';
import { TargetCallError, type TargetProcess } from '../target/launch.ts';
import type { CursorStore } from './adapter-cursors.ts';

export type AdapterOutcome<T> = ({ ok: true } & T) | { ok: false; error: { name: string; message: string } };
export type StartOutcome = AdapterOutcome<{ sessionId: string }>;
export type TurnOutcome = AdapterOutcome<{ sessionId: string; text: string }>;

export interface AdapterControl {
  /** The harness-owned cursor store (survives restarts of the target). */
  readonly cursors: CursorStore;
  /** Start the thread with its stored cursor, if any. */
  start(threadId: string, opts: { directory: string; permission?: PermissionRuleset }): Promise<StartOutcome>;
  /** Start with this exact cursor (probes: a corrupt or foreign cursor). */
  startWithCursor(threadId: string, cursor: unknown, opts: { directory: string; permission?: PermissionRuleset }): Promise<StartOutcome>;
  turn(threadId: string, text: string): Promise<TurnOutcome>;
  stop(threadId: string): Promise<void>;
  /** Threads the in-target idle reaper stopped since the last call (after their stop settled). */
  reaped(): Promise<AdapterReapedReply['reaped']>;
  /** Threads bound in the current adapter process. */
  liveThreads(): string[];
}

export class AdapterDriver implements AdapterControl {
  private readonly live = new Set<string>();

  constructor(
    private readonly target: () => TargetProcess,
    readonly cursors: CursorStore,
  ) {}

  /** The adapter's process was replaced: nothing is bound in the new one. */
  processRestarted(): void {
    this.live.clear();
  }

  liveThreads(): string[] {
    return [...this.live];
  }

  private keep(cursors: EmittedCursor[]): void {
    for (const c of cursors) this.cursors.setCursor(c.threadId, c.cursor);
  }

  private async attempt<T extends { cursors: EmittedCursor[] }>(
    method: string,
    params: unknown,
  ): Promise<AdapterOutcome<Omit<T, 'cursors'>>> {
    try {
      const reply = await this.target().call<T>(method, params);
      this.keep(reply.cursors);
      const { cursors: _, ...rest } = reply;
      return { ok: true, ...rest };
    } catch (e) {
      if (e instanceof TargetCallError) return { ok: false, error: { name: e.remote.name, message: e.remote.message } };
      throw e;
    }
  }

  start(threadId: string, opts: { directory: string; permission?: PermissionRuleset }): Promise<StartOutcome> {
    return this.startWithCursor(threadId, this.cursors.get(threadId)?.cursor, opts);
  }

  async startWithCursor(
    threadId: string,
    cursor: unknown,
    opts: { directory: string; permission?: PermissionRuleset },
  ): Promise<StartOutcome> {
    const input: AdapterStartInput = {
      threadId,
      directory: opts.directory,
      ...(cursor !== undefined ? { cursor } : {}),
      ...(opts.permission ? { permission: opts.permission } : {}),
    };
    const out = await this.attempt<AdapterStartReply>('adapter.start', input);
    if (out.ok) {
      this.live.add(threadId);
      this.cursors.setSession(threadId, out.sessionId, opts.directory);
    }
    return out;
  }

  async turn(threadId: string, text: string): Promise<TurnOutcome> {
    const out = await this.attempt<AdapterTurnReply>('adapter.turn', { threadId, text });
    if (out.ok) this.cursors.setSession(threadId, out.sessionId, this.cursors.get(threadId)?.directory ?? '');
    return out;
  }

  async stop(threadId: string): Promise<void> {
    const reply = await this.target().call<{ cursors: EmittedCursor[] }>('adapter.stop', { threadId });
    this.keep(reply.cursors);
    this.live.delete(threadId);
  }

  async reaped(): Promise<AdapterReapedReply['reaped']> {
    const reply = await this.target().call<AdapterReapedReply>('adapter.reaped');
    this.keep(reply.cursors);
    for (const r of reply.reaped) this.live.delete(r.threadId);
    return reply.reaped;
  }
}
