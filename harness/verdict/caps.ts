// Rules for a series with a declared cap ("this cache holds at most 2000 entries").
//
// A cache that is still filling rises exactly like a leak. With a declared cap the question
// changes from "does it grow?" to "does it stop at the cap?", which only a run past the cap can
// answer: below the cap the verdict is bounded only if it already levelled off on its own,
// otherwise inconclusive with the run that would pass the cap; never leak until the cap is passed.
import type { SeriesPoint } from '../core/types.ts';
import { holdPoints, type Analysis } from './analyse.ts';
import { niceCeil, rate, rateWithInterval, samples, units, value } from './describe.ts';
import { firstPoint, lastPoint, type Context, type Judgement } from './judgement.ts';
import { typicalSpacing } from './window.ts';

/** Within this share of the cap counts as "at the cap" (LRU caches sit exactly on it). */
export const CAP_REACHED_TOLERANCE = 0.01;
/** After reaching the cap, the plateau must last this share of the fill time. */
export const CAP_HOLD_SHARE = 0.5;

export function applyCap(ctx: Context, trend: Judgement, cap: number): Judgement {
  const { a, cfg, w } = ctx;
  const all = ctx.prepared.all;
  const firstOver = all.findIndex((p) => p.y > cap);
  if (firstOver >= 0) {
    const over = all[firstOver] as SeriesPoint;
    const last = lastPoint(ctx);
    const keepsGrowing = last.y > cap && a.overall.lower > 0 && a.second.lower > 0 && a.overall.slope >= cfg.minSlopePerUnit;
    if (keepsGrowing) {
      return {
        verdict: 'leak',
        shape: 'linear',
        reasons: [
          `${cfg.label} passed the declared cap of ${value(cap, w)} at about ${units(over.x, w)} ` +
            `(${value(over.y, w)}) and kept growing: ${rateWithInterval(a.overall, w)}, later half ${rate(a.second.slope, w)}.`,
          `The last sample holds ${value(last.y, w)}, ${value(last.y - cap, w, true)} over the cap.`,
        ],
      };
    }
    return trend; // passed but not growing: the caller adds a warning about the cap
  }

  // Trimmed back again and again without passing the cap: the teeth already show the bound.
  if (trend.shape === 'sawtooth' && trend.verdict === 'bounded') {
    return {
      ...trend,
      reasons: [...trend.reasons, `It stayed at or below the declared cap of ${value(cap, w)} (max ${value(maxY(a), w)}).`],
    };
  }
  const tolerance = Math.abs(cap) * CAP_REACHED_TOLERANCE;
  const reachIndex = a.window.findIndex((p) => p.y >= cap - tolerance);
  if (reachIndex >= 0) return atCap(ctx, cap, reachIndex);
  if (trend.verdict === 'bounded') {
    return { ...trend, reasons: [...trend.reasons, `It stayed below the declared cap of ${value(cap, w)} (max ${value(maxY(a), w)}).`] };
  }
  const rising = currentRate(a);
  if (rising === undefined) {
    const below = `It stayed below the declared cap of ${value(cap, w)} (max ${value(maxY(a), w)}).`;
    if (trend.verdict !== 'leak') return { ...trend, reasons: [...trend.reasons, below] };
    // Only reachable with a zero floor; a declared cap that was never passed is never a leak.
    const start = firstPoint(ctx).x;
    return {
      verdict: 'inconclusive',
      shape: 'still-filling',
      reasons: [...trend.reasons, below],
      suggestion: `run at least ${units(niceCeil(start + 2 * (lastPoint(ctx).x - start)), w)} so the declared cap of ${value(cap, w)} is passed.`,
    };
  }
  const last = lastPoint(ctx);
  const reachX = last.x + (cap - last.y) / rising;
  return {
    verdict: 'inconclusive',
    shape: 'still-filling',
    reasons: [
      `${cfg.label} is still filling: ${rateWithInterval(a.overall, w)}, and at ${value(last.y, w)} it has not ` +
        `reached the declared cap of ${value(cap, w)}, so a cache filling up cannot yet be told from a leak.`,
      `At the recent rate of ${rate(rising, w)} it reaches the cap at about ${units(reachX, w)}.`,
    ],
    suggestion: `run at least ${units(runPastCap(ctx, reachX), w)} so the declared cap of ${value(cap, w)} is passed and the plateau is seen.`,
  };
}

/** Reached the cap without passing it: bounded once the plateau has held long enough. */
function atCap(ctx: Context, cap: number, reachIndex: number): Judgement {
  const { a, cfg, w } = ctx;
  const reach = a.window[reachIndex] as SeriesPoint;
  const end = lastPoint(ctx).x;
  const held = a.window.length - reachIndex;
  const fill = reach.x - firstPoint(ctx).x;
  if (held >= holdPoints(cfg) && end - reach.x >= CAP_HOLD_SHARE * fill) {
    return {
      verdict: 'bounded',
      shape: 'saturating',
      reasons: [
        `${cfg.label} reached the declared cap of ${value(cap, w)} at about ${units(reach.x, w)} and stayed at or ` +
          `below it for the remaining ${units(end - reach.x, w)} (${samples(held)}; max ${value(maxY(a), w)}).`,
      ],
    };
  }
  return {
    verdict: 'inconclusive',
    shape: 'still-filling',
    reasons: [
      `${cfg.label} reached the declared cap of ${value(cap, w)} at about ${units(reach.x, w)}, but only ` +
        `${samples(held)} (${units(end - reach.x, w)}) were taken since: too short to show it stays there.`,
    ],
    suggestion: `run at least ${units(runPastCap(ctx, reach.x), w)} so the declared cap of ${value(cap, w)} is passed and the plateau is seen.`,
  };
}

/** Total work for a run that reaches the cap at `reachX` and then holds it long enough. */
function runPastCap(ctx: Context, reachX: number): number {
  const start = firstPoint(ctx).x;
  const spacing = typicalSpacing(ctx.prepared.all) ?? 0;
  const byShare = start + (1 + CAP_HOLD_SHARE) * (reachX - start);
  const byPoints = reachX + holdPoints(ctx.cfg) * spacing;
  return niceCeil(Math.max(byShare, byPoints, lastPoint(ctx).x + spacing));
}

/** The most recent clearly positive growth rate, preferring the later half. */
function currentRate(a: Analysis): number | undefined {
  if (a.second.slope > 0 && a.second.lower > 0) return a.second.slope;
  if (a.overall.slope > 0 && a.overall.lower > 0) return a.overall.slope;
  return undefined;
}

function maxY(a: Analysis): number {
  return a.window.reduce((m, p) => Math.max(m, p.y), Number.NEGATIVE_INFINITY);
}
