// 'handles': what keeps the target's event loop alive, minus what the harness itself adds.
import type { HandleStat } from '../../core/types.ts';
import type { VirtualClock } from './clock.ts';

export function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * Real resources minus the baseline taken before the target loaded (the IPC pipe, stdio
 * pipes), plus the fake timers: ref'd ones count as 'Timeout' resources, as they would be
 * in a real process.
 */
export function handleStat(baseline: Record<string, number>, clock: VirtualClock): HandleStat {
  const refed: Record<string, number> = {};
  for (const [type, count] of Object.entries(countResources())) {
    const own = count - (baseline[type] ?? 0);
    if (own > 0) refed[type] = own;
  }
  const realTimeouts = refed.Timeout ?? 0;
  const fake = clock.timerStats();
  if (fake.refed > 0) refed.Timeout = realTimeouts + fake.refed;
  return { refed, refedTimers: realTimeouts + fake.refed, unrefedTimers: fake.unrefed };
}
