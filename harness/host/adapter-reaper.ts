// The idle reaper of an app that hosts an OpenCode adapter: every sweepEveryMs it stops bindings
// that have been idle for idleMs or more and have no turn in flight. It runs inside the target on
// the virtual clock (setInterval is the fake one), so the harness makes 30 minutes pass in one IPC
// call and the adapter's stop() runs exactly as in the app, from the app's own timer.
export interface ReaperOptions {
  idleMs: number;
  sweepEveryMs: number;
  stop(threadId: string): Promise<void>;
}

export interface Reaped {
  threadId: string;
  error?: string;
}

export class IdleReaper {
  /** Live bindings: thread -> last activity (virtual ms). Entries leave on stop or reap. */
  private readonly lastActiveMs = new Map<string, number>();
  private readonly turnsInFlight = new Map<string, number>();
  private readonly stopping = new Set<Promise<void>>();
  private reaped: Reaped[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  reapCount = 0;

  constructor(private readonly opts: ReaperOptions) {
    // Unref'd: the reaper must never keep the target's process alive on its own.
    this.timer = setInterval(() => this.sweep(), opts.sweepEveryMs);
    this.timer.unref?.();
  }

  touch(threadId: string): void {
    this.lastActiveMs.set(threadId, Date.now());
  }

  forget(threadId: string): void {
    this.lastActiveMs.delete(threadId);
  }

  async duringTurn<T>(threadId: string, run: () => Promise<T>): Promise<T> {
    this.turnsInFlight.set(threadId, (this.turnsInFlight.get(threadId) ?? 0) + 1);
    try {
      return await run();
    } finally {
      const left = (this.turnsInFlight.get(threadId) ?? 1) - 1;
      if (left > 0) this.turnsInFlight.set(threadId, left);
      else this.turnsInFlight.delete(threadId);
      this.touch(threadId);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [threadId, last] of this.lastActiveMs) {
      if (now - last < this.opts.idleMs || this.turnsInFlight.has(threadId)) continue;
      this.lastActiveMs.delete(threadId);
      this.reapCount += 1;
      const done = this.opts.stop(threadId).then(
        () => void this.reaped.push({ threadId }),
        (e: unknown) => void this.reaped.push({ threadId, error: e instanceof Error ? e.message : String(e) }),
      );
      this.stopping.add(done);
      void done.finally(() => this.stopping.delete(done));
    }
  }

  /** Threads reaped since the last call, once their stop() has settled. */
  async drain(): Promise<Reaped[]> {
    await Promise.all([...this.stopping]);
    const out = this.reaped;
    this.reaped = [];
    return out;
  }

  get live(): number {
    return this.lastActiveMs.size;
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
