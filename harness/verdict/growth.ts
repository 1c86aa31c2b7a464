// classifyGrowth: one metric against work done -> bounded | leak | inconclusive, with reasons.
// Statistics and rules are explained in docs/statistics.md.
import type { MetricVerdict, SeriesPoint } from '../core/types.ts';
import { analyse, OUTLIER_SCALES, type Analysis } from './analyse.ts';
import { applyCap } from './caps.ts';
import { confidenceLevel, niceCeil, rate, samples, someOf, units, value, type Wording } from './describe.ts';
import type { Context, Judgement } from './judgement.ts';
import { resolveOptions, type GrowthOptions, type ResolvedOptions } from './options.ts';
import { theilSen } from './theil-sen.ts';
import { judgeTrend } from './trend.ts';
import { judgePeriodicTrims } from './sawtooth.ts';
import { pointsNeeded, prepareSeries, typicalSpacing, type PreparedSeries } from './window.ts';

export type { GrowthOptions } from './options.ts';

/** Residual lag-1 correlation above which Sen's interval (independent scatter) may be too narrow. */
const CORRELATED_SCATTER = 0.5;

export function classifyGrowth(points: readonly SeriesPoint[], opts: GrowthOptions): MetricVerdict {
  const cfg = resolveOptions(opts);
  const w: Wording = { kind: cfg.valueKind, unit: cfg.unit, level: confidenceLevel(cfg.alpha) };
  const prepared = prepareSeries(points, cfg.warmupFraction);
  const { all, window } = prepared;
  const warnings: string[] = [];
  if (prepared.invalid > 0)
    warnings.push(`${samples(prepared.invalid)} with a non-finite value or work count ${prepared.invalid === 1 ? 'was' : 'were'} ignored.`);

  const base = {
    metric: cfg.metric,
    label: cfg.label,
    unit: cfg.unit,
    valueKind: cfg.valueKind,
    pointsUsed: window.length,
    pointsDiscarded: prepared.discarded,
    lastValue: all.length > 0 ? (all[all.length - 1] as SeriesPoint).y : 0,
    floors: { minSlopePerUnit: cfg.minSlopePerUnit, minTotalGrowth: cfg.minTotalGrowth },
    maxValue: all.reduce((m, p) => Math.max(m, p.y), all.length > 0 ? Number.NEGATIVE_INFINITY : 0),
  };

  const a = window.length >= cfg.minPoints ? analyse(window, cfg) : undefined;
  if (!a) {
    const fit = theilSen(window, { z: cfg.z }) ?? theilSen(all, { z: cfg.z });
    const slope = fit?.slope ?? 0;
    return {
      ...base,
      slopePerUnit: slope,
      slopeInterval: fit ? [fit.lower, fit.upper] : [0, 0],
      warnings,
      ...tooFewPoints(prepared, cfg, w),
      shape: Math.abs(slope) < cfg.minSlopePerUnit ? 'flat' : 'linear',
    };
  }

  const ctx: Context = { a, cfg, w, halvesW: { ...w, level: confidenceLevel(cfg.halvesAlpha) }, prepared };
  const trend = judgePeriodicTrims(ctx, judgeTrend(ctx));
  const judged = cfg.cap === undefined ? trend : applyCap(ctx, trend, cfg.cap);
  warnings.push(...confidenceWarnings(ctx, judged));
  const result: MetricVerdict = {
    ...base,
    verdict: judged.verdict,
    shape: judged.shape,
    slopePerUnit: (judged.fit ?? a.overall).slope,
    slopeInterval: [(judged.fit ?? a.overall).lower, (judged.fit ?? a.overall).upper],
    span: a.span,
    reasons: judged.reasons,
    warnings,
  };
  if (judged.suggestion) result.suggestion = judged.suggestion;
  if (judged.sawtooth) result.sawtooth = judged.sawtooth;
  return result;
}

function tooFewPoints(prepared: PreparedSeries, cfg: ResolvedOptions, w: Wording): Judgement {
  const { all, window } = prepared;
  const needed = pointsNeeded(cfg.minPoints, cfg.warmupFraction);
  const spacing = typicalSpacing(all);
  const reasons = [
    window.length < cfg.minPoints
      ? `Only ${samples(window.length)} remain after discarding ${samples(prepared.discarded)} of warm-up; ` +
        `a verdict needs at least ${cfg.minPoints}.`
      : new Set(window.map((p) => p.x)).size < 2
        ? `The ${cfg.unit} count never changed across the ${samples(window.length)}, so growth per ${cfg.unit} cannot be measured.`
        : `The ${cfg.unit} count changed too rarely across the ${samples(window.length)} to compare the earlier and later halves of the run.`,
  ];
  const start = all[0]?.x ?? 0;
  const suggestion =
    spacing !== undefined
      ? `take at least ${needed} samples: run at least ${units(niceCeil(start + (needed - 1) * spacing), w)} ` +
        `at the current spacing of ${units(spacing, w)} per sample, or sample more often.`
      : `take at least ${needed} samples at different amounts of work (${cfg.unit} counts).`;
  return { verdict: 'inconclusive', shape: 'flat', reasons, suggestion };
}

/** Things that weaken trust without changing the verdict (next-leak's confidence warnings). */
function confidenceWarnings(ctx: Context, judged: Judgement): string[] {
  const { a, cfg, w } = ctx;
  const out: string[] = [];
  const cap = cfg.cap;
  if (cap !== undefined) {
    const over = ctx.prepared.all.find((p) => p.y > cap);
    if (over && judged.verdict !== 'leak') {
      out.push(
        `It passed the declared cap of ${value(cap, w)} (${value(over.y, w)} at about ${units(over.x, w)}) without growing on: check the declared cap.`,
      );
    }
  }
  if (a.noise >= cfg.minTotalGrowth && a.noise > 0) {
    out.push(`Noisy: samples scatter by ±${value(a.noise, w)}, at or above the ${value(cfg.minTotalGrowth, w)} floor of total growth.`);
  }
  // Exact counts (entries, handles, calls) have no measurement scatter: a sample off the line is
  // real data (a batch with more clean ends), not a glitch worth a warning.
  if (a.outliers > 0 && cfg.valueKind === 'bytes') {
    out.push(
      `${someOf(a.outliers, a.window.length, 'lies', 'lie')} more than ${OUTLIER_SCALES}× the typical scatter away from their ` +
        `neighbours; the robust slope gives them little weight.`,
    );
  }
  if (judged.verdict === 'leak' && a.overall.varianceInflation > 1 && correlatedScatter(a, cfg)) {
    out.push(
      `Neighbouring samples scatter together about the trend (lag-1 correlation ${a.overall.lag1.toFixed(2)}); ` +
        `the interval was widened for it, but treat it as approximate.`,
    );
  }
  if (judged.verdict !== 'inconclusive' && a.window.length < 2 * cfg.minPoints) {
    out.push(`Only ${samples(a.window.length)} after warm-up: a run with twice as many would tighten the figures.`);
  }
  if (judged.verdict === 'leak' && a.overall.lower < cfg.minSlopePerUnit * 1.5) {
    out.push(`The lower end of the interval is close to the floor of ${rate(cfg.minSlopePerUnit, w)}.`);
  }
  return out;
}

/** Exact counts on a staircase have deterministic, correlated residuals under one unit: not worth a warning. */
function correlatedScatter(a: Analysis, cfg: ResolvedOptions): boolean {
  if (a.overall.lag1 <= CORRELATED_SCATTER) return false;
  return cfg.valueKind === 'bytes' || a.noise > 1;
}
