// Theil–Sen slope with Sen's (1968) rank-based confidence interval.
//
// Why this estimator: post-GC heap samples carry skewed, occasionally huge outliers (a sample
// taken while a burst of garbage was still reachable). Least squares chases those; the median of
// pairwise slopes ignores up to ~29 % of wild points and still has ~90 % of least-squares
// efficiency on clean normal noise. Sen's interval inverts Kendall's tau test, so it is
// distribution-free (no normality assumed), only needing independent scatter.
import type { SeriesPoint } from '../core/types.ts';
import { clamp, lag1Autocorrelation, median, robustScale, sortedMedian, Z95 } from './stats.ts';

export interface SlopeFit {
  /** Median of pairwise slopes, per unit of x. */
  slope: number;
  /** Median of y - slope·x. */
  intercept: number;
  /** ~95 % interval of the slope (Sen's rank-based limits). */
  lower: number;
  upper: number;
  /** Points used (after binning, when the series was very long). */
  n: number;
  /** Lag-1 autocorrelation of the residuals (outliers clipped); 0 when too few points. */
  lag1: number;
  /** Factor applied to Kendall's variance for that autocorrelation (1 = none). */
  varianceInflation: number;
  x0: number;
  x1: number;
}

/** Above this many points the O(n²) pair count is reduced by binning consecutive points. */
export const MAX_PAIR_POINTS = 800;

/**
 * Fits y against x. Returns undefined when fewer than two distinct x exist.
 * Ties in x are skipped as pairs and corrected for in Kendall's variance.
 */
export interface TheilSenOptions {
  /** Normal quantile of the interval; default 1.96 (95 %). */
  z?: number;
  /** Widen the interval for autocorrelated scatter (default true). */
  correctAutocorrelation?: boolean;
}

export function theilSen(points: readonly SeriesPoint[], opts: TheilSenOptions = {}): SlopeFit | undefined {
  const z = opts.z ?? Z95;
  const pts = points.length > MAX_PAIR_POINTS ? binByMedian(points, MAX_PAIR_POINTS) : points;
  const n = pts.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const a = pts[i] as SeriesPoint;
    for (let j = i + 1; j < n; j += 1) {
      const b = pts[j] as SeriesPoint;
      const dx = b.x - a.x;
      if (dx !== 0) slopes.push((b.y - a.y) / dx);
    }
  }
  const count = slopes.length;
  if (count === 0) return undefined;
  const sorted = Float64Array.from(slopes).sort();
  const slope = sortedMedian(sorted);
  const intercept = median(pts.map((p) => p.y - slope * p.x));

  // Sen's limits: ranks (N ∓ C)/2 with C = z·sqrt(Var S), Var S of Kendall's S under no trend.
  // Ties in y are deliberately NOT corrected: once the trend is removed they mostly vanish, and
  // the uncorrected variance is the conservative (wider) choice.
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm(pts.map((p) => p.x))) / 18;
  // Modified Mann–Kendall (Hamed & Rao 1998, Yue & Wang 2004): positively autocorrelated
  // scatter (a count that arrives at random is a random walk about its trend) carries less
  // information than n independent points, so Var S is inflated by (1+ρ)/(1-ρ) for a
  // significant lag-1 correlation ρ. Without it the interval would be too narrow.
  const lag1 = residualLag1(pts, slope, intercept);
  const significant = opts.correctAutocorrelation !== false && n >= 8 && lag1 > Z95 / Math.sqrt(n);
  const rho = Math.min(lag1, MAX_RHO);
  const varianceInflation = significant ? (1 + rho) / (1 - rho) : 1;
  const c = z * Math.sqrt(Math.max(variance * varianceInflation, 0));
  const lowRank = Math.floor((count - c) / 2); // 1-based rank of the lower limit
  const highRank = Math.ceil((count + c) / 2) + 1; // 1-based rank of the upper limit
  const lower = sorted[Math.min(count - 1, Math.max(0, lowRank - 1))] as number;
  const upper = sorted[Math.min(count - 1, Math.max(0, highRank - 1))] as number;
  const xs = pts.map((p) => p.x);
  return {
    slope,
    intercept,
    lower: Math.min(lower, slope),
    upper: Math.max(upper, slope),
    n,
    lag1,
    varianceInflation,
    x0: Math.min(...xs),
    x1: Math.max(...xs),
  };
}

/** Caps the inflation at 9× (ρ = 0.8): beyond that the series is a trend misfit, not noise. */
const MAX_RHO = 0.8;

/** Lag-1 autocorrelation of residuals in x order, clipped at ±3 robust scales so outliers do not drive it. */
function residualLag1(pts: readonly SeriesPoint[], slope: number, intercept: number): number {
  if (pts.length < 3) return 0;
  const residuals = pts.map((p) => p.y - (intercept + slope * p.x));
  const scale = robustScale(residuals);
  if (scale === 0) return 0; // exact data on the line: nothing to correlate
  return lag1Autocorrelation(residuals.map((r) => clamp(r, -3 * scale, 3 * scale)));
}

/** Σ t(t-1)(2t+5) over groups of equal values (Kendall's tie correction). */
function tieTerm(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) if (t > 1) sum += t * (t - 1) * (2 * t + 5);
  return sum;
}

/** Consecutive points merged into `bins` medians: keeps the trend, bounds the cost. */
function binByMedian(points: readonly SeriesPoint[], bins: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let b = 0; b < bins; b += 1) {
    const from = Math.floor((b * points.length) / bins);
    const to = Math.floor(((b + 1) * points.length) / bins);
    const chunk = points.slice(from, to);
    if (chunk.length > 0) out.push({ x: median(chunk.map((p) => p.x)), y: median(chunk.map((p) => p.y)) });
  }
  return out;
}
