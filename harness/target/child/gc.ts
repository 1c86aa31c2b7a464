// A plain full GC the observer can call over CDP, hidden from the target. The inspector's
// HeapProfiler.collectGarbage runs V8's "all available garbage" collection: at least two full GCs
// with memory reduction, a cleared compilation cache and every function's bytecode flushed, so the
// target recompiles its code after every sample. One plain full GC collects the same garbage (the
// sampler's second GC, after an event-loop turn, takes what finalizers released) for half the pause.
// The fresh context stays alive with the function (~350 KB, once, before the target loads).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TARGET_GC_KEY } from '../../wire/protocol.ts';

export function installHiddenGc(): void {
  try {
    // The flag only takes effect in contexts created after it is set; it is reset at once so
    // that no context the target creates later gets a `gc` either.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') Object.defineProperty(globalThis, Symbol.for(TARGET_GC_KEY), { value: gc });
  } catch {
    // Without it the observer falls back to the inspector's collection (harness/observe/heap.ts).
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
