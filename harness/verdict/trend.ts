// Decision rules for a series without a declared cap (and the base for one with a cap).
//
// Three-valued like Chromium Pinpoint: `leak` and `bounded` each need positive evidence;
// everything else is `inconclusive` with the run that would settle it.
//   bounded  — a confirmed one-off step; or the whole 95 % slope interval below the floor;
//              or a rise followed by a flat final stretch (next-leak's "saturating").
//   leak     — interval entirely above the floor, growth confidently positive in BOTH halves
//              (each half's one-sided bound at the same error; leakage's "consecutive growth":
//              a step or a filled cache rises in one half only),
//              not clearly slowing down, spread over the run rather than in one or two jumps
//              (fuite: leaked memory is a multiple of the work done), and more total growth
//              than GC noise can fake.
import { clamp } from './stats.ts';
import { niceCeil, rate, rateWithInterval, samples, units, value } from './describe.ts';
import { stepHoldPoints } from './analyse.ts';
import { firstPoint, lastPoint, type Context, type Judgement } from './judgement.ts';
import { typicalSpacing } from './window.ts';

/** Last-third slope below this share of the first third's (and significantly so) = slowing down. */
export const DECELERATION_RATIO = 0.6;

export function judgeTrend(ctx: Context): Judgement {
  const { a, cfg } = ctx;
  const floor = cfg.minSlopePerUnit;
  if (a.step?.confirmed) return boundedStep(ctx);
  // A robust slope shrugs off a jump in the last few samples; that jump may be a leak starting.
  if (a.overall.upper < floor) return a.step ? jumpNotYetConfirmed(ctx) : boundedFlat(ctx);
  if (a.plateau) return boundedSaturating(ctx);

  const rising = a.overall.lower >= floor;
  const bothHalves = a.first.lower > 0 && a.second.lower > 0;
  const slowing = isSlowing(ctx);
  if (rising && bothHalves && !slowing) {
    if (a.jumps) return stepWise(ctx);
    return a.growth >= cfg.minTotalGrowth ? leak(ctx) : tooLittleGrowth(ctx);
  }
  if (slowing && a.second.lower > 0) return stillRisingButSlowing(ctx);
  if (a.step && !a.step.confirmed) return jumpNotYetConfirmed(ctx);
  if (a.jumps && a.overall.slope >= floor) return stepWise(ctx);
  if (a.second.lower > 0 && a.second.slope >= floor && !(a.first.lower > 0)) return lateGrowth(ctx);
  return noisy(ctx);
}

/**
 * Slowing down: the rate falls from third to third, the last third is under DECELERATION_RATIO
 * of the first, and their intervals do not overlap. Demanding a monotone fall across three
 * stretches keeps count leaks that arrive at random (a random walk about the trend) from
 * looking like a cache that is filling up.
 */
export function isSlowing(ctx: Context): boolean {
  const t = ctx.a.thirds;
  if (!t) return false;
  const [t1, t2, t3] = t;
  return t1.slope > 0 && t2.slope < t1.slope && t3.slope < t2.slope && t3.slope < DECELERATION_RATIO * t1.slope && t3.upper < t1.lower;
}

function boundedFlat(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  return {
    verdict: 'bounded',
    shape: 'flat',
    reasons: [
      `${cfg.label} changed by ${rateWithInterval(a.overall, w)} over the ${units(a.span, w)} analysed ` +
        `(${samples(a.window.length)} after ${samples(ctx.prepared.discarded)} of warm-up); ` +
        `even the top of the interval is below the floor of ${rate(cfg.minSlopePerUnit, w)}.`,
    ],
  };
}

function boundedStep(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const step = a.step!;
  const after = step.postFit ? ` (${rateWithInterval(step.postFit, w)} after it)` : '';
  return {
    verdict: 'bounded',
    shape: 'step',
    reasons: [
      `${cfg.label} rose once by ${value(step.jump, w, true)} at about ${units(step.x, w)} ` +
        `(from ${value(step.before, w)} to ${value(step.after, w)}) and then stayed flat for ` +
        `${samples(step.postPoints)}${after}: a one-off allocation kept for good, not growth per ${cfg.unit}.`,
    ],
  };
}

function boundedSaturating(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const p = a.plateau!;
  const end = a.overall.x1;
  return {
    verdict: 'bounded',
    shape: 'saturating',
    reasons: [
      `${cfg.label} grew ${rate(p.rise.slope, w)} until about ${units(p.x, w)}, then held flat for the final ` +
        `${units(end - p.x, w)} (${samples(a.window.length - p.index)}, ${rateWithInterval(p.flat, w)}), ` +
        `below the floor of ${rate(cfg.minSlopePerUnit, w)}: it levelled off.`,
    ],
  };
}

function leak(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const reasons = [
    `${cfg.label} grew ${rateWithInterval(a.overall, w)} in both halves of the run ` +
      `(earlier ${rate(a.first.slope, w)}, later ${rate(a.second.slope, w)}).`,
    `That is ${value(a.growth, w, true)} over the ${units(a.span, w)} analysed ` +
      `(${samples(a.window.length)} after ${samples(ctx.prepared.discarded)} of warm-up), above the floors of ` +
      `${rate(cfg.minSlopePerUnit, w)} and ${value(cfg.minTotalGrowth, w)} in total.`,
  ];
  if (a.second.slope > 1.5 * a.first.slope && a.second.lower > a.first.upper) {
    reasons.push(`Growth is accelerating: the cost per ${cfg.unit} grows with history.`);
  }
  return { verdict: 'leak', shape: 'linear', reasons };
}

function tooLittleGrowth(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  // Units needed so the window (the post-warm-up share) shows twice the absolute floor.
  const span = (2 * cfg.minTotalGrowth) / a.overall.slope;
  const total = firstPoint(ctx).x + span / (1 - cfg.warmupFraction);
  return {
    verdict: 'inconclusive',
    shape: 'linear',
    reasons: [
      `${cfg.label} grew ${rateWithInterval(a.overall, w)} in both halves, but only ${value(a.growth, w, true)} ` +
        `over the ${units(a.span, w)} analysed, under the ${value(cfg.minTotalGrowth, w)} it must pass to stand out from GC noise.`,
    ],
    suggestion: `run at least ${units(niceCeil(total), w)} so the growth, if real, passes ${value(2 * cfg.minTotalGrowth, w)}.`,
  };
}

function stillRisingButSlowing(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const halfSpan = a.second.x1 - a.second.x0;
  const ratio = a.second.slope / a.first.slope;
  // If the rate keeps shrinking by `ratio` per half-window, it drops below the floor after k more
  // half-windows; add two more for a flat stretch to be seen. Capped at 10× this run.
  const k = ratio > 0 && ratio < 1 ? Math.max(0, Math.log(cfg.minSlopePerUnit / a.second.slope) / Math.log(ratio)) : 2;
  const start = firstPoint(ctx).x;
  const end = lastPoint(ctx).x;
  const total = Math.min(end + (k + 2) * halfSpan, start + 10 * (end - start));
  return {
    verdict: 'inconclusive',
    shape: 'still-filling',
    reasons: [
      `${cfg.label} is still rising at the end (later half ${rateWithInterval(a.second, ctx.halvesW)}) but slower than before ` +
        `(earlier half ${rate(a.first.slope, w)}): it may level off or keep growing.`,
    ],
    suggestion: `run at least ${units(niceCeil(total), w)} to see whether it levels off (if it keeps slowing at this pace, its growth falls under ${rate(cfg.minSlopePerUnit, w)} by then).`,
  };
}

function jumpNotYetConfirmed(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const step = a.step!;
  const end = lastPoint(ctx).x;
  const spacing = typicalSpacing(a.window) ?? 0;
  const more = Math.max((stepHoldPoints(cfg, a.window.length) - step.postPoints) * spacing, end - step.x, spacing);
  return {
    verdict: 'inconclusive',
    shape: 'step',
    reasons: [
      `${cfg.label} jumped by ${value(step.jump, w, true)} at about ${units(step.x, w)} after being flat; ` +
        `the ${samples(step.postPoints)} after the jump are too few to tell a one-off allocation from the start of growth.`,
    ],
    suggestion: `run at least ${units(niceCeil(end + more), w)} so the level after the jump is seen for longer.`,
  };
}

function stepWise(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const jumps = a.jumps!;
  const list = jumps.map((j) => `${value(j.rise, w, true)} at about ${units(j.x, w)}`).join(' and ');
  const start = firstPoint(ctx).x;
  const end = lastPoint(ctx).x;
  return {
    verdict: 'inconclusive',
    shape: 'step',
    reasons: [
      `${cfg.label} rose ${rateWithInterval(a.overall, w)}, but almost all of it came in ${jumps.length === 1 ? 'one jump' : 'two jumps'} ` +
        `(${list}) rather than with the work done: one-off allocations and a leak in large chunks look alike over this run.`,
    ],
    suggestion: `run at least ${units(niceCeil(start + 2 * (end - start)), w)}: a leak keeps adding jumps, one-off allocations do not.`,
  };
}

function lateGrowth(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const start = firstPoint(ctx).x;
  const end = lastPoint(ctx).x;
  return {
    verdict: 'inconclusive',
    shape: 'linear',
    reasons: [
      `${cfg.label} grew only in the later half of the run (${rateWithInterval(a.second, ctx.halvesW)}; earlier half ` +
        `${rateWithInterval(a.first, ctx.halvesW)}): growth must show in both halves before it is called a leak.`,
    ],
    suggestion: `run at least ${units(niceCeil(start + 2 * (end - start)), w)} to see whether the growth persists.`,
  };
}

function noisy(ctx: Context): Judgement {
  const { a, cfg, w } = ctx;
  const floor = cfg.minSlopePerUnit;
  const o = a.overall;
  const start = firstPoint(ctx).x;
  const end = lastPoint(ctx).x;
  if (o.lower >= floor) {
    // Halves that disagree are settled by a longer run, not a narrower interval: double it.
    return {
      verdict: 'inconclusive',
      shape: 'noisy',
      reasons: [
        `${cfg.label} grew ${rateWithInterval(o, w)} overall, but not confidently in both halves of the run ` +
          `(earlier ${rateWithInterval(a.first, ctx.halvesW)}, later ${rateWithInterval(a.second, ctx.halvesW)}): growth must persist to be called a leak.`,
      ],
      suggestion: `run at least ${units(niceCeil(start + 2 * (end - start)), w)} to see whether the growth persists.`,
    };
  }
  // At a fixed sampling rate the interval narrows like span^-1.5 (more points AND more leverage),
  // so the run must grow by (needed narrowing)^(2/3). Pinpoint's "collect more when unsure".
  const halfWidth = Math.max(o.upper - o.slope, o.slope - o.lower);
  const margin = Math.abs(o.slope - floor);
  const factor = margin > 0 ? clamp(((1.25 * halfWidth) / margin) ** (2 / 3), 1.5, 4) : 4;
  return {
    verdict: 'inconclusive',
    shape: 'noisy',
    reasons: [
      `${cfg.label} changed by ${rateWithInterval(o, w)}: the interval ` +
        `${o.varianceInflation > 1 ? '(widened because neighbouring samples scatter together) ' : ''}` +
        `straddles the floor of ${rate(floor, w)}, so this run cannot tell growth from noise ` +
        `(samples scatter by ±${value(a.noise, w)}).`,
    ],
    suggestion:
      `run at least ${units(niceCeil(start + factor * (end - start)), w)} (about ${factor.toFixed(1)}× this run at the same ` +
      `sampling rate) so the ${w.level ?? '95 %'} interval is narrow enough to clear the floor.`,
  };
}
