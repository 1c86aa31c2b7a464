// The rotating pool of session ids that hook requests carry. Every request body names a session
// from the pool; every `newSessionEveryRequests` requests a new id enters (announced with a
// session-start hook) and the oldest leaves: a share of the leavers get a session-end hook, the
// rest vanish as sessions do when OpenCode is killed. So a target sees what it sees in production:
// a steady stream of new ids and old ones it must forget on its own.
import { mulberry32 } from '../core/random.ts';

export type HookName = 'session-start' | 'tool-after' | 'session-end';

export interface HookCall {
  hook: HookName;
  sessionID: string;
}

export interface SessionPoolOptions {
  size: number;
  newSessionEveryRequests: number;
  cleanEndShare: number;
  seed: number;
  /** Prefix of generated ids (OpenCode's look: ses_...). */
  prefix?: string;
}

export class SessionPool {
  private readonly live: string[] = [];
  private readonly endings: string[] = [];
  private readonly rand: () => number;
  private created = 0;
  private retired = 0;
  private calls = 0;

  constructor(private readonly o: SessionPoolOptions) {
    if (!Number.isInteger(o.size) || o.size < 1) throw new RangeError(`session pool size ${o.size}: expected a whole number >= 1`);
    if (!Number.isInteger(o.newSessionEveryRequests) || o.newSessionEveryRequests < 1) {
      throw new RangeError(`newSessionEveryRequests ${o.newSessionEveryRequests}: expected a whole number >= 1`);
    }
    if (!(o.cleanEndShare >= 0 && o.cleanEndShare <= 1))
      throw new RangeError(`cleanEndShare ${o.cleanEndShare}: expected a number in [0, 1]`);
    this.rand = mulberry32(o.seed);
    // The pool starts full, so the first requests already spread over many sessions.
    for (let i = 0; i < o.size; i += 1) this.live.push(this.newId());
  }

  private newId(): string {
    this.created += 1;
    return `${this.o.prefix ?? 'ses_load'}${String(this.created).padStart(20, '0')}`;
  }

  /** The next hook request: a new session's start, a pending clean end, or a tool call in a live session. */
  next(): HookCall {
    this.calls += 1;
    if (this.calls % this.o.newSessionEveryRequests === 0) {
      const old = this.live.shift()!;
      this.retired += 1;
      // Deterministic share: a leaver ends cleanly whenever floor(retired x share) steps up.
      if (
        this.endings.length < this.o.size &&
        Math.floor(this.retired * this.o.cleanEndShare) > Math.floor((this.retired - 1) * this.o.cleanEndShare)
      ) {
        this.endings.push(old);
      }
      const id = this.newId();
      this.live.push(id);
      return { hook: 'session-start', sessionID: id };
    }
    const ending = this.endings.shift();
    if (ending) return { hook: 'session-end', sessionID: ending };
    return { hook: 'tool-after', sessionID: this.live[Math.floor(this.rand() * this.live.length)]! };
  }

  /** Ids introduced so far (including the initial pool) and ids retired. */
  counts(): { created: number; retired: number; live: number } {
    return { created: this.created, retired: this.retired, live: this.live.length };
  }

  isLive(sessionID: string): boolean {
    return this.live.includes(sessionID);
  }
}
