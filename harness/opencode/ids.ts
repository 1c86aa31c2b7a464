// Ids shaped like OpenCode's own (packages/opencode/src/id/id.ts): prefix, 12 hex digits of
// (ms * 0x1000 + counter) truncated to 48 bits, then 14 base62 characters. Sessions use the
// descending form (bits inverted) so newer sessions sort first, as in the real server:
// ses_e037304cbffeyMAy89ySZffqhF, msg_1fc8cfb5e0014lakE0fHMWwkjK.
import { randomBase62, type SeededRandom } from './random.ts';

export type IdPrefix = 'ses' | 'msg' | 'prt' | 'evt';

const MASK_48 = (1n << 48n) - 1n;

export class IdGenerator {
  private lastMs = -1;
  private counter = 0;

  constructor(
    private readonly rng: SeededRandom,
    private readonly now: () => number,
  ) {}

  ascending(prefix: IdPrefix): string {
    return this.make(prefix, false);
  }

  descending(prefix: IdPrefix): string {
    return this.make(prefix, true);
  }

  /** The counter within the current millisecond, kept across restarts so ids never repeat. */
  get clockState(): { lastMs: number; counter: number } {
    return { lastMs: this.lastMs, counter: this.counter };
  }

  set clockState(value: { lastMs: number; counter: number }) {
    this.lastMs = value.lastMs;
    this.counter = value.counter;
  }

  private make(prefix: IdPrefix, descending: boolean): string {
    const ms = Math.floor(this.now());
    if (ms !== this.lastMs) {
      // An injected clock may stand still or go back: keep counting so ids stay unique.
      if (ms > this.lastMs) this.counter = 0;
      this.lastMs = Math.max(ms, this.lastMs);
    }
    this.counter++;
    let value = BigInt(this.lastMs) * 0x1000n + BigInt(this.counter);
    if (descending) value = ~value;
    const hex = (value & MASK_48).toString(16).padStart(12, '0');
    return `${prefix}_${hex}${randomBase62(this.rng, 14)}`;
  }
}

/** Whether a string looks like a real OpenCode id of that prefix (26 characters after the "_"). */
export function isIdOf(prefix: IdPrefix, value: string): boolean {
  return value.length === prefix.length + 27 && value.startsWith(`${prefix}_`);
}
