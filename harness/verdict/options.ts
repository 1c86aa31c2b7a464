// Options of the growth classifier and their per-kind defaults (effect-size floors).
import { DEFAULTS } from '../core/defaults.ts';
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
  /** Effect-size floor: growth per unit below this is never a leak. Default per kind (FLOORS). */
  minSlopePerUnit?: number;
  /** Absolute floor over the analysed window, against GC noise. Default per kind (FLOORS). */
  minTotalGrowth?: number;
  /** Declared cap (e.g. 2000 entries): filling up to it is expected, passing it is not. */
  cap?: number;
  /**
   * Two-sided error of every slope interval the rules read; default 0.05 (95 %). A sequential run
   * passes the share of its error budget spent on one look (harness/verdict/sequential.ts).
   */
  alpha?: number;
}

export interface Floors {
  minSlopePerUnit: number;
  minTotalGrowth: number;
}

/**
 * Default floors. Bytes: 8 B per unit is well under the smallest leak worth a CI failure
 * (a leaked closure or a small object per session is 32 B or more) and well above what
 * post-GC noise of a few hundred bytes to a few KB can fake over hundreds of units;
 * 4 KB in total is a few post-GC noise amplitudes. Counted kinds are exact, so the floor is
 * tiny: 1 per 500 units (so "+1 entry per 100 sessions" is caught) and 3 in total.
 */
export const FLOORS: Record<ValueKind, Floors> = {
  bytes: { minSlopePerUnit: 8, minTotalGrowth: 4096 },
  entries: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
  handles: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
  calls: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
  count: { minSlopePerUnit: 0.002, minTotalGrowth: 3 },
};

export interface ResolvedOptions extends Required<Omit<GrowthOptions, 'cap'>> {
  cap: number | undefined;
  /** Normal quantile of the intervals, from alpha. */
  z: number;
}

/** Error of the engine's intervals when no sequential plan asks for less. */
export const DEFAULT_ALPHA = 0.05;

export function resolveOptions(opts: GrowthOptions): ResolvedOptions {
  const floors = FLOORS[opts.valueKind];
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${opts.label}: alpha must be in (0, 1), got ${opts.alpha}`);
  return {
    ...opts,
    warmupFraction: settlingShare(opts.warmupFraction),
    minPoints: Math.max(4, Math.ceil(opts.minPoints ?? DEFAULTS.minPointsForVerdict)),
    minSlopePerUnit: Math.max(0, opts.minSlopePerUnit ?? floors.minSlopePerUnit),
    minTotalGrowth: Math.max(0, opts.minTotalGrowth ?? floors.minTotalGrowth),
    cap: opts.cap,
    alpha,
    z: zForTwoSidedAlpha(alpha),
  };
}
