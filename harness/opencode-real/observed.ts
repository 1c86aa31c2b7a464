// The OpenCode server as the target of a scenario (kind 'opencode', e.g. soak-opencode): there is
// no process of ours to call into, only the server's API and its RSS from /proc. This is the
// driver's view of it: no IPC, no virtual clock (time in the server is real time).
import type { ClockState } from '../wire/protocol.ts';

export const OPENCODE_TARGET_LABEL = 'opencode serve 1.18.33 (the real server)';

export interface ServerAsTarget {
  call<T = unknown>(method: string): Promise<T>;
  advanceClock(ms: number): Promise<ClockState>;
}

export function serverAsTarget(nowMs: () => number = Date.now): ServerAsTarget {
  const startedMs = nowMs();
  return {
    // Nothing to ask: stats and dispose are for targets that run our host.
    call: async <T>() => ({}) as T,
    // Never moves time: reports the real time passed, as a plain command does.
    advanceClock: async () => ({ virtualNowMs: nowMs() - startedMs }),
  };
}

/** Why a scenario of kind 'opencode' needs --opencode real, for the bad-input message. */
export function opencodeKindNeedsReal(scenario: string): string {
  return `${scenario} observes the OpenCode server itself (its RSS from /proc): run it with --opencode real (the mock is part of the harness's own process)`;
}
