// The clock of service workloads: a realistic stretch of virtual time per session, and never less
// than the wall time the sessions took. Pure: the wall clock and the target's advance are injected.
import { describe, expect, it } from 'vitest';
import { sessionClock } from '../../harness/scenario/session-clock.ts';

function fakeRun() {
  const advanced: number[] = [];
  return { advanced, run: { advance: async (ms: number) => (advanced.push(ms), { virtualNowMs: 0 } as never) } };
}

describe('session clock', () => {
  it('lets the requested virtual time per session pass when the sessions were quick', async () => {
    let now = 0;
    const { advanced, run } = fakeRun();
    const clock = sessionClock(run, 20_000, () => now);
    now += 150;
    await clock.passed(16);
    expect(advanced).toEqual([320_000]);
    expect(clock.virtualMs()).toBe(320_000);
  });

  it('never lets less than the wall time pass, however small the rate', async () => {
    let now = 1000;
    const { advanced, run } = fakeRun();
    const clock = sessionClock(run, 10, () => now);
    now += 2500;
    await clock.passed(16);
    now += 5;
    await clock.passed(1);
    expect(advanced).toEqual([2500, 10]);
  });

  it('refuses a rate that is not a number >= 0', () => {
    expect(() => sessionClock(fakeRun().run, Number.NaN)).toThrow(/virtual ms per unit must be a number >= 0, got NaN/);
    expect(() => sessionClock(fakeRun().run, -1)).toThrow(/got -1/);
  });
});
