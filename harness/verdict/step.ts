// Single change-point (one level shift) fit, to tell a one-off allocation from a leak.
//
// A one-off allocation kept for good (a lazily built table, a first-use cache) moves the post-GC
// heap once and then stays flat. Theil–Sen over such a series is positive, and Kendall's test
// finds it "significant", so a step must be recognised before growth is called a leak.
import type { SeriesPoint } from '../core/types.ts';
import { MAD_TO_SD, median, sortedMedian } from './stats.ts';

export interface StepFit {
  /** Index (in the given points) of the first point of the later level. */
  index: number;
  /** Work done at the first point of the later level. */
  x: number;
  before: number;
  after: number;
  /** after - before. */
  jump: number;
  /**
   * Rise between the local levels just before and just after the change (medians of 3 samples
   * each side, so one outlier next to the change does not hide it): near `jump` for a real step,
   * a small share of it for a smooth saturating curve.
   */
  localRise: number;
  /** Σ |y - level| for the two-level model. */
  cost: number;
  /** Robust scatter about the two levels (σ-like). */
  scale: number;
}

/** Candidate split positions evaluated, at most (bounds the O(n² log n) search). */
const MAX_CANDIDATES = 300;

/** Best split into two constant levels by least absolute deviation; undefined if too short. */
export function bestStep(points: readonly SeriesPoint[], minSegment = 2): StepFit | undefined {
  const n = points.length;
  if (n < 2 * minSegment) return undefined;
  const ys = points.map((p) => p.y);
  const stride = Math.max(1, Math.ceil((n - 2 * minSegment + 1) / MAX_CANDIDATES));
  let best: { k: number; cost: number; before: number; after: number } | undefined;
  for (let k = minSegment; k <= n - minSegment; k += stride) {
    const pre = ys.slice(0, k);
    const post = ys.slice(k);
    const before = median(pre);
    const after = median(post);
    let cost = 0;
    for (const y of pre) cost += Math.abs(y - before);
    for (const y of post) cost += Math.abs(y - after);
    if (best === undefined || cost < best.cost) best = { k, cost, before, after };
  }
  if (best === undefined) return undefined;
  const { k, cost, before, after } = best;
  const residuals = Float64Array.from(ys, (y, i) => Math.abs(y - (i < k ? before : after))).sort();
  return {
    index: k,
    x: (points[k] as SeriesPoint).x,
    before,
    after,
    jump: after - before,
    localRise: median(ys.slice(k, k + 3)) - median(ys.slice(Math.max(0, k - 3), k)),
    cost,
    scale: MAD_TO_SD * sortedMedian(residuals),
  };
}
