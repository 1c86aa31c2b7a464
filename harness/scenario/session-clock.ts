// Virtual time for workloads that drive a service over HTTP themselves: each unit of work (a
// session) lets a realistic stretch of time pass in the target, and never less than the wall
// time it took, so TTLs and sweeps fire at the rate they would in production whatever the
// harness's own speed (docs/architecture.md, "Time").
import type { RunContext } from './context.ts';

export interface SessionClock {
  /** `units` of work were done since the last call: let their share of virtual time pass. */
  passed(units: number): Promise<void>;
  /** Virtual time passed so far through this clock, ms. */
  virtualMs(): number;
}

export function sessionClock(run: Pick<RunContext, 'advance'>, virtualMsPerUnit: number, now: () => number = Date.now): SessionClock {
  if (!(virtualMsPerUnit >= 0) || !Number.isFinite(virtualMsPerUnit))
    throw new Error(`virtual ms per unit must be a number >= 0, got ${virtualMsPerUnit}`);
  let last = now();
  let total = 0;
  return {
    async passed(units: number): Promise<void> {
      const ms = Math.max(units * virtualMsPerUnit, now() - last);
      if (ms > 0) await run.advance(ms);
      total += ms;
      last = now();
    },
    virtualMs: () => total,
  };
}
