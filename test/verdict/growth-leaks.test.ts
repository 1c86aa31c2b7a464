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

  describe('at a sequential look with 8 samples per half (99.6 % intervals)', () => {
    // The leaky gateway's post-GC heap (net of compiled code) as one `leak-unclean-exit` run
    // sampled it, every 100 sessions: +864 B per session, with one sample at 1500 that jumped
    // 310 KB and came back. The later half's two-sided 99.6 % interval reached down to -355 B.
    const RECORDED = [
      8_022_840, 7_964_824, 8_063_336, 8_174_600, 8_256_016, 8_344_944, 8_398_944, 8_611_504, 8_620_288, 8_730_064, 8_798_112, 8_859_520,
      8_957_968, 9_026_024, 9_335_824, 9_193_360, 9_264_752, 9_341_672, 9_604_432, 9_699_584,
    ];
    const look = { ...HEAP, minSlopePerUnit: 64, alpha: 0.05 / 13 };
    const series = (f: (y: number, x: number) => number) => RECORDED.map((y, i) => ({ x: 100 * (i + 1), y: f(y, 100 * (i + 1)) }));

    it('calls a steady leak a leak though one sample in the later half jumped and came back', () => {
      const v = classifyGrowth(
        series((y) => y),
        look,
      );
      expect(v.verdict).toBe('leak');
      expect(v.pointsUsed).toBe(16);
    });

    it('and the same scatter about a one-off jump and a flat level is no leak', () => {
      for (const at of [600, 900, 1200]) {
        const v = classifyGrowth(
          series((y, x) => y - 864 * x + (x >= at ? 700_000 : 0)),
          look,
        );
        expect(v.verdict, `jump at ${at}`).not.toBe('leak');
      }
    });
  });
});
