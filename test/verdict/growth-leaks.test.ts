// Steady growth per unit of work is a leak, whatever its size, once it clears the floors.
import { describe, expect, it } from 'vitest';
import { classifyGrowth } from '../../harness/verdict/index.ts';
import { HEAP, HEAP_NOISE, MAP, ROUGH_HEAP_NOISE, linear, staircase, synth } from './synth.ts';

describe('classifyGrowth: leaks', () => {
  it.each([
    { perUnit: 32, units: 2000, every: 25, noise: HEAP_NOISE, kind: 'post-GC' },
    { perUnit: 32, units: 2000, every: 25, noise: ROUGH_HEAP_NOISE, kind: 'KB-level' },
    { perUnit: 1024, units: 1000, every: 20, noise: ROUGH_HEAP_NOISE, kind: 'KB-level' },
    { perUnit: 65536, units: 500, every: 10, noise: ROUGH_HEAP_NOISE, kind: 'KB-level' },
  ])(
    'calls $perUnit B per session under $kind noise a leak, slope within 15 %, 95 % interval around it',
    ({ perUnit, units, every, noise }) => {
      const v = classifyGrowth(synth({ seed: 11, units, every, f: linear(perUnit), noise }), HEAP);
      expect(v.verdict).toBe('leak');
      expect(v.shape).toBe('linear');
      expect(Math.abs(v.slopePerUnit - perUnit)).toBeLessThanOrEqual(0.15 * perUnit);
      expect(v.slopeInterval[0]).toBeLessThanOrEqual(perUnit);
      expect(v.slopeInterval[1]).toBeGreaterThanOrEqual(perUnit);
      expect(v.suggestion).toBeUndefined();
    },
  );

  it('says how much, per what, with the interval, in both halves of the run', () => {
    const v = classifyGrowth(synth({ seed: 3, units: 1000, every: 20, f: linear(1024), noise: HEAP_NOISE }), HEAP);
    expect(v.reasons[0]).toBe(
      'used heap (post-GC) grew +1.00 KB per session (95 % interval +1023 B .. +1.00 KB) in both halves of the run ' +
        '(earlier +1.00 KB per session, later +1.00 KB per session).',
    );
    expect(v.reasons[1]).toMatch(/over the 780 sessions analysed \(40 samples after 10 samples of warm-up\)/);
    expect(v.pointsUsed).toBe(40);
    expect(v.pointsDiscarded).toBe(10);
  });

  it('keeps one decimal for small byte rates so the interval stays readable', () => {
    const v = classifyGrowth(synth({ seed: 5, units: 2000, every: 25, f: linear(32), noise: HEAP_NOISE }), HEAP);
    expect(v.reasons[0]).toMatch(/\(95 % interval \+3\d\.\d B \.\. \+3\d\.\d B\)/);
  });

  it('catches a collection gaining 1 entry per 100 sessions from exact counts (a staircase)', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 4000, every: 40, f: staircase(100) }), MAP);
    expect(v.verdict).toBe('leak');
    expect(v.slopePerUnit).toBeCloseTo(0.01, 3);
    expect(v.reasons[0]).toContain('grew +1 entry per 100 sessions');
  });

  it('catches the staircase even when sampled off the step rhythm', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 3000, every: 37, f: staircase(100) }), MAP);
    expect(v.verdict).toBe('leak');
    expect(Math.abs(v.slopePerUnit - 0.01)).toBeLessThan(0.0015);
  });

  it('calls growth that accelerates with history a leak and says so', () => {
    const v = classifyGrowth(synth({ seed: 13, units: 2000, every: 25, f: (x) => linear(0)(x) + 0.5 * x * x, noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('leak');
    expect(v.reasons.join(' ')).toContain('accelerating');
  });
});
