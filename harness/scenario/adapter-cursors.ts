// The harness's store of resume cursors, one per thread: what the app persists in its own database.
// It lives in the harness process and, as JSON, in the run folder, so it survives a restart of the
// adapter's process (and of OpenCode). Cursors are opaque: only the adapter reads them. Next to each
// cursor the store keeps the session the thread was last bound to (from the adapter's replies),
// which is how the harness tells a resumed conversation from a new one and counts orphans.
import { renameSync, writeFileSync } from 'node:fs';

export interface ThreadBinding {
  /** The last cursor the adapter emitted for the thread (absent: it never emitted one). */
  cursor?: unknown;
  /** The session the thread's last start or turn was bound to. */
  sessionId?: string;
  /** The thread's working directory at that time. */
  directory?: string;
}

export class CursorStore {
  private readonly threads = new Map<string, ThreadBinding>();

  /** file: where the store is written on every change (JSON); absent: memory only. */
  constructor(private readonly file?: string) {}

  get(threadId: string): Readonly<ThreadBinding> | undefined {
    return this.threads.get(threadId);
  }

  /** An emitted cursor replaces the thread's previous one. */
  setCursor(threadId: string, cursor: unknown): void {
    this.update(threadId, { cursor });
  }

  setSession(threadId: string, sessionId: string, directory: string): void {
    this.update(threadId, { sessionId, directory });
  }

  /** Every session some thread is bound to. */
  boundSessions(): Set<string> {
    const out = new Set<string>();
    for (const b of this.threads.values()) if (b.sessionId) out.add(b.sessionId);
    return out;
  }

  entries(): Array<[string, Readonly<ThreadBinding>]> {
    return [...this.threads.entries()];
  }

  private update(threadId: string, patch: ThreadBinding): void {
    this.threads.set(threadId, { ...this.threads.get(threadId), ...patch });
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(this.threads), null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
