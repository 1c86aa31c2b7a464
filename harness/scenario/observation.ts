// What a scenario's expectations become when the target is observed by RSS from /proc only (a
// plain command): the heap verdict is judged on RSS instead, and what needs the inspector (the
// census, handles and timers) is not judged, and the report says so rather than passing it.
import { DEFAULTS } from '../core/defaults.ts';
import type { Expectation } from './expect.ts';

export interface ProcOnlyPlan {
  expectations: Expectation[];
  notes: string[];
}

const NEEDS_INSPECTOR: Partial<Record<Expectation['kind'], string>> = {
  'collections-bounded': 'collection sizes (the census needs the V8 inspector)',
  'handles-bounded': "ref'd handles and timers",
  'no-refed-timers-after-dispose': "ref'd timers after dispose",
};

export function planProcOnly(expect: readonly Expectation[]): ProcOnlyPlan {
  const expectations: Expectation[] = [];
  const skipped: string[] = [];
  for (const e of expect) {
    if (e.kind === 'heap-bounded') {
      // The heap floor is the scenario's; RSS needs at least its own (DEFAULTS.rssMinBytesPerUnit).
      expectations.push({
        kind: 'rss-bounded',
        ...(e.minBytesPerUnit !== undefined ? { minBytesPerUnit: Math.max(e.minBytesPerUnit, DEFAULTS.rssMinBytesPerUnit) } : {}),
      });
    } else if (NEEDS_INSPECTOR[e.kind]) {
      skipped.push(NEEDS_INSPECTOR[e.kind]!);
    } else {
      expectations.push(e);
    }
  }
  const notes = ['The heap expectation is judged on RSS of the process tree.'];
  if (skipped.length > 0) notes.push(`Not judged: ${skipped.join('; ')}.`);
  notes.push('No virtual clock: time in the target is real time, so TTLs of hours do not pass.');
  return { expectations, notes };
}
