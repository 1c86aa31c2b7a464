// A plain full collection, for the first of a judged sample's two (harness/observe/heap.ts).
// `gc` comes from a context of its own, made when this module loads, before any target code; the
// flag is then set back as it was. So a target sees no `gc` it did not have (in its own context or
// in one it makes), and the context (~140 KB) is in the heap from the first sample on.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const exposedAtStart = typeof (globalThis as { gc?: unknown }).gc === 'function';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
if (!exposedAtStart) setFlagsFromString('--no-expose-gc');

export function plainGc(): void {
  gc();
}
