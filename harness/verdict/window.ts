// Which samples and points a verdict judges, decided here and nowhere else: a run's judged phases,
// then each series' leading settling share; warm-up is cut in these two steps because a phase marks
// only the warm-up a run knows it does, while the settling share also catches what no phase marks
// (a target's own JIT and first fills, a collection's first samples after it appeared).
import { DEFAULTS } from '../core/defaults.ts';
import type { Sample, SeriesPoint } from '../core/types.ts';
import { clamp } from './stats.ts';

/**
 * Phases whose samples never feed a verdict unless a scenario names its judged phases: the
 * harness priming its own paths in the target ('prime') and the workload's declared warm-up.
 */
export const UNJUDGED_PHASES: readonly string[] = ['prime', 'warmup'];

/** The samples a run's verdicts judge: those of `verdictPhases` when the scenario names them, else every phase but UNJUDGED_PHASES. */
export function judgedSamples<S extends Pick<Sample, 'phase'>>(samples: readonly S[], verdictPhases?: readonly string[]): S[] {
  return samples.filter((s) => (verdictPhases ? verdictPhases.includes(s.phase) : !UNJUDGED_PHASES.includes(s.phase)));
}

/** The leading share of each series' points discarded as settling: the one asked for, else DEFAULTS.warmupFraction. */
export function settlingShare(requested?: number): number {
  return clamp(requested ?? DEFAULTS.warmupFraction, 0, 0.9);
}

/** How many leading points of a series of `length` points its settling share discards. */
export function settlingPoints(length: number, share: number): number {
  return Math.floor(length * share);
}

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
  const discarded = settlingPoints(all.length, warmupFraction);
  return { all, window: all.slice(discarded), discarded, invalid: points.length - all.length };
}

/** Fewest total points whose post-warm-up share still holds `minPoints`. */
export function pointsNeeded(minPoints: number, warmupFraction: number): number {
  let total = minPoints;
  while (total - settlingPoints(total, warmupFraction) < minPoints) total += 1;
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
