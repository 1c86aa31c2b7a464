// What an observer needs of a target: its pid (for /proc), its inspector session and its IPC
// calls. A TargetProcess (harness/target/launch.ts) is one; tests may pass a stand-in.
import type { CdpSession } from '../wire/cdp.ts';

export interface ObservedTarget {
  readonly pid: number;
  readonly cdp: CdpSession;
  /** Epoch of the target's virtual clock (Sample.virtualMs counts from it); default DEFAULTS.virtualEpochMs. */
  readonly virtualEpochMs?: number;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
}
