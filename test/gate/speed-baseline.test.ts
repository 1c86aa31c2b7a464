// The gate's speed check on synthetic series: seeded run-to-run noise of a shared 2-core runner
// (lognormal, CV 5-15 % per trial, a noisy neighbour now and then; test/compare/noise.ts). It
// must flag a 30 % slowdown, must not flag equal runs, and when it cannot tell it must say how
// many runs would settle it.
import { describe, expect, it } from 'vitest';
import type { BaselineFigure } from '../../harness/gate/baseline.ts';
import { checkSpeed, type SpeedResult } from '../../harness/gate/speed.ts';
import { throughput, type SpeedBudget } from '../../harness/gate/suite.ts';
import { runner, type Runner } from '../compare/noise.ts';

const machine = { cpuModel: 'synthetic', cpus: 2, node: '20', platform: 'linux' };
const TRIES = 20;
const RUNS = 10;
/** What an operator would do with the advice, capped: the gate never loops on its own. */
const MAX_RUNS_PER_SIDE = 60;

const stored = (runs: number[]): BaselineFigure => ({
  unitText: 'sessions/s',
  direction: 'higher-is-better',
  runs,
  recordedAt: '2026-01-01T00:00:00Z',
  machine,
});
const check = (budget: SpeedBudget, base: number[], cur: number[]) =>
  checkSpeed(budget, 'entry/throughput', 'sessions/s', cur, stored(base), machine);

/** One trial: 10 runs per side, then the advised runs per side while the answer is inconclusive. */
function trial(r: Runner, factor: number, budget: SpeedBudget): { first: SpeedResult; last: SpeedResult } {
  let base = r.runs(RUNS, 120, 'down');
  let cur = r.runs(RUNS, 120 * factor, 'down');
  const first = check(budget, base, cur);
  let last = first;
  while (last.status === 'inconclusive' && last.suggestedRunsPerSide !== undefined && last.suggestedRunsPerSide <= MAX_RUNS_PER_SIDE) {
    const n = last.suggestedRunsPerSide;
    base = base.concat(r.runs(n - base.length, 120, 'down'));
    cur = cur.concat(r.runs(n - cur.length, 120 * factor, 'down'));
    last = check(budget, base, cur);
  }
  return { first, last };
}

function tally(factor: number, budget: SpeedBudget) {
  const at10: Record<string, number> = {};
  const settled: Record<string, number> = {};
  let failed = 0;
  for (let t = 0; t < TRIES; t += 1) {
    const { first, last } = trial(runner(1000 + t), factor, budget);
    at10[first.status] = (at10[first.status] ?? 0) + 1;
    settled[last.status] = (settled[last.status] ?? 0) + 1;
    if (last.fails) failed += 1;
  }
  return { at10, settled, failed };
}

describe('speed against the baseline', () => {
  it('flags a 30 % slowdown (each session takes 1.3x as long) as regressed, and never as unchanged or improved', () => {
    const { at10, settled, failed } = tally(1 / 1.3, throughput({ onRegression: 'fail' }));
    expect(at10.regressed ?? 0).toBeGreaterThanOrEqual(15);
    expect(at10.unchanged ?? 0).toBe(0);
    expect(at10.improved ?? 0).toBe(0);
    // Following the gate's "N runs per side would settle it" (up to 60) catches all but the
    // tries that sit on the threshold, which stay inconclusive: a warning, never a pass.
    expect(settled.regressed ?? 0).toBeGreaterThanOrEqual(19);
    expect((settled.regressed ?? 0) + (settled.inconclusive ?? 0)).toBe(TRIES);
    expect(failed).toBe(settled.regressed);
  });

  it('flags a 30 % drop in throughput in 20 of 20 tries at 10 runs per side', () => {
    const { at10 } = tally(0.7, throughput({ onRegression: 'fail' }));
    expect(at10.regressed).toBe(TRIES);
  });

  it('does not flag equal runs with realistic noise in 20 tries, before or after the advised extra runs', () => {
    const { at10, settled, failed } = tally(1, throughput({ onRegression: 'fail' }));
    expect(at10.regressed ?? 0).toBe(0);
    expect(settled.regressed ?? 0).toBe(0);
    expect(failed).toBe(0);
    expect(settled.unchanged ?? 0).toBeGreaterThanOrEqual(15);
  });

  it('an inconclusive comparison says how many runs per side would settle it, as gate flags', () => {
    const r = runner(7);
    const result = check(throughput(), r.runs(5, 120, 'down'), r.runs(5, 120 / 1.15, 'down'));
    expect(result.status).toBe('inconclusive');
    expect(result.suggestedRunsPerSide).toBeGreaterThan(5);
    expect(result.advice).toContain(`--runs ${result.suggestedRunsPerSide}`);
    expect(result.advice).toContain('--update-baseline');
  });

  it("a regression fails the gate only when its budget says 'fail'; the default only warns", () => {
    const r = runner(3);
    const base = r.runs(10, 120, 'down');
    const slow = r.runs(10, 60, 'down');
    const warned = check(throughput(), base, slow);
    expect(warned.status).toBe('regressed');
    expect(warned.onRegression).toBe('warn');
    expect(warned.fails).toBe(false);
    const failing = check(throughput({ onRegression: 'fail' }), base, slow);
    expect(failing.status).toBe('regressed');
    expect(failing.fails).toBe(true);
    expect(failing.line).toMatch(/throughput: 1\d\d sessions\/s -> \d+\.?\d* sessions\/s \(-\d+ %, significant regression\)/);
  });

  it('with no stored runs it asks for a baseline instead of judging', () => {
    const result = checkSpeed(throughput({ onRegression: 'fail' }), 'entry/throughput', 'sessions/s', [100, 101, 99], undefined, machine);
    expect(result.status).toBe('no-baseline');
    expect(result.fails).toBe(false);
    expect(result.advice).toContain('npx churnlab gate --update-baseline');
  });

  it('says so when the baseline comes from another machine', () => {
    const r = runner(5);
    const other = { ...stored(r.runs(6, 120, 'down')), machine: { ...machine, cpuModel: 'laptop' } };
    const result = checkSpeed(throughput(), 'entry/throughput', 'sessions/s', r.runs(6, 120, 'down'), other, machine);
    expect(result.reasons.join(' ')).toMatch(/recorded on 2 x laptop, this run is on 2 x synthetic/);
  });
});
