// Synthetic metric series shaped like what the observers record, with seeded noise.
import type { SeriesPoint } from '../../harness/core/types.ts';
import { gaussian, mulberry32 } from '../../harness/core/random.ts';

export interface Noise {
  /** Gaussian scatter of post-GC heap between samples, bytes. */
  sigma: number;
  /** GC-timing noise: with this probability a sample carries not-yet-collected garbage... */
  gcProb: number;
  /** ...of exponentially distributed size with this mean, bytes (always upwards). */
  gcMean: number;
  /** Occasional wild samples (a burst still reachable, a sample mid-allocation). */
  outlierProb: number;
  /** Outlier magnitude range, bytes; the sign is random. */
  outlierMin: number;
  outlierMax: number;
}

export const NO_NOISE: Noise = { sigma: 0, gcProb: 0, gcMean: 0, outlierProb: 0, outlierMin: 0, outlierMax: 0 };

/** What post-GC heap looks like from CDP: a few hundred bytes of scatter, KB-sized GC bumps, rare 20-200 KB outliers. */
export const HEAP_NOISE: Noise = { sigma: 400, gcProb: 0.1, gcMean: 2048, outlierProb: 0.02, outlierMin: 20_000, outlierMax: 200_000 };

/** A rougher target: KB-level scatter and more GC timing noise. */
export const ROUGH_HEAP_NOISE: Noise = {
  sigma: 2048,
  gcProb: 0.2,
  gcMean: 4096,
  outlierProb: 0.03,
  outlierMin: 20_000,
  outlierMax: 300_000,
};

export interface SynthOptions {
  seed: number;
  /** Work done at the last sample. */
  units: number;
  /** Work between samples (first sample at `every`). */
  every: number;
  /** Noise-free value at work x. */
  f: (x: number) => number;
  noise?: Noise;
}

export function synth({ seed, units, every, f, noise = NO_NOISE }: SynthOptions): SeriesPoint[] {
  const rand = mulberry32(seed);
  const points: SeriesPoint[] = [];
  for (let x = every; x <= units + 1e-9; x += every) {
    let y = f(x) + noise.sigma * gaussian(rand);
    if (rand() < noise.gcProb) y += -noise.gcMean * Math.log(1 - rand());
    if (rand() < noise.outlierProb) {
      const size = noise.outlierMin + rand() * (noise.outlierMax - noise.outlierMin);
      y += rand() < 0.5 ? -size : size;
    }
    points.push({ x, y: Math.round(y) });
  }
  return points;
}

/** Base heap of a small target: 6 MB. */
export const BASE_HEAP = 6 * 1024 * 1024;

export const linear =
  (perUnit: number, base = BASE_HEAP) =>
  (x: number) =>
    base + perUnit * x;

/** Options for a heap metric in tests. */
export const HEAP = { metric: 'heapUsedBytes', label: 'used heap (post-GC)', unit: 'session', valueKind: 'bytes' } as const;

/** Options for a collection-size metric in tests. */
export const MAP = { metric: 'collection:@42', label: 'Map sessions', unit: 'session', valueKind: 'entries' } as const;

/** A collection that keeps one entry for every `every` units: an exact staircase. */
export const staircase =
  (every: number, base = 12) =>
  (x: number) =>
    base + Math.floor(x / every);

/** An LRU-style cache gaining `perUnit` entries per unit until it holds `cap`. */
export const filling =
  (cap: number, perUnit = 1) =>
  (x: number) =>
    Math.min(cap, Math.floor(perUnit * x));

/** A one-off allocation of `size` bytes at work `at`, kept for good. */
export const oneOffStep =
  (at: number, size: number, base = BASE_HEAP) =>
  (x: number) =>
    base + (x >= at ? size : 0);

/** Exponential approach to `base + total` with time constant `tau` units. */
export const saturating =
  (total: number, tau: number, base = BASE_HEAP) =>
  (x: number) =>
    base + total * (1 - Math.exp(-x / tau));

/** How a periodically trimmed collection answers one add: its size after the add (and any trim). */
export type Trim = (size: number) => number;

/** Cleared once it holds `n` entries. */
export const clearAt =
  (n: number): Trim =>
  (s) =>
    s + 1 >= n ? 0 : s + 1;
/** Past `n` entries, the oldest half go (a dedupe Set trimmed by hand). */
export const trimToHalf =
  (n: number): Trim =>
  (s) =>
    s + 1 > n ? s + 1 - Math.floor(n / 2) : s + 1;
/** Past `n` entries, the least recently used quarter go in one batch. */
export const lruBatch =
  (n: number): Trim =>
  (s) =>
    s + 1 > n ? s + 1 - Math.floor(n / 4) : s + 1;

export interface SawtoothRun {
  trim: Trim;
  /** Entries added per unit of work. */
  addsPerUnit: number;
  /** Work between samples. */
  every: number;
  /** Work done before the first sampled unit: moves the sampling phase against the teeth. */
  offset: number;
  units: number;
  /** Entries per unit that no trim ever removes (a rising floor); 0 for a pure sawtooth. */
  keptPerUnit?: number;
}

/** A collection's exact size, sampled every `every` units, under periodic trims. */
export function sawtooth({ trim, addsPerUnit, every, offset, units, keptPerUnit = 0 }: SawtoothRun): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  let trimmed = 0;
  let kept = 0;
  for (let x = 1; x <= offset + units; x += 1) {
    for (let i = 0; i < addsPerUnit; i += 1) trimmed = trim(trimmed);
    kept += keptPerUnit;
    if (x > offset && (x - offset) % every === 0) points.push({ x: x - offset, y: trimmed + Math.floor(kept) });
  }
  return points;
}
