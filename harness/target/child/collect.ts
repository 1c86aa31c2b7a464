// A plain full collection, for the first of a judged sample's two (harness/observe/heap.ts):
// V8's %CollectGarbage in a function compiled in the target's own context when this module loads,
// before any target code, with natives syntax allowed for that compile only. So the target gets
// no `gc` global and no extra context, and one started with natives syntax keeps it.
import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';

const SOURCE = '(function plainGc() { %CollectGarbage(null); })';

function compile(): () => void {
  try {
    return runInThisContext(SOURCE) as () => void;
  } catch {
    // Natives syntax is off, as it is unless the target was started with it.
  }
  setFlagsFromString('--allow-natives-syntax');
  try {
    return runInThisContext(SOURCE) as () => void;
  } finally {
    setFlagsFromString('--no-allow-natives-syntax');
  }
}

export const plainGc = compile();
