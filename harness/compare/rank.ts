// Rank statistics for two independent samples: the Mann–Whitney U test (exact permutation
// distribution for small samples, ties included; normal approximation with tie correction
// otherwise) and the Hodges–Lehmann shift estimate with its distribution-free (Moses) interval.
// Pure functions; the only randomness is an optional seeded subsample of very many pairs.

/** Above this many observations in total, p-values use the normal approximation. */
export const EXACT_MAX_TOTAL = 60;

/** Above this many pairwise differences, the Hodges–Lehmann interval uses a seeded subsample. */
export const MAX_PAIRS = 250_000;

// ---------------------------------------------------------------------------------------------
// Standard normal distribution

/** Complementary error function (Numerical Recipes erfcc, fractional error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** The standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, |rel. error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

// ---------------------------------------------------------------------------------------------
// Ranks and the permutation distribution of a rank sum

export interface Ranked {
  /** Mid-ranks (1-based; tied values share the mean of their ranks), in input order. */
  ranks: Float64Array;
  /** Σ (t³ − t) over groups of t tied values: the tie correction of the variance. */
  tieTerm: number;
}

export function midRanks(values: readonly number[]): Ranked {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j] as number] === values[order[i] as number]) j += 1;
    const rank = (i + 1 + j) / 2; // mean of ranks i+1 .. j
    for (let k = i; k < j; k += 1) ranks[order[k] as number] = rank;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  return { ranks, tieTerm };
}

/**
 * How many ways each total can be reached by choosing `k` of the integer `scores`
 * (index = total). Counts are floats: C(60, 30) ≈ 1.2e17 still has ~16 significant digits.
 */
export function subsetSumCounts(scores: readonly number[], k: number): Float64Array {
  const total = scores.reduce((s, v) => s + v, 0);
  const width = total + 1;
  const dp = new Float64Array((k + 1) * width);
  dp[0] = 1;
  let reach = 0;
  for (let i = 0; i < scores.length; i += 1) {
    const score = scores[i] as number;
    reach += score;
    for (let j = Math.min(i + 1, k); j >= 1; j -= 1) {
      const row = j * width;
      const prev = (j - 1) * width;
      for (let s = reach; s >= score; s -= 1) dp[row + s] = (dp[row + s] as number) + (dp[prev + s - score] as number);
    }
  }
  return dp.subarray(k * width, (k + 1) * width);
}

// ---------------------------------------------------------------------------------------------
// Mann–Whitney U

export interface MannWhitney {
  /** U of the current sample: pairs where current > baseline, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  /** True when the p-value comes from the exact permutation distribution (ties included). */
  exact: boolean;
}

export function mannWhitney(baseline: readonly number[], current: readonly number[]): MannWhitney {
  const n = baseline.length;
  const m = current.length;
  if (n === 0 || m === 0) return { u: 0, pValue: 1, exact: true };
  const N = n + m;
  const { ranks, tieTerm } = midRanks([...baseline, ...current]);
  let w = 0;
  for (let i = n; i < N; i += 1) w += ranks[i] as number;
  const u = w - (m * (m + 1)) / 2;
  const mean = (n * m) / 2;

  if (N <= EXACT_MAX_TOTAL) {
    // Exact: every split of the N mid-ranks into groups of n and m is equally likely under H0.
    // Doubled mid-ranks are integers, so the distribution is a subset-sum count.
    const doubled = Array.from(ranks, (r) => Math.round(2 * r));
    const counts = subsetSumCounts(doubled, m);
    const expected = m * (N + 1); // E[2W]
    const observed = Math.abs(Math.round(2 * w) - expected);
    let extreme = 0;
    let all = 0;
    for (let s = 0; s < counts.length; s += 1) {
      const c = counts[s] as number;
      if (c === 0) continue;
      all += c;
      if (Math.abs(s - expected) >= observed) extreme += c;
    }
    return { u, pValue: Math.min(1, extreme / all), exact: true };
  }

  const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, pValue: 1, exact: false };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance); // continuity-corrected
  return { u, pValue: Math.min(1, 2 * normalUpperTail(z)), exact: false };
}

// ---------------------------------------------------------------------------------------------
// Hodges–Lehmann shift and its Moses (rank-inversion) interval

const kCache = new Map<string, number>();

/**
 * How many of the n·m sorted pairwise differences are trimmed from each end for a two-sided
 * `confidence` interval: [D(k), D(nm+1−k)], 1-based. 0 means the samples are too small for any
 * bounded interval at that confidence. Exact (no ties) up to EXACT_MAX_TOTAL observations.
 */
export function mosesTrim(n: number, m: number, confidence: number): number {
  const key = `${Math.min(n, m)}/${Math.max(n, m)}/${confidence}`;
  const cached = kCache.get(key);
  if (cached !== undefined) return cached;
  const N = n + m;
  const tail = (1 - confidence) / 2;
  let k = 0;
  if (N <= EXACT_MAX_TOTAL) {
    const small = Math.min(n, m);
    const counts = subsetSumCounts(
      Array.from({ length: N }, (_, i) => i + 1),
      small,
    );
    const offset = (small * (small + 1)) / 2; // W of the smaller group minus this is U
    let all = 0;
    for (const c of counts) all += c;
    // k is the largest with P(U <= k - 1) <= tail.
    let cumulative = 0;
    for (let u = 0; u <= (n * m) / 2; u += 1) {
      cumulative += (counts[u + offset] as number) / all;
      if (cumulative > tail + 1e-12) break;
      k = u + 1;
    }
  } else {
    const z = normalQuantile(1 - tail);
    k = Math.max(0, Math.floor((n * m) / 2 - z * Math.sqrt((n * m * (N + 1)) / 12)));
  }
  kCache.set(key, k);
  return k;
}

export interface ShiftEstimate {
  /** Median of all pairwise differences current[j] − baseline[i]. */
  estimate: number;
  /** Interval of the shift; ±Infinity when the samples are too small for one. */
  lower: number;
  upper: number;
  /** True when the pairs were subsampled (more than MAX_PAIRS of them). */
  sampled: boolean;
}

/**
 * Hodges–Lehmann estimate of the shift between two samples (on whatever scale the caller
 * passes: raw values for a shift, logarithms for a ratio) and the matching Moses interval.
 * `rand` is only used when there are more than MAX_PAIRS pairs.
 */
export function hodgesLehmann(
  baseline: readonly number[],
  current: readonly number[],
  confidence: number,
  rand: () => number,
): ShiftEstimate {
  const n = baseline.length;
  const m = current.length;
  const pairs = n * m;
  const sampled = pairs > MAX_PAIRS;
  let diffs: Float64Array;
  if (!sampled) {
    diffs = new Float64Array(pairs);
    let p = 0;
    for (const c of current) for (const b of baseline) diffs[p++] = c - b;
  } else {
    diffs = new Float64Array(MAX_PAIRS);
    for (let p = 0; p < MAX_PAIRS; p += 1) {
      const i = Math.floor(rand() * n);
      const j = Math.floor(rand() * m);
      diffs[p] = (current[j] as number) - (baseline[i] as number);
    }
  }
  diffs.sort();
  const count = diffs.length;
  const mid = count >> 1;
  const estimate = count % 2 === 1 ? (diffs[mid] as number) : ((diffs[mid - 1] as number) + (diffs[mid] as number)) / 2;
  const k = mosesTrim(n, m, confidence);
  if (k === 0) return { estimate, lower: -Infinity, upper: Infinity, sampled };
  // Map the 1-based order statistic k of `pairs` onto the (possibly subsampled) array.
  const at = (rank: number): number => {
    const pos = sampled ? Math.round(((rank - 1) / (pairs - 1)) * (count - 1)) : rank - 1;
    return diffs[Math.min(count - 1, Math.max(0, pos))] as number;
  };
  return { estimate, lower: at(k), upper: at(pairs + 1 - k), sampled };
}

/**
 * Smallest equal number of runs per side for which the exact two-sided rank test can reach
 * `alpha` at all (the most extreme split has p = 2 / C(2n, n)).
 */
export function minRunsForAlpha(alpha: number): number {
  let n = 1;
  let c = 2; // C(2n, n)
  while (2 / c > alpha && n < 1000) {
    n += 1;
    c = (c * (2 * n) * (2 * n - 1)) / (n * n);
  }
  return n;
}
