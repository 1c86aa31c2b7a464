// Latency percentiles of a load's responses, shared by the live totals (cannon.ts) and the
// windows cut after the run (windows.ts). Pure.
import type { LatencyFigures } from '../report/load-model.ts';

/** Nearest-rank percentile of an ascending array (q in [0, 1]); 0 for an empty one. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function latencyFigures(values: readonly number[]): LatencyFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? 0 };
}
