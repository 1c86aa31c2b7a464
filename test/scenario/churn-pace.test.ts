// A churn batch goes into the target in calls sized by the plugin's pace: a plugin that spends
// seconds per session gets calls of a few sessions (never one that outlasts the call timeout),
// a fast one a whole sampling interval per call; samples still fall every interval.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sample } from '../../harness/core/types.ts';
import { DEFAULTS } from '../../harness/core/defaults.ts';
import type { Sampler } from '../../harness/observe/sampler.ts';
import { CallPace, ScenarioDriver, type DrivenTarget } from '../../harness/scenario/driver.ts';

/** A target whose sessions take `msPerSession` of (faked) wall time; it records each call's size. */
function pacedTarget(msPerSession: number) {
  let now = 1_000_000;
  vi.spyOn(Date, 'now').mockImplementation(() => now);
  const sizes: number[] = [];
  const target: DrivenTarget = {
    call: async <T>(method: string, params?: unknown) => {
      if (method !== 'sessions.run') return {} as T;
      const { count } = params as { count: number };
      sizes.push(count);
      now += count * msPerSession;
      return { sessions: count, messages: count * 4, toolCalls: count * 4 } as T;
    },
    advanceClock: async () => ({ virtualNowMs: 0, timersFired: 0 }),
  };
  return { target, sizes };
}

function driverFor(target: DrivenTarget) {
  const samples: Sample[] = [];
  const sampler = { sample: async (meta: Partial<Sample>) => ({ ...meta }) as Sample } as unknown as Sampler;
  const driver = new ScenarioDriver(target, sampler, {
    unit: 'session',
    sampleEveryUnits: 100,
    startedAtMs: 0,
    onSample: (s) => samples.push(s),
  });
  return { driver, samples };
}

describe('the pace of churn calls', () => {
  afterEach(() => vi.restoreAllMocks());

  it('keeps every call of a slow plugin within the call budget, and samples every 100 sessions', async () => {
    const { target, sizes } = pacedTarget(1500);
    const { driver, samples } = driverFor(target);
    await driver.churn({ sessions: 200, turnsPerSession: 2, cleanEndShare: 0.1 });
    expect(sizes[0]).toBe(DEFAULTS.churnFirstCallSessions);
    expect(Math.max(...sizes.slice(1)) * 1500).toBeLessThanOrEqual(DEFAULTS.churnCallBudgetMs);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(200);
    expect(samples.map((s) => s.work.session)).toEqual([100, 200]);
  });

  it('gives a fast plugin the whole sampling interval per call once its pace is known', async () => {
    const { target, sizes } = pacedTarget(1);
    const { driver, samples } = driverFor(target);
    await driver.churn({ sessions: 300, turnsPerSession: 2, cleanEndShare: 0.1 });
    expect(sizes).toEqual([DEFAULTS.churnFirstCallSessions, 100 - DEFAULTS.churnFirstCallSessions, 100, 100]);
    expect(samples.map((s) => s.work.session)).toEqual([100, 200, 300]);
  });

  it('follows a plugin that slows down as it runs', () => {
    const pace = new CallPace();
    pace.record(100, 100);
    expect(pace.sessionsPerCall()).toBe(DEFAULTS.churnCallBudgetMs);
    pace.record(10, 20_000);
    expect(pace.sessionsPerCall()).toBe(Math.floor(DEFAULTS.churnCallBudgetMs / 2000));
    pace.record(1, 120_000);
    expect(pace.sessionsPerCall()).toBe(1);
  });
});
