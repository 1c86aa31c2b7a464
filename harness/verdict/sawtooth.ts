// Periodic trims: a collection cleared at N, trimmed to half, or evicted in LRU batches rises and
// falls back again and again. Its slope over the whole run says nothing (it depends on where the
// run happens to stop in a tooth) and its scatter is the teeth, so the trend rules would call it
// noisy. What decides is the floor: the running minimum after each drop. A floor that stays put
// is bounded however high the teeth; a floor that rises per unit of work is growth.
//
// The swings are found with a zigzag filter (a reversal counts once the series has moved back by
// the swing threshold), so the rule does not depend on whether the samples catch the peaks, the
// troughs or an aliased view of them (a trim every 125 sessions sampled every 100 reads as a slow
// fall with a jump up; its swings are still there).
import type { SeriesPoint } from '../core/types.ts';
import { OUTLIER_SCALES } from './analyse.ts';
import { niceCeil, rate, rateWithInterval, units, value } from './describe.ts';
import { firstPoint, lastPoint, type Context, type Judgement } from './judgement.ts';
import { median } from './stats.ts';
import { theilSen, type SlopeFit } from './theil-sen.ts';
import type { ResolvedOptions } from './options.ts';

/** Fewest drops (confirmed down-swings) that make a sawtooth: one or two could be one-off frees. */
export const SAWTOOTH_MIN_DROPS = 3;
/** A swing must cover this share of the window's range... */
export const SWING_RANGE_SHARE = 0.3;
/** ...and this many times the sample scatter, so GC scatter (heavier-tailed than σ says) never makes swings. */
export const SWING_NOISE_SCALES = 10;
/**
 * Each sampled trough sits up to one resolution above the true one, and a line through such
 * troughs can tilt by a little more than that: a floor that moved up to 1.5 resolutions is the
 * sampling phase, and one that moved more (steadily: see the leak rule) is growth.
 */
export const PHASE_DRIFT_RESOLUTIONS = 1.5;

export interface Sawtooth {
  /** Confirmed drops: falls of at least `swing` from a peak. */
  drops: number;
  /** The running minimum after each drop (the last one may still be falling when the run ends). */
  troughs: SeriesPoint[];
  /** The top of each tooth, just before its drop. */
  peaks: SeriesPoint[];
  /** Lowest trough and highest peak. */
  floor: number;
  ceiling: number;
  /** Theil–Sen fits of the troughs and of the peaks against work. */
  floorFit: SlopeFit;
  ceilingFit: SlopeFit;
  /**
   * How far a sampled trough can sit above the true one: the typical rise between two samples
   * on a tooth, plus twice the scatter. A floor that moved less than this over the run cannot be
   * told from the sampling phase.
   */
  resolution: number;
  /** Smallest swing counted. */
  swing: number;
}

interface Pivot {
  index: number;
  kind: 'peak' | 'trough';
}

/**
 * Undefined unless the window drops back at least SAWTOOTH_MIN_DROPS times by a swing that is
 * large against both its range and its scatter. Outliers (far from their neighbours) are left out
 * first, so a few wild heap samples never make teeth. `noise` is the measurement scatter: 0 for
 * exact counts, whose sample-to-sample differences are the teeth themselves.
 */
export function findSawtooth(window: readonly SeriesPoint[], noise: number, cfg: ResolvedOptions): Sawtooth | undefined {
  const pts = withoutOutliers(window, noise);
  if (pts.length < cfg.minPoints) return undefined;
  const ys = pts.map((p) => p.y);
  const range = Math.max(...ys) - Math.min(...ys);
  const swing = Math.max(cfg.minTotalGrowth, SWING_NOISE_SCALES * noise, SWING_RANGE_SHARE * range);
  if (!(swing > 0) || range < swing) return undefined;
  const { pivots, last } = zigzag(ys, swing);
  const peaks = pivots.filter((p) => p.kind === 'peak');
  if (peaks.length < SAWTOOTH_MIN_DROPS) return undefined;
  // Troughs after a drop: every trough pivot after the first peak, and the running minimum the
  // run ended in if it was falling.
  const firstPeak = (peaks[0] as Pivot).index;
  const troughIdx = pivots.filter((p) => p.kind === 'trough' && p.index > firstPeak).map((p) => p.index);
  if (last.kind === 'trough') troughIdx.push(last.index);
  const troughs = troughIdx.map((i) => pts[i] as SeriesPoint);
  const peakPts = peaks.map((p) => pts[p.index] as SeriesPoint);
  const floorFit = theilSen(troughs);
  const ceilingFit = theilSen(peakPts);
  if (!floorFit || !ceilingFit) return undefined;
  return {
    drops: peaks.length,
    troughs,
    peaks: peakPts,
    floor: Math.min(...troughs.map((p) => p.y)),
    ceiling: Math.max(...peakPts.map((p) => p.y)),
    floorFit,
    ceilingFit,
    resolution: typicalRise(ys) + 2 * noise,
    swing,
  };
}

/**
 * Alternating extremes whose moves between them are at least `swing`. A pivot is confirmed only
 * once the series has moved back by `swing` from it; `last` is the extreme in progress at the end.
 */
function zigzag(ys: readonly number[], swing: number): { pivots: Pivot[]; last: Pivot } {
  const pivots: Pivot[] = [];
  let dir: 0 | 1 | -1 = 0;
  let lo = 0;
  let hi = 0;
  let ext = 0;
  for (let i = 1; i < ys.length; i += 1) {
    const y = ys[i] as number;
    if (dir === 0) {
      if (y > (ys[hi] as number)) hi = i;
      if (y < (ys[lo] as number)) lo = i;
      if ((ys[hi] as number) - (ys[lo] as number) >= swing) {
        const risingFirst = hi > lo;
        pivots.push({ index: risingFirst ? lo : hi, kind: risingFirst ? 'trough' : 'peak' });
        dir = risingFirst ? 1 : -1;
        ext = risingFirst ? hi : lo;
      }
    } else if (dir === 1) {
      if (y > (ys[ext] as number)) ext = i;
      else if ((ys[ext] as number) - y >= swing) {
        pivots.push({ index: ext, kind: 'peak' });
        dir = -1;
        ext = i;
      }
    } else if (y < (ys[ext] as number)) ext = i;
    else if (y - (ys[ext] as number) >= swing) {
      pivots.push({ index: ext, kind: 'trough' });
      dir = 1;
      ext = i;
    }
  }
  return { pivots, last: { index: ext, kind: dir === -1 ? 'trough' : 'peak' } };
}

/** Median rise between consecutive samples that rose (the tooth's slope per sample). */
function typicalRise(ys: readonly number[]): number {
  const rises: number[] = [];
  for (let i = 1; i < ys.length; i += 1) {
    const d = (ys[i] as number) - (ys[i - 1] as number);
    if (d > 0) rises.push(d);
  }
  return rises.length > 0 ? median(rises) : 0;
}

/** Outliers are rare; more samples than this share off their neighbours are teeth seen every other sample. */
const MAX_OUTLIER_SHARE = 0.1;

/** Drops samples further than OUTLIER_SCALES × noise from the median of their neighbours, if they are rare. */
function withoutOutliers(window: readonly SeriesPoint[], noise: number): SeriesPoint[] {
  if (!(noise > 0)) return [...window];
  const ys = window.map((p) => p.y);
  const kept = window.filter((p, i) => Math.abs(p.y - median(ys.slice(Math.max(0, i - 2), i + 3))) <= OUTLIER_SCALES * noise);
  return window.length - kept.length <= MAX_OUTLIER_SHARE * window.length ? kept : [...window];
}

/**
 * The trend rules' judgement, replaced by the sawtooth rules when the window saw-tooths. Exact
 * counts have no scatter, so their teeth are certain: the sawtooth rules decide, except that a
 * trend already bounded stays bounded (named a sawtooth when the rules agree). In bytes, scatter
 * can make swings, so there the sawtooth only settles a trend undecided for scatter as bounded
 * (teeth are scatter to the trend rules); a late jump or a leak stays the trend's.
 */
export function judgePeriodicTrims(ctx: Context, trend: Judgement): Judgement {
  const saw = findSawtooth(ctx.a.window, ctx.cfg.valueKind === 'bytes' ? ctx.a.noise : 0, ctx.cfg);
  if (!saw) return trend;
  const own = judgeSawtooth(ctx, saw);
  if (ctx.cfg.valueKind === 'bytes') return trend.shape === 'noisy' && own.verdict === 'bounded' ? own : trend;
  if (trend.verdict === 'bounded') return own.verdict === 'bounded' ? own : trend;
  return own;
}

/**
 *   leak     — the troughs rise: interval of their slope above the floor, still rising in the later
 *              half, by more than the sampling phase explains and by more than the absolute floor.
 *   bounded  — the troughs moved up by no more than the sampling phase explains, and the peaks
 *              did not rise steadily beyond it either.
 *   otherwise inconclusive, with a longer run (the phase error stays, the span grows).
 */
export function judgeSawtooth(ctx: Context, saw: Sawtooth): Judgement {
  const { a, cfg, w } = ctx;
  // Over the window for growth per unit; over the troughs' (peaks') own span for what the data showed.
  const floorRise = saw.floorFit.slope * a.span;
  const floorMoved = saw.floorFit.slope * (saw.floorFit.x1 - saw.floorFit.x0);
  const ceilingMoved = saw.ceilingFit.slope * (saw.ceilingFit.x1 - saw.ceilingFit.x0);
  const phaseDrift = PHASE_DRIFT_RESOLUTIONS * saw.resolution;
  const shape = { floor: saw.floor, ceiling: saw.ceiling, drops: saw.drops, floorPerUnit: saw.floorFit.slope };
  const teeth =
    `${cfg.label} saw-toothed between ${value(saw.floor, w)} and ${value(saw.ceiling, w)}: it dropped back ` +
    `${saw.drops} times over the ${units(a.span, w)} analysed (periodic trims)`;
  const base = { shape: 'sawtooth' as const, fit: saw.floorFit, sawtooth: shape };
  if (
    saw.floorFit.lower >= cfg.minSlopePerUnit &&
    laterTroughsRise(saw, cfg) &&
    floorMoved > phaseDrift &&
    floorRise >= cfg.minTotalGrowth
  ) {
    const first = saw.troughs[0] as SeriesPoint;
    const last = saw.troughs[saw.troughs.length - 1] as SeriesPoint;
    return {
      ...base,
      verdict: 'leak',
      reasons: [
        `${teeth}, but its troughs rose ${rateWithInterval(saw.floorFit, w)}: from ${value(first.y, w)} at about ` +
          `${units(first.x, w)} to ${value(last.y, w)} at about ${units(last.x, w)}, ${value(floorRise, w, true)} over the run.`,
        `The trims never bring it back to its floor: something survives every trim, growing ${rate(saw.floorFit.slope, w)} ` +
          `(above the floor of ${rate(cfg.minSlopePerUnit, w)}, and by more than the ${value(phaseDrift, w)} the sampling phase explains).`,
      ],
    };
  }
  // Peaks pick up upward scatter (a sample with garbage not yet collected), so only a steady rise counts.
  const peaksRise = ceilingMoved > phaseDrift && saw.ceilingFit.lower >= cfg.minSlopePerUnit;
  if (floorMoved <= phaseDrift && !peaksRise) {
    return {
      ...base,
      verdict: 'bounded',
      reasons: [
        `${teeth}, and its troughs did not rise: ${rateWithInterval(saw.floorFit, w)}, ${value(floorMoved, w, true)} from the first to the last, ` +
          `within what the sampling phase explains (a sampled trough sits up to ${value(saw.resolution, w)} above the true one; peaks ${rate(saw.ceilingFit.slope, w)}).`,
        `A floor rising slower than ${rate(phaseDrift / Math.max(a.span, Number.MIN_VALUE), w)} would not show at this sampling rate: ` +
          `sample more often or run longer to narrow that.`,
      ],
    };
  }
  const start = firstPoint(ctx).x;
  const end = lastPoint(ctx).x;
  const troughsMoved = floorMoved > phaseDrift;
  const what = troughsMoved
    ? `its troughs rose ${rateWithInterval(saw.floorFit, w)}`
    : `its peaks rose ${rateWithInterval(saw.ceilingFit, w)}`;
  return {
    ...base,
    verdict: 'inconclusive',
    reasons: [
      `${teeth}; ${what}, ${value(troughsMoved ? floorMoved : ceilingMoved, w, true)} from the first to the last: more than the ` +
        `sampling phase explains (${value(phaseDrift, w)}), but not enough or not steadily enough to call growth.`,
    ],
    suggestion: `run at least ${units(niceCeil(start + 2 * (end - start)), w)}: a floor that keeps rising is growth, one that settles is not.`,
  };
}

/** The troughs of the later half of the window still rise (a floor that rose once and settled is not growth). */
function laterTroughsRise(saw: Sawtooth, cfg: ResolvedOptions): boolean {
  const x0 = (saw.troughs[0] as SeriesPoint).x;
  const x1 = (saw.troughs[saw.troughs.length - 1] as SeriesPoint).x;
  const later = saw.troughs.filter((p) => p.x >= (x0 + x1) / 2);
  const fit = later.length >= 2 ? theilSen(later) : undefined;
  return fit === undefined || fit.slope >= cfg.minSlopePerUnit;
}
