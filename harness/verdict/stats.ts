// Small robust-statistics helpers shared by the verdict engine. Pure and allocation-light.

/** Two-sided 95 % standard-normal quantile. */
export const Z95 = 1.959963984540054;

/** MAD × this ≈ standard deviation for normal scatter, so scales read like a σ. */
export const MAD_TO_SD = 1.4826;

/** Median of numbers already sorted ascending (NaN for an empty input). */
export function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median of any numbers (copies, never reorders the input). */
export function median(values: ArrayLike<number>): number {
  return sortedMedian(Float64Array.from(values as ArrayLike<number>).sort());
}

/** Robust scale: MAD about the median, scaled to read like a standard deviation. */
export function robustScale(values: ArrayLike<number>): number {
  const center = median(values);
  const deviations = Float64Array.from(values as ArrayLike<number>, (v) => Math.abs(v - center));
  return MAD_TO_SD * sortedMedian(deviations.sort());
}

/** Pearson lag-1 autocorrelation (0 when undefined); callers clip outliers first. */
export function lag1Autocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    const d = (values[i] as number) - mean;
    den += d * d;
    if (i > 0) num += d * ((values[i - 1] as number) - mean);
  }
  return den === 0 ? 0 : num / den;
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
