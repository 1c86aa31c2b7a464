// Everything the decision rules look at, computed once over the post-warm-up window.
import type { SeriesPoint } from '../core/types.ts';
import type { ResolvedOptions } from './options.ts';
import { median, robustScale } from './stats.ts';
import { bestStep, type StepFit } from './step.ts';
import { theilSen, type SlopeFit } from './theil-sen.ts';

export interface Plateau {
  /** Index in the window where the flat final stretch starts. */
  index: number;
  x: number;
  /** Fit of the rising stretch before it and of the flat stretch itself. */
  rise: SlopeFit;
  flat: SlopeFit;
}

export interface StepFinding extends StepFit {
  /** The level after the jump was seen long enough and is flat. */
  confirmed: boolean;
  postPoints: number;
  /** Slope of the later level, when it could be fitted. */
  postFit?: SlopeFit;
}

export interface Analysis {
  window: SeriesPoint[];
  overall: SlopeFit;
  /** Earlier and later halves of the window (by point count), at `cfg.halvesZ`. */
  first: SlopeFit;
  second: SlopeFit;
  /** Thirds of the window, for the slowing-down test (more contrast than halves). */
  thirds?: [SlopeFit, SlopeFit, SlopeFit];
  span: number;
  /** overall.slope × span: growth over the analysed window. */
  growth: number;
  /**
   * Sample-to-sample scatter (σ-like), from successive differences, so it does not depend on the
   * series being a line: a step or a saturating curve is not mistaken for noise.
   */
  noise: number;
  /** Samples further than OUTLIER_SCALES × noise from the running median of their neighbours. */
  outliers: number;
  step?: StepFinding;
  plateau?: Plateau;
  /** Set when nearly all the rise came in one or two jumps (several one-offs look like a leak). */
  jumps?: Jump[];
}

export interface Jump {
  /** Work done at the first sample after the jump. */
  x: number;
  rise: number;
}

export const OUTLIER_SCALES = 6;

/** A fit at the interval quantile of the options (a sequential look widens it). */
function fitAt(points: readonly SeriesPoint[], cfg: ResolvedOptions): SlopeFit | undefined {
  return theilSen(points, { z: cfg.z });
}
/** Candidate starts of a flat final stretch (share of the window's points); the earliest that fits wins. */
const PLATEAU_STARTS = [0.25, 0.4, 0.5, 0.6] as const;

/** Undefined when the window has fewer than 4 points or either half has no spread in work. */
export function analyse(window: SeriesPoint[], cfg: ResolvedOptions): Analysis | undefined {
  const n = window.length;
  if (n < 4) return undefined;
  const overall = fitAt(window, cfg);
  const half = Math.floor(n / 2);
  const first = theilSen(window.slice(0, half), { z: cfg.halvesZ });
  const second = theilSen(window.slice(half), { z: cfg.halvesZ });
  if (overall === undefined || first === undefined || second === undefined) return undefined;
  const span = overall.x1 - overall.x0;
  const ys = window.map((p) => p.y);
  const noise = robustScale(ys.slice(1).map((y, i) => y - (ys[i] as number))) / Math.SQRT2;
  const outliers = noise > 0 ? ys.filter((y, i) => Math.abs(y - runningMedian(ys, i)) > OUTLIER_SCALES * noise).length : 0;
  const analysis: Analysis = {
    window,
    overall,
    first,
    second,
    span,
    growth: overall.slope * span,
    noise,
    outliers,
  };
  const t = [0, 1, 2].map((i) => fitAt(window.slice(Math.floor((i * n) / 3), Math.floor(((i + 1) * n) / 3)), cfg));
  if (t[0] && t[1] && t[2]) analysis.thirds = [t[0], t[1], t[2]];
  const step = findStep(analysis, cfg);
  if (step) analysis.step = step;
  const plateau = findPlateau(window, cfg);
  if (plateau) analysis.plateau = plateau;
  const jumps = findJumps(window, cfg);
  if (jumps) analysis.jumps = jumps;
  return analysis;
}

/** Share of the rise that one or two jumps must carry for growth to count as step-wise. */
const JUMP_SHARE = 0.8;

/**
 * fuite's test, turned around: a leak adds a multiple of the work done, so its rise is spread
 * over the run; one-off allocations arrive in a few jumps. Levels are medians of blocks of b
 * samples (robust to a couple of outliers per block); if the two largest non-overlapping
 * block-to-block shifts carry ≥ 80 % of the rise from the first block to the last, growth is
 * step-wise — provided the stretches between the jumps are flat (slope under the floor). A
 * steady rise puts only ~2b/(n-b) of itself in two shifts, so the test needs n ≥ 6b.
 */
function findJumps(window: SeriesPoint[], cfg: ResolvedOptions): Jump[] | undefined {
  const ys = window.map((p) => p.y);
  const n = ys.length;
  const b = Math.min(7, Math.max(3, Math.floor(n / 8)));
  if (n < 6 * b) return undefined;
  const total = median(ys.slice(n - b)) - median(ys.slice(0, b));
  if (!(total > 0)) return undefined;
  const shifts: Array<{ i: number; rise: number }> = [];
  for (let i = b; i <= n - b; i += 1) {
    shifts.push({ i, rise: median(ys.slice(i, i + b)) - median(ys.slice(i - b, i)) });
  }
  shifts.sort((p, q) => q.rise - p.rise || p.i - q.i);
  const top = shifts[0];
  if (!top || top.rise <= 0) return undefined;
  const second = shifts.find((sh) => Math.abs(sh.i - top.i) >= b && sh.rise > 0);
  const picked = second ? [top, second] : [top];
  const carried = picked.reduce((sum, sh) => sum + sh.rise, 0);
  if (carried < JUMP_SHARE * total) return undefined;
  picked.sort((p, q) => p.i - q.i);
  // The one-off explanation must also fit between the jumps: flat stretches, not a slope.
  const cuts = [0, ...picked.map((sh) => sh.i), n];
  for (let k = 0; k + 1 < cuts.length; k += 1) {
    const fit = fitAt(window.slice(cuts[k], cuts[k + 1]), cfg);
    if (fit && fit.n >= 4 && fit.slope >= cfg.minSlopePerUnit) return undefined;
  }
  return picked.map((sh) => ({ x: (window[sh.i] as SeriesPoint).x, rise: sh.rise }));
}

/** Median of the point and its two neighbours on each side (model-free local level). */
function runningMedian(ys: readonly number[], i: number): number {
  return median(ys.slice(Math.max(0, i - 2), i + 3));
}

/** Samples at a declared cap that show it holds (exact sizes at a cap need few). */
export function holdPoints(cfg: ResolvedOptions): number {
  return Math.max(4, Math.ceil(cfg.minPoints / 2));
}

/** Samples after a jump before it counts as one-off: as many as a verdict, and a quarter of the window. */
export function stepHoldPoints(cfg: ResolvedOptions, windowPoints: number): number {
  return Math.max(cfg.minPoints, Math.ceil(windowPoints / 4));
}

/**
 * An upward one-off level shift: big against the scatter and the absolute floor, abrupt
 * (the local level moves by most of the jump at once, unlike a saturating curve), a much better
 * fit than a line, and not preceded by growth. `confirmed` when the later level is long and flat.
 */
function findStep(a: Analysis, cfg: ResolvedOptions): StepFinding | undefined {
  const fit = bestStep(a.window);
  if (!fit || fit.jump <= 0) return undefined;
  // Both models' absolute residuals are capped at the jump, so wild outliers (which neither
  // model explains) weigh the same on both sides of the comparison.
  const cap = (r: number) => Math.min(Math.abs(r), fit.jump);
  const lineCost = a.window.reduce((s, p) => s + cap(p.y - (a.overall.intercept + a.overall.slope * p.x)), 0);
  const stepCost = a.window.reduce((s, p, i) => s + cap(p.y - (i < fit.index ? fit.before : fit.after)), 0);
  const big = fit.jump >= Math.max(cfg.minTotalGrowth, 5 * fit.scale);
  const abrupt = fit.localRise >= 0.6 * fit.jump;
  const betterThanLine = stepCost <= 0.5 * lineCost;
  if (!big || !abrupt || !betterThanLine) return undefined;
  const pre = a.window.slice(0, fit.index);
  const preFit = pre.length >= 3 ? fitAt(pre, cfg) : undefined;
  if (preFit && preFit.lower >= cfg.minSlopePerUnit) return undefined; // growth before the jump: not a one-off
  const post = a.window.slice(fit.index);
  const postFit = fitAt(post, cfg);
  // The later level must be long (a quarter of the window at least), not a few samples at the end.
  const longEnough = post.length >= stepHoldPoints(cfg, a.window.length);
  const confirmed = longEnough && postFit !== undefined && postFit.upper < cfg.minSlopePerUnit;
  const finding: StepFinding = { ...fit, confirmed, postPoints: post.length };
  if (postFit) finding.postFit = postFit;
  return finding;
}

/** The longest final stretch (≥ 40 % of points and ≥ minPoints) that is flat after a real rise. */
function findPlateau(window: SeriesPoint[], cfg: ResolvedOptions): Plateau | undefined {
  const n = window.length;
  for (const share of PLATEAU_STARTS) {
    const index = Math.round(n * share);
    // A statistical plateau (no cap to lean on) needs as many points as any verdict.
    if (n - index < cfg.minPoints || index < 3) continue;
    const flat = fitAt(window.slice(index), cfg);
    const rise = fitAt(window.slice(0, index + 1), cfg);
    if (!flat || !rise) continue;
    // The rise must itself be real growth (above both floors), or noise would make plateaus.
    const risen = rise.slope * (rise.x1 - rise.x0);
    if (flat.upper < cfg.minSlopePerUnit && rise.lower > 0 && rise.slope >= cfg.minSlopePerUnit && risen >= cfg.minTotalGrowth) {
      return { index, x: (window[index] as SeriesPoint).x, rise, flat };
    }
  }
  return undefined;
}
