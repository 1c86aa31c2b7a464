// counter-at-most: an exact counter the samples carry never exceeds a limit, e.g. "0 late hooks of
// a bypassed session took the expensive path". Every judged sample is held to it.
import type { Sample } from '../../../core/types.ts';
import type { ExpectationResult } from '../../../report/model.ts';
import { judgedBy, type ExpectationKind } from '../kind.ts';

export interface CounterAtMost {
  kind: 'counter-at-most';
  /** A sample counter: `service.<name>` from a service's stats(), `opencode.<route>.calls`, ... */
  counter: string;
  atMost: number;
  description: string;
}

function judgeCounter(samples: readonly Sample[], e: CounterAtMost): ExpectationResult {
  const value = (s: Sample) => s.counters![e.counter]!;
  const seen = samples.filter((s) => s.counters?.[e.counter] !== undefined);
  const base = { id: `counter:${e.counter}`, description: e.description, limit: e.atMost, limitKind: 'absolute' as const, warnings: [] };
  if (seen.length === 0) {
    const reasons = [`No sample carried the counter ${e.counter}: the target does not report it.`];
    return { ...base, passed: false, verdict: 'inconclusive', reasons };
  }
  const over = seen.find((s) => value(s) > e.atMost);
  const last = value(seen[seen.length - 1]!);
  // The limit is held against the largest value seen, so that is the figure shown.
  const estimate = `max ${Math.max(...seen.map(value))}`;
  if (over) {
    const reasons = [`${e.counter} reached ${value(over)} at sample #${over.seq} (allowed: at most ${e.atMost}); ${last} at the end.`];
    return { ...base, passed: false, verdict: 'leak', estimate, reasons };
  }
  const reasons = [`${e.counter} stayed at or below ${e.atMost} in all ${seen.length} samples (${last} at the end).`];
  return { ...base, passed: true, verdict: 'bounded', estimate, reasons };
}

export const counterAtMost: ExpectationKind<CounterAtMost> = (e) => ({
  judge: (samples) => judgedBy(judgeCounter(samples, e)),
  crossed: (previous, latest) => {
    const now = latest.counters?.[e.counter];
    const before = previous.counters?.[e.counter];
    return now !== undefined && before !== undefined && now > e.atMost && before <= e.atMost
      ? `${e.counter} passed its limit of ${e.atMost}`
      : undefined;
  },
});
