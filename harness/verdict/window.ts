// Cleans a series and splits off the warm-up share.
import type { SeriesPoint } from '../core/types.ts';

export interface PreparedSeries {
  /** Finite points, sorted by x (stable). */
  all: SeriesPoint[];
  /** Points after warm-up: what the verdict is about. */
  window: SeriesPoint[];
  discarded: number;
  /** Points dropped because x or y was not a finite number. */
  invalid: number;
}

export function prepareSeries(points: readonly SeriesPoint[], warmupFraction: number): PreparedSeries {
  const all = points
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.x - b.p.x || a.i - b.i)
    .map(({ p }) => ({ x: p.x, y: p.y }));
  const discarded = Math.floor(all.length * warmupFraction);
  return { all, window: all.slice(discarded), discarded, invalid: points.length - all.length };
}

/** Fewest total points whose post-warm-up share still holds `minPoints`. */
export function pointsNeeded(minPoints: number, warmupFraction: number): number {
  let total = minPoints;
  while (total - Math.floor(total * warmupFraction) < minPoints) total += 1;
  return total;
}

/** Typical work between samples (median positive step), or undefined. */
export function typicalSpacing(points: readonly SeriesPoint[]): number | undefined {
  const steps: number[] = [];
  for (let i = 1; i < points.length; i += 1) {
    const dx = (points[i] as SeriesPoint).x - (points[i - 1] as SeriesPoint).x;
    if (dx > 0) steps.push(dx);
  }
  if (steps.length === 0) return undefined;
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1];
}
