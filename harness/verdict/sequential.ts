// Sequential runs: the verdict is judged at planned looks as samples arrive, and the run stops at
// the first look where it is decided. Each look spends part of one error budget (alpha spending,
// Lan & DeMets 1983) and judges with intervals at that part, so that looking many times does not
// raise the false-alarm rate. Pure: no I/O, no clock.
//
// Why a union bound over the looks rather than exact group-sequential boundaries: the engine's
// rules (Theil–Sen intervals over both halves, shapes, caps) are not a Brownian-motion z statistic,
// so the classical boundaries do not apply to them; the sum of the per-look errors bounds the
// chance that ANY look errs, whatever the correlation between looks.
import type { MetricVerdict, SeriesPoint } from '../core/types.ts';
import { CAP_REACHED_TOLERANCE } from './caps.ts';
import { classifyGrowth } from './growth.ts';
import type { GrowthOptions } from './options.ts';
import { normalCdf, zForTwoSidedAlpha } from './stats.ts';

/**
 * How the error budget is spread over the looks, as a function of the information fraction t
 * (work at the look / maximum work):
 *  - 'pocock': α·ln(1 + (e−1)·t), spends evenly; early looks decide sooner.
 *  - 'obrien-fleming': 2 − 2Φ(z_{α/2}/√t), spends almost nothing early, most at the end.
 *  - 'bonferroni': α/K at each of the K planned looks.
 */
export type SpendingFunction = 'pocock' | 'obrien-fleming' | 'bonferroni';

export interface Look {
  /** Work done in the judged phase when this look is taken. */
  work: number;
  /** Two-sided error spent at this look. */
  alpha: number;
  /** Normal quantile of the look's intervals. */
  z: number;
}

export interface SequentialDesign {
  /** The scenario's nominal size: what a fixed run does. */
  nominal: number;
  /** Never run past this much work. */
  max: number;
  /** First look (enough samples for a verdict). */
  first: number;
  /** Looks fall on multiples of this (the sampling interval). */
  step: number;
  /** Each look after the first at about this factor times the previous one. */
  growth: number;
  /** Total error budget over all looks (two-sided, as the engine's 95 % intervals). */
  alpha: number;
  spending: SpendingFunction;
}

/**
 * Cumulative error spent by look `index` (0-based) of `count`, at information fraction t in [0, 1].
 */
export function spentAlpha(kind: SpendingFunction, alpha: number, t: number, index: number, count: number): number {
  const f = Math.min(1, Math.max(0, t));
  switch (kind) {
    case 'pocock':
      return alpha * Math.log(1 + (Math.E - 1) * f);
    case 'obrien-fleming':
      return f === 0 ? 0 : Math.min(alpha, 2 - 2 * normalCdf(zForTwoSidedAlpha(alpha) / Math.sqrt(f)));
    case 'bonferroni':
      return (alpha * (index + 1)) / count;
  }
}

/**
 * Work at each look: geometric from `first` on multiples of `step`, with the nominal size and the
 * maximum always among them; a geometric look just short of one of those two is dropped, since
 * it would spend error on nearly the same evidence.
 */
export function lookPoints(d: Pick<SequentialDesign, 'nominal' | 'max' | 'first' | 'step' | 'growth'>): number[] {
  if (!(d.growth > 1)) throw new RangeError(`sequential look growth must be > 1, got ${d.growth}`);
  const onStep = (x: number) => Math.max(d.step, Math.ceil(x / d.step - 1e-9) * d.step);
  const max = onStep(d.max);
  const anchors = [...new Set([Math.min(onStep(d.nominal), max), max])];
  const first = Math.min(onStep(d.first), max);
  const points = [first];
  for (let x = onStep(Math.max(first + d.step, first * d.growth)); x < max; x = onStep(Math.max(x + d.step, x * d.growth))) {
    const nextAnchor = anchors.find((a) => a >= x);
    if (nextAnchor !== undefined && nextAnchor !== x && nextAnchor < x * Math.sqrt(d.growth)) continue;
    points.push(x);
  }
  return [...new Set([...points, ...anchors.filter((a) => a >= first)])].sort((a, b) => a - b);
}

/** The planned looks with the error each one spends; the errors sum to at most `alpha`. */
export function planLooks(d: SequentialDesign): Look[] {
  if (!(d.alpha > 0 && d.alpha < 1)) throw new RangeError(`sequential alpha must be in (0, 1), got ${d.alpha}`);
  if (!(d.max >= d.nominal && d.nominal > 0))
    throw new RangeError(`sequential maximum (${d.max}) must be at least the nominal size (${d.nominal}) > 0`);
  const works = lookPoints(d);
  const max = works[works.length - 1] as number;
  let spent = 0;
  return works.map((work, i) => {
    const cumulative = i === works.length - 1 ? d.alpha : spentAlpha(d.spending, d.alpha, work / max, i, works.length);
    // Rounding in a spending function must never hand a look nothing (or a negative share).
    const alpha = Math.max(cumulative - spent, d.alpha * 1e-6);
    spent += alpha;
    return { work, alpha, z: zForTwoSidedAlpha(alpha) };
  });
}

/** Why a verdict settles the question at a look, or why not. */
export type LookDecision = { decided: true; because: string } | { decided: false; because: string };

/**
 * Whether one metric's verdict at a look is final. A leak is (growth confirmed in both halves at
 * the look's error); so is a flat interval below the floor, and a declared cap reached and held.
 * Shapes that a longer run could still overturn (a one-off step, a plateau below the cap or with
 * none declared) settle the question only from the nominal size on, where a fixed run stops.
 */
export function metricDecision(v: MetricVerdict, atOrPastNominal: boolean, cap?: number): LookDecision {
  if (v.verdict === 'leak') return { decided: true, because: 'leak' };
  if (v.verdict === 'inconclusive') return { decided: false, because: 'inconclusive' };
  const capHeld = cap !== undefined && v.maxValue >= cap - Math.abs(cap) * CAP_REACHED_TOLERANCE;
  if (v.shape === 'flat') {
    // Flat says something only over a window where a leak at the floor would have stood out:
    // a count leak of 1 entry per 100 units looks flat over its first few hundred units.
    if (atOrPastNominal || showsFloorLeak(v)) return { decided: true, because: 'bounded, flat' };
    return { decided: false, because: 'bounded, flat, over too short a window to show a leak at the floor' };
  }
  if (v.shape === 'saturating' && capHeld) return { decided: true, because: 'bounded at its declared cap' };
  return atOrPastNominal
    ? { decided: true, because: `bounded, ${v.shape}` }
    : { decided: false, because: `bounded, ${v.shape}, before the nominal size` };
}

/** The window is long enough that growth at the slope floor would add the total floor. */
function showsFloorLeak(v: MetricVerdict): boolean {
  if (v.span === undefined || v.floors === undefined) return false;
  return v.span * v.floors.minSlopePerUnit >= v.floors.minTotalGrowth;
}

export interface SequentialMetricResult {
  verdict: MetricVerdict;
  /** The look that decided, or the last one taken. */
  look: Look;
  decided: boolean;
  looksTaken: number;
}

/**
 * One metric judged sequentially over a series recorded up to the design's maximum (the
 * simulation the seeded suites use; runs judge expectations the same way look by look).
 * `offset` is the work at which the judged phase starts (x of the series counts from 0).
 */
export function classifySequentially(
  points: readonly SeriesPoint[],
  opts: GrowthOptions,
  design: SequentialDesign,
  offset = 0,
): SequentialMetricResult {
  const looks = planLooks(design);
  let last: SequentialMetricResult | undefined;
  for (const [i, look] of looks.entries()) {
    const seen = points.filter((p) => p.x - offset <= look.work);
    const verdict = classifyGrowth(seen, { ...opts, alpha: look.alpha });
    const decision = metricDecision(verdict, look.work >= design.nominal, opts.cap);
    last = { verdict, look, decided: decision.decided, looksTaken: i + 1 };
    if (decision.decided) return last;
  }
  return last as SequentialMetricResult;
}
