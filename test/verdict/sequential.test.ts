// Sequential runs judged look by look: the seeded false-alarm and sensitivity suites of
// false-alarm.test.ts, each series now recorded up to 3x the nominal size and stopped at the
// first look that decides. Counts are exact (seeded); a change that moves them is a diff to justify.
import { describe, expect, it } from 'vitest';
import type { MetricVerdict, SeriesPoint } from '../../harness/core/types.ts';
import { gaussian, mulberry32 } from '../../harness/core/random.ts';
import { classifyGrowth } from '../../harness/verdict/index.ts';
import { classifySequentially, lookPoints, metricDecision, planLooks, type SequentialDesign } from '../../harness/verdict/sequential.ts';
import type { GrowthOptions } from '../../harness/verdict/options.ts';
import { HEAP, HEAP_NOISE, MAP, ROUGH_HEAP_NOISE, linear, oneOffStep, synth, type Noise } from './synth.ts';

const RUNS = 200;
const NOISES: Noise[] = [
  HEAP_NOISE,
  ROUGH_HEAP_NOISE,
  { sigma: 300, gcProb: 0.35, gcMean: 6144, outlierProb: 0, outlierMin: 0, outlierMax: 0 },
  { sigma: 1024, gcProb: 0.1, gcMean: 2048, outlierProb: 0.08, outlierMin: 50_000, outlierMax: 1_000_000 },
];

/** The false-alarm suite's runs (2000 units, a sample every 25), allowed to go on to 6000. */
const DESIGN: SequentialDesign = { nominal: 2000, max: 6000, first: 300, step: 25, growth: 1.25, alpha: 0.05, spending: 'bonferroni' };

function tally(make: (seed: number) => [SeriesPoint[], GrowthOptions], design = DESIGN, runs = RUNS) {
  const counts = { leak: 0, bounded: 0, inconclusive: 0 };
  const stops: number[] = [];
  for (let seed = 1; seed <= runs; seed += 1) {
    const [points, opts] = make(seed);
    const r = classifySequentially(points, opts, design);
    counts[r.verdict.verdict] += 1;
    stops.push(r.look.work);
  }
  stops.sort((a, b) => a - b);
  return { counts, medianStop: stops[runs >> 1] as number };
}

const heapRun = (seed: number, f: (x: number) => number) =>
  synth({ seed: 1000 + seed, units: DESIGN.max, every: 25, f, noise: NOISES[seed % NOISES.length] as Noise });

describe('the looks of a sequential run', () => {
  it('fall on the sampling step, include the nominal size and the maximum, and spend at most alpha in total', () => {
    const design = { ...DESIGN, nominal: 5000, max: 15_000, first: 1200, step: 100 };
    expect(lookPoints(design)).toEqual([1200, 1500, 1900, 2400, 3000, 3800, 5000, 6000, 7500, 9400, 11_800, 15_000]);
    for (const spending of ['bonferroni', 'pocock', 'obrien-fleming'] as const) {
      const looks = planLooks({ ...design, spending });
      const total = looks.reduce((s, l) => s + l.alpha, 0);
      expect(total, spending).toBeLessThanOrEqual(0.05 + 1e-12);
      expect(total, spending).toBeGreaterThan(0.05 - 1e-9);
      for (const l of looks) expect(l.z, spending).toBeGreaterThan(1.96);
    }
    // Twelve looks at 0.05/12 each: intervals at 99.6 %, z = 2.87.
    expect(planLooks(design)[0]!.z).toBeCloseTo(2.87, 2);
  });

  it('refuse a maximum below the nominal size and a budget outside (0, 1)', () => {
    expect(() => planLooks({ ...DESIGN, max: 1000 })).toThrow(/maximum \(1000\) must be at least the nominal size \(2000\)/);
    expect(() => planLooks({ ...DESIGN, alpha: 0 })).toThrow(/alpha must be in \(0, 1\)/);
  });

  it('stop on a leak or a flat interval at once, on other bounded shapes only from the nominal size on', () => {
    const floors = { minSlopePerUnit: 0.002, minTotalGrowth: 3 };
    const v = (verdict: MetricVerdict['verdict'], shape: MetricVerdict['shape'], span = 2000, maxValue = 2000) =>
      ({ verdict, shape, span, floors, maxValue }) as MetricVerdict;
    expect(metricDecision(v('leak', 'linear'), false).decided).toBe(true);
    expect(metricDecision(v('bounded', 'flat'), false).decided).toBe(true);
    // 400 units at 1 entry per 500 units would add under the 3 entries that stand out.
    expect(metricDecision(v('bounded', 'flat', 400), false).decided).toBe(false);
    expect(metricDecision(v('bounded', 'flat', 400), true).decided).toBe(true);
    expect(metricDecision(v('bounded', 'saturating'), false, 2000).decided).toBe(true);
    // A plateau below the declared cap, or without one, may still be a slow leak.
    expect(metricDecision(v('bounded', 'saturating', 2000, 40), false, 2000).decided).toBe(false);
    expect(metricDecision(v('bounded', 'saturating'), false).decided).toBe(false);
    expect(metricDecision(v('bounded', 'step'), false).decided).toBe(false);
    expect(metricDecision(v('bounded', 'step'), true).decided).toBe(true);
    expect(metricDecision(v('inconclusive', 'noisy'), true).decided).toBe(false);
  });
});

describe('sequential false alarms and sensitivity (200 seeded runs each)', () => {
  it('never calls a flat noisy heap a leak, and decides it well before the nominal size', () => {
    const { counts, medianStop } = tally((seed) => [heapRun(seed, linear(0)), HEAP]);
    expect(counts).toEqual({ leak: 0, bounded: 200, inconclusive: 0 });
    expect(medianStop).toBeLessThan(DESIGN.nominal);
  });

  it.each([10, 16, 32])('calls every planted %i B/session leak a leak (the floor is 8 B)', (perUnit) => {
    const { counts } = tally((seed) => [heapRun(seed, linear(perUnit)), HEAP]);
    expect(counts).toEqual({ leak: 200, bounded: 0, inconclusive: 0 });
  });

  it('never calls a one-off allocation (random size and place) a leak', () => {
    const { counts } = tally((seed) => {
      const r = mulberry32(seed);
      const at = 400 + r() * 1500;
      const size = 16_384 + r() * 512_000;
      return [heapRun(seed, oneOffStep(at, size)), HEAP];
    });
    expect(counts.leak).toBe(0);
    expect(counts.bounded).toBeGreaterThan(190);
  });

  it('catches a count leak whose entries arrive at random (1 per 100 sessions on average; 100 runs)', () => {
    const { counts } = tally(
      (seed) => {
        const r = mulberry32(seed);
        const points: SeriesPoint[] = [];
        let size = 10;
        for (let x = 1; x <= 6000; x += 1) {
          if (r() < 0.01) size += 1;
          if (x % 25 === 0) points.push({ x, y: size });
        }
        return [points, MAP];
      },
      DESIGN,
      100,
    );
    expect(counts).toEqual({ leak: 100, bounded: 0, inconclusive: 0 });
  });
});

describe('a small leak under large scatter', () => {
  // +137 B per session, samples scattered by 10 KB (σ) with GC bumps and rare outliers, a 64 B
  // floor as the session scenarios use; nominal 600 sessions, a sample every 50, up to 4x.
  const noise: Noise = { sigma: 10_240, gcProb: 0.1, gcMean: 4096, outlierProb: 0.02, outlierMin: 20_000, outlierMax: 200_000 };
  const opts = { ...HEAP, minSlopePerUnit: 64 };
  const design: SequentialDesign = { nominal: 600, max: 2400, first: 600, step: 50, growth: 1.25, alpha: 0.05, spending: 'bonferroni' };
  const series = (seed: number, perUnit: number) => synth({ seed, units: design.max, every: 50, f: linear(perUnit), noise });

  it('is inconclusive in a fixed run of the nominal size, a leak once the run goes on by itself', () => {
    const fixed = { leak: 0, bounded: 0, inconclusive: 0 };
    for (let seed = 1; seed <= RUNS; seed += 1)
      fixed[
        classifyGrowth(
          series(seed, 137).filter((p) => p.x <= design.nominal),
          opts,
        ).verdict
      ] += 1;
    expect(fixed).toEqual({ leak: 7, bounded: 0, inconclusive: 193 });
    const { counts } = tally((seed) => [series(seed, 137), opts], design);
    expect(counts).toEqual({ leak: 200, bounded: 0, inconclusive: 0 });
  });

  it('and its flat twin under the same scatter is bounded, never a leak', () => {
    const { counts } = tally((seed) => [series(seed, 0), opts], design);
    expect(counts).toEqual({ leak: 0, bounded: 200, inconclusive: 0 });
  });

  it('says at which confidence each look judged', () => {
    const r = classifySequentially(series(1, 137), opts, design);
    expect(r.verdict.verdict).toBe('leak');
    expect(r.verdict.reasons[0]).toMatch(/\(99\.\d % interval/);
  });
});
