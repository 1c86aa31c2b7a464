// Active handles of the target (what keeps its event loop alive, and which fake timers are
// ref'd), counted inside the target over IPC: handles are not visible from the heap.
import type { HandleStat } from '../core/types.ts';
import type { ObservedTarget } from './observed.ts';

export function readHandles(target: ObservedTarget): Promise<HandleStat> {
  return target.call<HandleStat>('handles');
}
