// A plain full collection, for the first of a judged sample's two (harness/observe/heap.ts):
// V8's %CollectGarbage in a function compiled in the target's own context when this module loads,
// before any target code. So the target gets no `gc` global and no extra context.
//
// Natives syntax is allowed only while that function is compiled or called, never while target
// code runs, and a target started with it keeps it. The call needs it too: V8 flushes the
// bytecode of a function that has not run for a number of collections and compiles it again at
// its next call, from source, which fails without natives syntax (a plugin that allocates heavily
// while it loads got "Unexpected token '%'" at its first judged sample).
import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';

const SOURCE = '(function plainGc() { %CollectGarbage(null); })';

/** Natives syntax was on before this module loaded (the target was started with it). */
function nativesSyntaxOn(): boolean {
  try {
    runInThisContext('(function () { %IsBeingInterpreted(); })');
    return true;
  } catch {
    return false;
  }
}

const keepsNativesSyntax = nativesSyntaxOn();

function withNativesSyntax<T>(fn: () => T): T {
  if (keepsNativesSyntax) return fn();
  setFlagsFromString('--allow-natives-syntax');
  try {
    return fn();
  } finally {
    setFlagsFromString('--no-allow-natives-syntax');
  }
}

const collect = withNativesSyntax(() => runInThisContext(SOURCE) as () => void);

export function plainGc(): void {
  withNativesSyntax(collect);
}
