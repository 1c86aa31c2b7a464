// Options of the growth classifier and their per-kind defaults (effect-size floors).
import { DEFAULTS, FLOORS } from '../core/defaults.ts';
import type { ValueKind, WorkUnit } from '../core/types.ts';
import { zForTwoSidedAlpha } from './stats.ts';
import { settlingShare } from './window.ts';

export interface GrowthOptions {
  metric: string;
  label: string;
  unit: WorkUnit;
  valueKind: ValueKind;
  /** Leading share of points discarded as settling (window.ts: settlingShare); default DEFAULTS.warmupFraction. */
  warmupFraction?: number;
  /** Fewer post-warm-up points than this => inconclusive; default DEFAULTS.minPointsForVerdict. */
  minPoints?: number;
  /** Effect-size floor: growth per unit below this is never a leak. Default per kind (FLOORS, core/defaults.ts). */
  minSlopePerUnit?: number;
  /** Absolute floor over the analysed window, against GC noise. Default per kind (FLOORS). */
  minTotalGrowth?: number;
  /** Declared cap (e.g. 2000 entries): filling up to it is expected, passing it is not. */
  cap?: number;
  /**
   * Two-sided error of every slope interval the rules read; default DEFAULTS.verdictAlpha. A sequential run
   * passes the share of its error budget spent on one look (harness/verdict/sequential.ts).
   */
  alpha?: number;
}

export interface ResolvedOptions extends Required<Omit<GrowthOptions, 'cap'>> {
  cap: number | undefined;
  /** Normal quantile of the intervals, from alpha. */
  z: number;
  /**
   * Two-sided error of the halves' intervals: twice `alpha`, so that a half's lower end is the
   * one-sided bound at `alpha`. The halves only have to show that growth is positive in each (a
   * one-sided claim); the overall interval, at `alpha`, is what keeps flat series from leaking.
   */
  halvesAlpha: number;
  halvesZ: number;
}

export function resolveOptions(opts: GrowthOptions): ResolvedOptions {
  const floors = FLOORS[opts.valueKind];
  const alpha = opts.alpha ?? DEFAULTS.verdictAlpha;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${opts.label}: alpha must be in (0, 1), got ${opts.alpha}`);
  const halvesAlpha = Math.min(1, 2 * alpha);
  return {
    ...opts,
    warmupFraction: settlingShare(opts.warmupFraction),
    minPoints: Math.max(4, Math.ceil(opts.minPoints ?? DEFAULTS.minPointsForVerdict)),
    minSlopePerUnit: Math.max(0, opts.minSlopePerUnit ?? floors.minSlopePerUnit),
    minTotalGrowth: Math.max(0, opts.minTotalGrowth ?? floors.minTotalGrowth),
    cap: opts.cap,
    alpha,
    z: zForTwoSidedAlpha(alpha),
    halvesAlpha,
    halvesZ: zForTwoSidedAlpha(halvesAlpha),
  };
}
