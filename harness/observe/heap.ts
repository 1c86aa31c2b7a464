// Post-GC used heap, measured from outside: a full GC started through the inspector, then the heap
// figures. Both calls run in the target's isolate but allocate nothing in its JS heap that lives.
import { TARGET_GC_KEY } from '../wire/protocol.ts';
import type { CdpSession } from '../wire/cdp.ts';

export interface HeapUsage {
  usedBytes: number;
  totalBytes: number;
}

/**
 * Calls the plain full GC the target's preload hid under `TARGET_GC_KEY` (harness/target/child/gc.ts),
 * answering whether it was there.
 */
const PLAIN_GC = `(function (gc) { if (typeof gc !== 'function') return false; gc(); return true; })(globalThis[Symbol.for(${JSON.stringify(TARGET_GC_KEY)})])`;

/**
 * One full GC: the target's plain one when its preload installed it (half the pause, and its code
 * stays compiled), else the inspector's memory-reducing collection.
 */
export async function fullGc(cdp: CdpSession): Promise<void> {
  const r = await cdp.send<{ result?: { value?: unknown } }>('Runtime.evaluate', {
    expression: PLAIN_GC,
    returnByValue: true,
    silent: true,
  });
  if (r.result?.value !== true) await cdp.send('HeapProfiler.collectGarbage');
}

/**
 * `settle`, when given, runs between two full GCs: it should let the target's event loop turn
 * (an IPC round trip does). Objects that die in the first GC may hold more memory that only a
 * FinalizationRegistry cleanup task releases (Node's fetch tracks response bodies that way); a
 * second GC after that task has run collects it too. Measured on an empty plugin under churn:
 * the sample-to-sample scatter fell from 125 KB to 53 KB (standard deviation over 32 samples).
 */
export async function readHeap(cdp: CdpSession, settle?: () => Promise<void>): Promise<HeapUsage> {
  await fullGc(cdp);
  if (settle) {
    await settle();
    await fullGc(cdp);
  }
  const usage = await cdp.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
  return { usedBytes: usage.usedSize, totalBytes: usage.totalSize };
}
