// Inconclusive is an honest answer with a reason and the run that would settle it.
import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../harness/core/types.ts';
import { classifyGrowth } from '../../harness/verdict/index.ts';
import { HEAP, HEAP_NOISE, MAP, ROUGH_HEAP_NOISE, filling, linear, oneOffStep, saturating, staircase, synth } from './synth.ts';

describe('classifyGrowth: inconclusive and invariants', () => {
  it('calls too few points inconclusive, with the number of samples and units to run', () => {
    const v = classifyGrowth(synth({ seed: 10, units: 60, every: 10, f: linear(32), noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons).toEqual(['Only 5 samples remain after discarding 1 sample of warm-up; a verdict needs at least 8.']);
    expect(v.suggestion).toBe(
      'take at least 9 samples: run at least 90 sessions at the current spacing of 10 sessions per sample, or sample more often.',
    );
  });

  it('calls an empty series inconclusive without throwing', () => {
    const v = classifyGrowth([], HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons.length).toBeGreaterThan(0);
    expect(v.suggestion).toBe('take at least 9 samples at different amounts of work (session counts).');
  });

  it('calls a series whose work count never moves inconclusive', () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ x: 100, y: 1000 + i }));
    const v = classifyGrowth(points, HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons[0]).toContain('session count never changed');
  });

  it('calls a very noisy series whose interval straddles the floor inconclusive and asks for more units', () => {
    const noise = { ...ROUGH_HEAP_NOISE, sigma: 20_000 };
    const v = classifyGrowth(synth({ seed: 11, units: 800, every: 25, f: linear(10), noise }), HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.shape).toBe('noisy');
    expect(v.slopeInterval[0]).toBeLessThan(8);
    expect(v.slopeInterval[1]).toBeGreaterThan(8);
    expect(v.reasons[0]).toContain('the interval straddles the floor of +8 B per session');
    expect(v.suggestion).toMatch(/^run at least \d+ sessions \(about \d\.\d× this run at the same sampling rate\)/);
  });

  it('calls confident growth that is too small in total to beat GC noise inconclusive', () => {
    const quiet = { ...HEAP_NOISE, sigma: 100, gcProb: 0, outlierProb: 0 };
    const v = classifyGrowth(synth({ seed: 3, units: 100, every: 2, f: linear(32), noise: quiet }), HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons[0]).toContain('under the 4.00 KB it must pass to stand out from GC noise');
    expect(v.suggestion).toMatch(/^run at least \d+ sessions so the growth, if real, passes 8.00 KB\.$/);
  });

  it('does not call growth that came in two jumps with flat stretches between them a leak', () => {
    const f = (x: number) => oneOffStep(800, 200_000)(x) + oneOffStep(1400, 200_000, 0)(x);
    const v = classifyGrowth(synth({ seed: 1, units: 2000, every: 25, f, noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.shape).toBe('step');
    expect(v.reasons[0]).toContain('came in two jumps');
    expect(v.suggestion).toBe('run at least 4000 sessions: a leak keeps adding jumps, one-off allocations do not.');
  });

  it('still calls a leak that arrives in regular chunks (64 KB every 300 sessions) a leak', () => {
    const f = (x: number) => linear(0)(x) + Math.floor(x / 300) * 65_536;
    expect(classifyGrowth(synth({ seed: 1, units: 2000, every: 25, f, noise: HEAP_NOISE }), HEAP).verdict).toBe('leak');
  });

  it('honours the warm-up fraction and the minimum points it is given', () => {
    const points = synth({ seed: 1, units: 1000, every: 50, f: linear(64), noise: HEAP_NOISE });
    const v = classifyGrowth(points, { ...HEAP, warmupFraction: 0.5, minPoints: 12 });
    expect(v.pointsDiscarded).toBe(10);
    expect(v.pointsUsed).toBe(10);
    expect(v.verdict).toBe('inconclusive');
  });

  it('ignores non-finite points with a warning, sorts by work, and does not touch its input', () => {
    const points: SeriesPoint[] = synth({ seed: 1, units: 2000, every: 25, f: linear(32), noise: HEAP_NOISE }).reverse();
    points.push({ x: 2100, y: Number.NaN });
    const copy = JSON.parse(JSON.stringify(points)) as unknown;
    const v = classifyGrowth(points, HEAP);
    expect(v.verdict).toBe('leak');
    expect(v.warnings[0]).toBe('1 sample with a non-finite value or work count was ignored.');
    expect(JSON.parse(JSON.stringify(points))).toEqual(copy);
    expect(classifyGrowth(points, HEAP)).toEqual(v);
  });

  it('always gives reasons, and a suggestion exactly when inconclusive, across every shape', () => {
    const series: Array<[SeriesPoint[], Parameters<typeof classifyGrowth>[1]]> = [
      [synth({ seed: 1, units: 2000, every: 25, f: linear(32), noise: HEAP_NOISE }), HEAP],
      [synth({ seed: 1, units: 2000, every: 25, f: linear(0), noise: HEAP_NOISE }), HEAP],
      [synth({ seed: 1, units: 2000, every: 25, f: oneOffStep(1000, 300_000), noise: HEAP_NOISE }), HEAP],
      [synth({ seed: 1, units: 4000, every: 50, f: saturating(2_000_000, 400), noise: HEAP_NOISE }), HEAP],
      [synth({ seed: 1, units: 2000, every: 25, f: saturating(5_000_000, 1500), noise: HEAP_NOISE }), HEAP],
      [synth({ seed: 1, units: 800, every: 25, f: linear(10), noise: { ...ROUGH_HEAP_NOISE, sigma: 20_000 } }), HEAP],
      [synth({ seed: 1, units: 40, every: 10, f: linear(10) }), HEAP],
      [synth({ seed: 1, units: 4000, every: 40, f: staircase(100) }), MAP],
      [synth({ seed: 1, units: 1500, every: 100, f: filling(2000) }), { ...MAP, cap: 2000 }],
      [synth({ seed: 1, units: 5000, every: 100, f: filling(2000) }), { ...MAP, cap: 2000 }],
    ];
    const seen = new Set<string>();
    for (const [points, opts] of series) {
      const v = classifyGrowth(points, opts);
      seen.add(`${v.verdict}/${v.shape}`);
      expect(v.reasons.length).toBeGreaterThan(0);
      for (const r of v.reasons) expect(r).toMatch(/^[A-Za-z].*[.:)]$/);
      expect(v.suggestion !== undefined).toBe(v.verdict === 'inconclusive');
      expect(Number.isFinite(v.slopePerUnit) && v.slopeInterval.every(Number.isFinite)).toBe(true);
      expect(v.slopeInterval[0]).toBeLessThanOrEqual(v.slopePerUnit);
      expect(v.slopeInterval[1]).toBeGreaterThanOrEqual(v.slopePerUnit);
    }
    expect([...seen].sort()).toEqual([
      'bounded/flat',
      'bounded/saturating',
      'bounded/step',
      'inconclusive/linear',
      'inconclusive/noisy',
      'inconclusive/still-filling',
      'leak/linear',
    ]);
  });
});
