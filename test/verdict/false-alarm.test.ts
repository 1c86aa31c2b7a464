// Seeded bulk runs: the engine's false-alarm rate and its sensitivity, as exact counts.
// The series are seeded, so these counts are deterministic; a change in the statistics that
// moves them shows up here as a diff to justify, not as a flaky test.
import { describe, expect, it } from 'vitest';
import type { MetricVerdict, SeriesPoint } from '../../harness/core/types.ts';
import { classifyGrowth } from '../../harness/verdict/index.ts';
import { mulberry32 } from '../../harness/core/random.ts';
import {
  BASE_HEAP,
  HEAP,
  HEAP_NOISE,
  MAP,
  ROUGH_HEAP_NOISE,
  clearAt,
  linear,
  lruBatch,
  oneOffStep,
  sawtooth,
  synth,
  trimToHalf,
  type Noise,
  type SawtoothRun,
} from './synth.ts';

const RUNS = 200;
/** Pure sawtooths of exact counts whose teeth are named (all: the runs are sized to show 6 teeth). */
const SAWTOOTH_NAMED = 200;
/** The one heap left undecided: 11 KB teeth under 1.5 KB scatter and 8 % wild samples, 80 samples. */
const SAWTOOTH_HEAP_BOUNDED = 199;

/** Four kinds of realistic post-GC noise, rotated over the seeds. */
const NOISES: Noise[] = [
  HEAP_NOISE,
  ROUGH_HEAP_NOISE,
  { sigma: 300, gcProb: 0.35, gcMean: 6144, outlierProb: 0, outlierMin: 0, outlierMax: 0 }, // GC timing
  { sigma: 1024, gcProb: 0.1, gcMean: 2048, outlierProb: 0.08, outlierMin: 50_000, outlierMax: 1_000_000 }, // wild outliers
];

function tally(make: (seed: number) => [SeriesPoint[], Parameters<typeof classifyGrowth>[1]]) {
  const counts = { leak: 0, bounded: 0, inconclusive: 0 };
  const verdicts: MetricVerdict[] = [];
  for (let seed = 1; seed <= RUNS; seed += 1) {
    const [points, opts] = make(seed);
    const v = classifyGrowth(points, opts);
    counts[v.verdict] += 1;
    verdicts.push(v);
  }
  return { counts, verdicts };
}

const heapRun = (seed: number, f: (x: number) => number) =>
  synth({ seed: 1000 + seed, units: 2000, every: 25, f, noise: NOISES[seed % NOISES.length] as Noise });

describe('false alarms and sensitivity (200 seeded runs each)', () => {
  it('never calls a flat noisy heap a leak, outliers included', () => {
    const { counts } = tally((seed) => [heapRun(seed, linear(0)), HEAP]);
    expect(counts).toEqual({ leak: 0, bounded: 200, inconclusive: 0 });
  });

  it('never calls a short (20-sample) flat noisy run a leak: when unsure it says inconclusive', () => {
    const { counts } = tally((seed) => [
      synth({ seed: 5000 + seed, units: 400, every: 20, f: linear(0), noise: NOISES[seed % 4] as Noise }),
      HEAP,
    ]);
    expect(counts).toEqual({ leak: 0, bounded: 105, inconclusive: 95 });
  });

  it('calls all planted 32 B/session leaks leaks, slope within 15 %, interval around the truth in ~95 %', () => {
    const { counts, verdicts } = tally((seed) => [heapRun(seed, linear(32)), HEAP]);
    expect(counts).toEqual({ leak: 200, bounded: 0, inconclusive: 0 });
    expect(verdicts.filter((v) => Math.abs(v.slopePerUnit - 32) <= 0.15 * 32).length).toBe(200);
    expect(verdicts.filter((v) => v.slopeInterval[0] <= 32 && 32 <= v.slopeInterval[1]).length).toBe(187);
  });

  it('never calls a one-off allocation (random size and place) a leak', () => {
    const { counts, verdicts } = tally((seed) => {
      const r = mulberry32(seed);
      const at = 400 + r() * 1500;
      const size = 16_384 + r() * 512_000;
      return [heapRun(seed, oneOffStep(at, size)), HEAP];
    });
    expect(counts).toEqual({ leak: 0, bounded: 163, inconclusive: 37 });
    const shapes: Record<string, number> = {};
    for (const v of verdicts) shapes[`${v.verdict}/${v.shape}`] = (shapes[`${v.verdict}/${v.shape}`] ?? 0) + 1;
    // Undecided runs are jumps in the last quarter of the window: too little seen after them.
    expect(shapes).toEqual({
      'bounded/flat': 14,
      'bounded/saturating': 2,
      'bounded/step': 147,
      'inconclusive/linear': 1,
      'inconclusive/step': 36,
    });
  });

  it('never calls two one-off allocations (random sizes and places) a leak', () => {
    const { counts } = tally((seed) => {
      const r = mulberry32(seed);
      const [at1, at2] = [400 + r() * 1500, 400 + r() * 1500];
      const [size1, size2] = [16_384 + r() * 512_000, 16_384 + r() * 512_000];
      return [heapRun(seed, (x) => oneOffStep(at1, size1)(x) + oneOffStep(at2, size2, 0)(x)), HEAP];
    });
    expect(counts).toEqual({ leak: 0, bounded: 85, inconclusive: 115 });
  });

  it('catches a count leak whose entries arrive at random (1 per 100 sessions on average)', () => {
    const { counts } = tally((seed) => {
      const r = mulberry32(seed);
      const points: SeriesPoint[] = [];
      let size = 10;
      for (let x = 1; x <= 4000; x += 1) {
        if (r() < 0.01) size += 1;
        if (x % 40 === 0) points.push({ x, y: size });
      }
      return [points, MAP];
    });
    // A random walk about the trend: the autocorrelation-widened interval leaves some runs undecided.
    expect(counts).toEqual({ leak: 185, bounded: 0, inconclusive: 15 });
  });

  it('never calls an exact count that jitters between 3 and 8 (in-flight requests) a leak', () => {
    const { counts } = tally((seed) => {
      const r = mulberry32(seed);
      return [Array.from({ length: 100 }, (_, i) => ({ x: 40 * (i + 1), y: 3 + Math.floor(r() * 6) })), MAP];
    });
    expect(counts).toEqual({ leak: 0, bounded: 200, inconclusive: 0 });
  });

  it('never calls a periodically trimmed collection a leak, nor inconclusive, whatever its period and sampling phase', () => {
    const { counts, verdicts } = tally((seed) => [sawtooth(trimmedRun(seed, 0)), MAP]);
    expect(counts).toEqual({ leak: 0, bounded: 200, inconclusive: 0 });
    expect(verdicts.filter((v) => v.shape === 'sawtooth').length).toBe(SAWTOOTH_NAMED);
  });

  it('catches every periodically trimmed collection whose troughs rise (1 entry per 2 units survives the trims)', () => {
    const { counts } = tally((seed) => [sawtooth(trimmedRun(seed, 0.5)), MAP]);
    expect(counts).toEqual({ leak: 200, bounded: 0, inconclusive: 0 });
  });

  it('never calls the heap of a plugin whose collection is periodically trimmed (64 B per entry, post-GC noise) a leak', () => {
    const { counts } = tally((seed) => {
      const run = trimmedRun(seed, 0, 80); // as long as the other heap runs of this suite
      const sizes = new Map(sawtooth(run).map((p) => [p.x, p.y]));
      const heap = synth({
        seed: 3000 + seed,
        units: run.units,
        every: run.every,
        f: (x) => BASE_HEAP + 64 * sizes.get(x)!,
        noise: NOISES[seed % NOISES.length] as Noise,
      });
      return [heap, HEAP];
    });
    expect(counts).toEqual({ leak: 0, bounded: SAWTOOTH_HEAP_BOUNDED, inconclusive: 200 - SAWTOOTH_HEAP_BOUNDED });
  });
});

/**
 * Random trim shape, size, rate, sampling interval and phase. Sampled every `every` units, a
 * tooth of `period` units shows as a tooth every 1/|every/period - nearest whole| samples when the
 * interval is over half the period (aliasing); runs are sized to show at least 6 of those visible
 * teeth after warm-up, and intervals whose visible teeth would need over 250 samples are redrawn.
 */
function trimmedRun(seed: number, keptPerUnit: number, minSamples = 40): SawtoothRun {
  const r = mulberry32(seed);
  const shapes = [
    { trim: clearAt, removed: (n: number) => n },
    { trim: trimToHalf, removed: (n: number) => n / 2 },
    { trim: lruBatch, removed: (n: number) => n / 4 },
  ];
  for (;;) {
    const shape = shapes[Math.floor(r() * shapes.length)]!;
    const n = 100 + Math.floor(r() * 1900);
    const addsPerUnit = 1 + Math.floor(r() * 4);
    const period = shape.removed(n) / addsPerUnit;
    const every = Math.max(1, Math.round(period * (0.1 + r() * 2.5)));
    const ratio = every / period;
    const visibleEverySamples = ratio <= 0.5 ? 1 / ratio : 1 / Math.abs(ratio - Math.round(ratio));
    const samples = Math.max(minSamples, Math.ceil((visibleEverySamples * 6) / 0.8));
    if (samples > 250) continue;
    return { trim: shape.trim(n), addsPerUnit, every, offset: Math.floor(r() * period), units: samples * every, keptPerUnit };
  }
}
