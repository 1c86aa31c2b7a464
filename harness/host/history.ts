// A live session's history as the host keeps it for the transforms: JSON in one growing Buffer,
// outside the V8 heap. The server keeps it in its database, so the harness's copy must not count
// as the plugin's heap (a 400-message session would otherwise add kilobytes per message to the
// used heap the verdicts read). Each read parses fresh objects, as OpenCode reads the history
// anew for every model step.
import type { Message, Part } from '@opencode-ai/sdk';

export type WithParts = { info: Message; parts: Part[] };

const EMPTY = Buffer.alloc(0);

export class HistoryStore {
  private buffer: Buffer = EMPTY;
  /** End offset of each message in the buffer. */
  private readonly ends: number[] = [];

  get length(): number {
    return this.ends.length;
  }

  push(message: WithParts): void {
    const bytes = Buffer.from(JSON.stringify(message), 'utf8');
    const used = this.used();
    if (used + bytes.length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(used + bytes.length, this.buffer.length * 2, 4096));
      this.buffer.copy(grown, 0, 0, used);
      this.buffer = grown;
    }
    bytes.copy(this.buffer, used);
    this.ends.push(used + bytes.length);
  }

  pop(): void {
    this.ends.pop();
  }

  /** Forget everything (a compaction, or the session's end); the buffer goes with it. */
  clear(): void {
    this.ends.length = 0;
    this.buffer = EMPTY;
  }

  read(): WithParts[] {
    const out: WithParts[] = [];
    let start = 0;
    for (const end of this.ends) {
      out.push(JSON.parse(this.buffer.toString('utf8', start, end)) as WithParts);
      start = end;
    }
    return out;
  }

  private used(): number {
    return this.ends.length > 0 ? this.ends[this.ends.length - 1]! : 0;
  }
}
