// Process memory: RSS read by the harness from /proc (nothing runs in the target), and the
// external / ArrayBuffer figures only the target's process.memoryUsage() knows, over IPC.
import { readFile } from 'node:fs/promises';
import type { MemoryState } from '../wire/protocol.ts';
import type { ObservedTarget } from './observed.ts';

/** VmRSS of a pid in bytes; undefined where /proc is not there (macOS, Windows) or the pid is gone. */
export async function readRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(status);
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function readMemory(target: ObservedTarget): Promise<MemoryState> {
  return target.call<MemoryState>('memory');
}
