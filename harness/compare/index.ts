// Three-valued comparison of two sets of runs (baseline vs current) that holds on noisy machines:
// 'regressed' | 'improved' | 'unchanged', or an honest 'inconclusive' that says how many more
// runs to collect (after Chromium Pinpoint). Used by the CI speed gate (current run vs a stored
// baseline) and by `npm run compare` (one scenario against a plugin at two git refs).
//
// Pure: no I/O, no clock, no Math.random. The decision rules are explained in docs/comparison.md.
import { COMPARE_DEFAULTS } from '../core/defaults.ts';
import { mulberry32 } from '../core/random.ts';
import { hodgesLehmann, mannWhitney, minRunsForAlpha, normalQuantile, type ShiftEstimate } from './rank.ts';

export type Direction = 'lower-is-better' | 'higher-is-better';
export type CompareOutcome = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';

export interface CompareOptions {
  direction: Direction;
  /** Smallest relative change that matters (default 0.1 = 10 %): smaller significant changes are 'unchanged'. */
  minRelativeEffect?: number;
  /** Optional absolute floor (e.g. 64 bytes per session) below which a change is never a regression. */
  minAbsoluteEffect?: number;
  /** Significance level of the Mann–Whitney test; default 0.01 for gates (few false alarms). */
  alpha?: number;
  /**
   * Fewer runs on either side => 'inconclusive' with "need N runs". Default: the fewest runs per
   * side with which the rank test can reach `alpha` and the 95 % interval is bounded (5 at 0.01).
   */
  minRuns?: number;
  /** Seed of the generator used to subsample pairs when there are more than 250 000 of them. */
  seed?: number;
  /** Formats a raw value for the reasons ("1.2 KB"); default: 4 significant digits. */
  format?: (value: number) => string;
}

export interface SampleSummary {
  n: number;
  median: number;
  /** Median absolute deviation about the median (raw, not scaled to a σ). */
  mad: number;
}

export interface Comparison {
  outcome: CompareOutcome;
  baseline: SampleSummary;
  current: SampleSummary;
  /**
   * (current − baseline) / |baseline| of the medians. ±Infinity when the baseline median is 0
   * and the current one is not; 0 when both are 0; NaN when a side has no runs.
   */
  relativeChange: number;
  /**
   * ~95 % interval of the relative change (Hodges–Lehmann / Moses). Unbounded when runs are too
   * few: [-1, Infinity] on the ratio scale, [-Infinity, Infinity] on the shift scale. (JSON turns
   * ±Infinity into null; report writers should say "unbounded".)
   */
  interval: [number, number];
  /** Two-sided Mann–Whitney U p-value (exact permutation distribution up to 60 runs in total). */
  pValue: number;
  /** Readable sentences: the figures, the test, and why this outcome. */
  reasons: string[];
  /** For inconclusive: what to collect next ("run 6 more times on each side (16 per side in all)"). */
  suggestion?: string;
  /** For inconclusive: the runs per side (in all) the suggestion asks for, for callers that loop. */
  suggestedRunsPerSide?: number;
  /** Hodges–Lehmann estimate of the relative change (the centre of `interval`). */
  estimate: number;
  /** current − baseline of the medians, in value units. */
  absoluteChange: number;
  /** ~95 % interval of the change in value units. */
  absoluteInterval: [number, number];
  /**
   * The smallest change that mattered in this comparison: relative (after the absolute floor
   * raised it) and absolute. When the baseline median is 0, only the absolute one applies.
   */
  minEffect: { relative: number; absolute: number };
  /** 'ratio' when every run is > 0 (log-ratio model), else 'shift' (difference model). */
  scale: 'ratio' | 'shift';
}

/** Coverage of `interval`. */
export const CONFIDENCE = 0.95;
/** Power at which a "not significant and tight" result counts as unchanged (see docs). */
export const TIGHT_POWER = 0.8;
/** Suggestions never ask for more than this many runs per side. */
export const MAX_SUGGESTED_RUNS = 200;
/** Projected run counts are padded by this factor: the spread itself is only estimated. */
const PROJECTION_MARGIN = 1.2;
/** HL estimator's standard error ≈ this × σ × sqrt(1/n + 1/m) for normal scatter (ARE 3/π). */
const HL_SE_FACTOR = Math.sqrt(Math.PI / 3);
const MAD_TO_SD = 1.4826;

interface Resolved {
  direction: Direction;
  minRelativeEffect: number;
  minAbsoluteEffect: number;
  alpha: number;
  minRuns: number;
  seed: number;
  format: (value: number) => string;
}

/** The two sides, their summaries and the smallest change that matters: what every step reads. */
interface Frame {
  o: Resolved;
  baseline: number[];
  current: number[];
  nb: number;
  nc: number;
  base: SampleSummary;
  cur: SampleSummary;
  bm: number;
  relativeChange: number;
  absoluteChange: number;
  /** Decisions are taken on the relative scale (a non-zero finite baseline median exists). */
  relativeScale: boolean;
  minEffect: { relative: number; absolute: number };
  thresholdText: string;
}

/** The Hodges–Lehmann estimate of the change, on both the relative and the absolute scale. */
interface ShiftFigures {
  scale: Comparison['scale'];
  hl: ShiftEstimate;
  absLo: number;
  absHi: number;
  absEst: number;
  interval: [number, number];
  estimate: number;
}

/** The figures the outcome is decided on: "bad" values are the change turned so that positive = worse. */
interface Decision {
  pValue: number;
  exact: boolean;
  significant: boolean;
  lo: number;
  hi: number;
  est: number;
  T: number;
  badLo: number;
  badHi: number;
  badEst: number;
  bounded: boolean;
  zc: number;
  za: number;
  tightHalfWidth: number;
  halfWidth: number;
}

export function compareRuns(baseline: number[], current: number[], opts: CompareOptions): Comparison {
  checkRuns('baseline', baseline);
  checkRuns('current', current);
  const fr = frameComparison(baseline, current, resolveOptions(opts));
  if (fr.nb === 0 || fr.nc === 0) return compareWithEmptySide(fr);

  const shift = estimateShift(fr);
  const d = decisionFigures(fr, shift);
  const reasons = describeFigures(fr, shift, d);
  const outcome = decideOutcome(fr, d, reasons);
  const next = outcome === 'inconclusive' ? suggestMoreRuns(fr, shift.scale, d) : undefined;
  if (next) reasons.push(`Next: ${next.suggestion}.`);

  return {
    outcome,
    baseline: fr.base,
    current: fr.cur,
    relativeChange: fr.relativeChange,
    interval: shift.interval,
    pValue: d.pValue,
    reasons,
    suggestion: next?.suggestion,
    suggestedRunsPerSide: next?.suggestedRunsPerSide,
    estimate: shift.estimate,
    absoluteChange: fr.absoluteChange,
    absoluteInterval: [shift.absLo, shift.absHi],
    minEffect: fr.minEffect,
    scale: shift.scale,
  };
}

/** Relative figures are taken against |baseline median| so "+" always means "went up". */
function toRelative(bm: number, abs: number): number {
  return bm !== 0 ? abs / Math.abs(bm) : abs === 0 ? 0 : abs > 0 ? Infinity : -Infinity;
}

function frameComparison(baseline: number[], current: number[], o: Resolved): Frame {
  const nb = baseline.length;
  const nc = current.length;
  const base = summarize(baseline);
  const cur = summarize(current);
  const bm = base.median;
  const pct = (x: number) => formatPercent(x);
  const f = o.format;
  const relativeChange = nb > 0 && nc > 0 ? toRelative(bm, cur.median - bm) : Number.NaN;
  const absoluteChange = nb > 0 && nc > 0 ? cur.median - bm : Number.NaN;

  // Minimum effect: relative, raised by the absolute floor; absolute only when the baseline is 0.
  const relativeScale = bm !== 0 && Number.isFinite(bm);
  const minRel = relativeScale ? Math.max(o.minRelativeEffect, o.minAbsoluteEffect / Math.abs(bm)) : Infinity;
  const minAbs = relativeScale ? minRel * Math.abs(bm) : o.minAbsoluteEffect;
  const thresholdText = relativeScale
    ? minRel > o.minRelativeEffect
      ? `${pct(minRel).replace('+', '')}, from the absolute floor of ${f(o.minAbsoluteEffect)}`
      : pct(minRel).replace('+', '')
    : `${f(minAbs)} in absolute terms, as the baseline median is 0`;
  return {
    o,
    baseline,
    current,
    nb,
    nc,
    base,
    cur,
    bm,
    relativeChange,
    absoluteChange,
    relativeScale,
    minEffect: { relative: minRel, absolute: minAbs },
    thresholdText,
  };
}

function compareWithEmptySide(fr: Frame): Comparison {
  const { o, nb, nc } = fr;
  const need = Math.max(o.minRuns, minRunsForAlpha(o.alpha), minRunsForAlpha(1 - CONFIDENCE));
  const suggestion = moreRunsText(nb, nc, need);
  const reasons: string[] = [];
  reasons.push(`There are no ${nb === 0 ? 'baseline' : 'current'} runs to compare against.`);
  reasons.push(`Next: ${suggestion}.`);
  return {
    outcome: 'inconclusive',
    baseline: fr.base,
    current: fr.cur,
    relativeChange: fr.relativeChange,
    interval: [-Infinity, Infinity],
    pValue: 1,
    reasons,
    suggestion,
    suggestedRunsPerSide: need,
    estimate: Number.NaN,
    absoluteChange: fr.absoluteChange,
    absoluteInterval: [-Infinity, Infinity],
    minEffect: fr.minEffect,
    scale: 'shift',
  };
}

function estimateShift(fr: Frame): ShiftFigures {
  const { baseline, current, nb, nc, bm } = fr;
  // Shift model on logs (a ratio) when every run is positive, on raw values otherwise.
  const scale: Comparison['scale'] = baseline.every((v) => v > 0) && current.every((v) => v > 0) ? 'ratio' : 'shift';
  const rand = mulberry32(fr.o.seed);
  const hl: ShiftEstimate =
    scale === 'ratio'
      ? hodgesLehmann(baseline.map(Math.log), current.map(Math.log), CONFIDENCE, rand)
      : hodgesLehmann(baseline, current, CONFIDENCE, rand);
  // Both sides constant over 3+ runs each: the difference is exactly known even where the rank
  // interval would be unbounded (counters are often exact).
  const constant = nb >= 3 && nc >= 3 && spread(baseline) === 0 && spread(current) === 0;
  if (constant && !Number.isFinite(hl.lower)) {
    hl.lower = hl.estimate;
    hl.upper = hl.estimate;
  }
  const toAbs = (x: number): number => (scale === 'ratio' ? bm * Math.expm1(x) : x);
  const absLo = toAbs(hl.lower);
  const absHi = toAbs(hl.upper);
  const absEst = toAbs(hl.estimate);
  const interval: [number, number] =
    scale === 'ratio' ? [Math.expm1(hl.lower), Math.expm1(hl.upper)] : [toRelative(bm, absLo), toRelative(bm, absHi)];
  const estimate = scale === 'ratio' ? Math.expm1(hl.estimate) : toRelative(bm, absEst);
  return { scale, hl, absLo, absHi, absEst, interval, estimate };
}

function decisionFigures(fr: Frame, shift: ShiftFigures): Decision {
  const { o } = fr;
  const test = mannWhitney(fr.baseline, fr.current);
  const pValue = test.pValue;
  const significant = pValue < o.alpha;
  const sign = o.direction === 'lower-is-better' ? 1 : -1;

  // Decision scale: relative where a baseline exists, absolute otherwise. "Badness" is the
  // change turned so that positive = worse.
  const [lo, hi, est, T] = fr.relativeScale
    ? [shift.interval[0], shift.interval[1], shift.estimate, fr.minEffect.relative]
    : [shift.absLo, shift.absHi, shift.absEst, fr.minEffect.absolute];
  const badLo = sign > 0 ? lo : -hi;
  const badHi = sign > 0 ? hi : -lo;
  const badEst = sign * est;
  const bounded = Number.isFinite(badLo) && Number.isFinite(badHi);
  const zc = normalQuantile(0.5 + CONFIDENCE / 2);
  const za = normalQuantile(1 - o.alpha / 2);
  const tightHalfWidth = (zc * T) / (za + normalQuantile(TIGHT_POWER));
  const halfWidth = (badHi - badLo) / 2;
  return { pValue, exact: test.exact, significant, lo, hi, est, T, badLo, badHi, badEst, bounded, zc, za, tightHalfWidth, halfWidth };
}

/** A change on the decision scale: a percentage, or a signed raw value when the baseline median is 0. */
function showChange(fr: Frame, x: number): string {
  return fr.relativeScale ? formatPercent(x) : signed(x, fr.o.format);
}

function describeFigures(fr: Frame, shift: ShiftFigures, d: Decision): string[] {
  const { o, nb, nc, bm, cur, relativeChange, absoluteChange } = fr;
  const pct = (x: number) => formatPercent(x);
  const f = o.format;
  const show = (x: number) => showChange(fr, x);
  const reasons: string[] = [];
  reasons.push(
    `Median ${f(bm)} (${nb} run${nb === 1 ? '' : 's'}) -> ${f(cur.median)} (${nc} run${nc === 1 ? '' : 's'}): ` +
      `${Number.isFinite(relativeChange) ? pct(relativeChange) : signed(absoluteChange, f)}.`,
  );
  reasons.push(
    d.bounded
      ? `The ${pct(CONFIDENCE).replace('+', '')} interval of the change is ${show(d.lo)} to ${show(d.hi)} ` +
          `(Hodges-Lehmann, ${shift.scale === 'ratio' ? 'on the ratio' : 'on the difference'}${shift.hl.sampled ? ', from a seeded subsample of pairs' : ''}).`
      : `With ${Math.min(nb, nc)} run${Math.min(nb, nc) === 1 ? '' : 's'} on a side, no ${pct(CONFIDENCE).replace('+', '')} interval of the change can be bounded.`,
  );
  reasons.push(
    `Mann-Whitney U: p = ${formatP(d.pValue)} (${d.exact ? 'exact' : 'normal approximation'}), ` +
      `${d.significant ? 'below' : 'not below'} alpha ${o.alpha}, so the difference is ${d.significant ? '' : 'not '}significant.`,
  );
  return reasons;
}

/** The outcome, with the sentence that explains it appended to `reasons`. */
function decideOutcome(fr: Frame, d: Decision, reasons: string[]): CompareOutcome {
  const { o, nb, nc, thresholdText } = fr;
  const { significant, bounded, badLo, badHi, badEst, T, halfWidth, tightHalfWidth } = d;
  const pct = (x: number) => formatPercent(x);
  const show = (x: number) => showChange(fr, x);
  const worse = o.direction === 'lower-is-better' ? 'up' : 'down';
  if (nb < o.minRuns || nc < o.minRuns) {
    reasons.push(
      `Only ${nb} baseline and ${nc} current run${nc === 1 ? '' : 's'}: at least ${o.minRuns} per side are needed before any verdict.`,
    );
    return 'inconclusive';
  }
  if (significant && bounded && badLo > T) {
    reasons.push(`The whole interval is worse (${worse} is worse) than the smallest change that matters (${thresholdText}): a regression.`);
    return 'regressed';
  }
  if (significant && bounded && badHi < -T) {
    reasons.push(`The whole interval is better than the smallest change that matters (${thresholdText}): an improvement.`);
    return 'improved';
  }
  if (bounded && badLo >= -T && badHi <= T) {
    reasons.push(
      `The whole interval lies within the smallest change that matters (±${thresholdText}): ${significant ? 'a real change, but' : 'any change is'} too small to matter.`,
    );
    return 'unchanged';
  }
  if (!significant && bounded && halfWidth <= tightHalfWidth && Math.abs(badEst) <= T) {
    reasons.push(
      `Not significant, and the interval is tight enough (half-width ${show(halfWidth).replace('+', '')} <= ` +
        `${show(tightHalfWidth).replace('+', '')}) that a change of the size that matters (${thresholdText}) would have been detected ` +
        `${pct(TIGHT_POWER).replace('+', '')} of the time.`,
    );
    return 'unchanged';
  }
  reasons.push(inconclusiveReason(fr, d));
  return 'inconclusive';
}

function inconclusiveReason(fr: Frame, d: Decision): string {
  const { thresholdText } = fr;
  if (!d.bounded) return 'Too few runs for an interval, so no verdict either way.';
  if (d.significant)
    return `Significant, but the interval reaches across the smallest change that matters (${thresholdText}): it may or may not be that large.`;
  if (d.badLo > d.T || d.badHi < -d.T) {
    return (
      `The interval lies beyond the smallest change that matters (${thresholdText}), but the test is not significant ` +
      `at alpha ${fr.o.alpha}: too few runs, or too many outliers, to be sure.`
    );
  }
  return `Not significant, but the interval is too wide to rule out a change that matters (${thresholdText}).`;
}

/** For an inconclusive outcome: how many runs per side to collect next, and the sentence that says so. */
function suggestMoreRuns(fr: Frame, scale: Comparison['scale'], d: Decision): { suggestion: string; suggestedRunsPerSide: number } {
  const { o, nb, nc, bm } = fr;
  const { badEst, T, tightHalfWidth, zc, za } = d;
  // Spread on the decision scale, for projecting when there is no interval yet.
  const sigma = pooledSigma(fr.baseline, fr.current, scale, fr.relativeScale ? Math.abs(bm) : 1);
  const projected = projectRuns({
    nb,
    nc,
    badEst,
    T,
    tightHalfWidth,
    zc,
    za,
    halfWidth: d.bounded ? d.halfWidth : zc * HL_SE_FACTOR * sigma * Math.sqrt(1 / nb + 1 / nc),
  });
  // Never fewer than the test and the interval need; below minRuns, reaching it is the first
  // step; above it, always ask for a few more.
  const statFloor = Math.max(minRunsForAlpha(o.alpha), minRunsForAlpha(1 - CONFIDENCE));
  const floor = Math.max(statFloor, nb < o.minRuns || nc < o.minRuns ? o.minRuns : Math.max(nb, nc) + 2);
  if (projected > MAX_SUGGESTED_RUNS) {
    const suggestedRunsPerSide = Math.max(floor, Math.min(MAX_SUGGESTED_RUNS, 2 * Math.max(nb, nc)));
    const suggestion =
      `${moreRunsText(nb, nc, suggestedRunsPerSide)} if it matters; ${showChange(fr, d.est)} sits so close to the threshold ` +
      `(${fr.thresholdText}) that even ${MAX_SUGGESTED_RUNS} runs per side may not settle it`;
    return { suggestion, suggestedRunsPerSide };
  }
  const suggestedRunsPerSide = Math.max(floor, projected);
  return { suggestion: moreRunsText(nb, nc, suggestedRunsPerSide), suggestedRunsPerSide };
}

/**
 * One line for people: "bytes per session: 1.2 KB -> 3.9 KB (+225 %, significant regression)".
 * `format` prints one raw value ("1.2 KB"); see formatBytes / formatValue in harness/core/units.ts.
 */
export function formatComparison(label: string, c: Comparison, format: (v: number) => string): string {
  const side = (v: number) => (Number.isFinite(v) ? format(v) : 'n/a');
  const change = Number.isNaN(c.relativeChange)
    ? 'n/a'
    : Number.isFinite(c.relativeChange)
      ? formatPercent(c.relativeChange)
      : c.absoluteChange === 0
        ? '0 %'
        : `from zero, ${c.absoluteChange > 0 ? '+' : ''}${format(c.absoluteChange)}`;
  const within = Number.isFinite(c.minEffect.relative)
    ? `within ±${formatPercent(c.minEffect.relative).replace('+', '')}`
    : `within ±${format(c.minEffect.absolute)}`;
  const word =
    c.outcome === 'regressed'
      ? 'significant regression'
      : c.outcome === 'improved'
        ? 'significant improvement'
        : c.outcome === 'unchanged'
          ? `unchanged, ${within}`
          : c.suggestion
            ? `inconclusive: ${c.suggestion}`
            : 'inconclusive';
  return `${label}: ${side(c.baseline.median)} -> ${side(c.current.median)} (${change}, ${word})`;
}

/** 2.25 -> "+225 %", -0.304 -> "-30 %", 0.024 -> "+2.4 %", 0 -> "0 %". */
export function formatPercent(fraction: number): string {
  if (Number.isNaN(fraction)) return 'n/a';
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+inf %' : '-inf %';
  const p = fraction * 100;
  const abs = Math.abs(p);
  const text =
    abs >= 9.95 ? abs.toFixed(0) : abs >= 0.995 ? abs.toFixed(1) : abs >= 0.0995 ? abs.toFixed(2) : abs === 0 ? '0' : abs.toPrecision(1);
  if (Number(text) === 0) return '0 %';
  return `${p > 0 ? '+' : '-'}${text} %`;
}

// ---------------------------------------------------------------------------------------------

function checkRuns(side: 'baseline' | 'current', values: readonly unknown[]): void {
  if (!Array.isArray(values)) throw new TypeError(`compareRuns: ${side} must be an array of numbers, got ${describe(values)}`);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`compareRuns: ${side}[${i}] is ${describe(v)}; every run must be a finite number`);
    }
  }
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v); // NaN, Infinity, -Infinity
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (v === null || v === undefined) return String(v);
  return `a ${typeof v}`;
}

function resolveOptions(opts: CompareOptions): Resolved {
  if (opts.direction !== 'lower-is-better' && opts.direction !== 'higher-is-better') {
    throw new RangeError(`compareRuns: direction must be 'lower-is-better' or 'higher-is-better', got ${describe(opts.direction)}`);
  }
  const num = (name: string, v: number | undefined, fallback: number, ok: (x: number) => boolean, rule: string): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
      throw new RangeError(`compareRuns: ${name} must be ${rule}, got ${describe(v)}`);
    return v;
  };
  const alpha = num('alpha', opts.alpha, COMPARE_DEFAULTS.alpha, (x) => x > 0 && x < 0.5, 'in (0, 0.5)');
  const defaultMinRuns = Math.max(minRunsForAlpha(1 - CONFIDENCE), minRunsForAlpha(alpha));
  return {
    direction: opts.direction,
    minRelativeEffect: num('minRelativeEffect', opts.minRelativeEffect, COMPARE_DEFAULTS.minRelativeEffect, (x) => x >= 0, '>= 0'),
    minAbsoluteEffect: num('minAbsoluteEffect', opts.minAbsoluteEffect, COMPARE_DEFAULTS.minAbsoluteEffect, (x) => x >= 0, '>= 0'),
    alpha,
    minRuns: num('minRuns', opts.minRuns, defaultMinRuns, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1'),
    seed: num('seed', opts.seed, COMPARE_DEFAULTS.seed, Number.isInteger, 'an integer'),
    format: opts.format ?? formatNumber,
  };
}

function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summarize(values: readonly number[]): SampleSummary {
  const median = medianOfSorted(sortedCopy(values));
  const mad = medianOfSorted(sortedCopy(values.map((v) => Math.abs(v - median))));
  return { n: values.length, median, mad };
}

function spread(values: readonly number[]): number {
  return values.length === 0 ? 0 : Math.max(...values) - Math.min(...values);
}

/** Pooled robust σ of both sides on the decision scale (logs for ratios, else raw / unit). */
function pooledSigma(baseline: readonly number[], current: readonly number[], scale: 'ratio' | 'shift', unit: number): number {
  const t = (xs: readonly number[]) => (scale === 'ratio' ? xs.map(Math.log) : xs.map((x) => x / unit));
  const a = summarize(t(baseline));
  const b = summarize(t(current));
  const weight = Math.max(1, a.n - 1) + Math.max(1, b.n - 1);
  return MAD_TO_SD * Math.sqrt((a.mad ** 2 * Math.max(1, a.n - 1) + b.mad ** 2 * Math.max(1, b.n - 1)) / weight);
}

interface Projection {
  nb: number;
  nc: number;
  badEst: number;
  halfWidth: number;
  T: number;
  tightHalfWidth: number;
  zc: number;
  za: number;
}

/**
 * Runs per side at which the interval should be narrow enough to decide, assuming its width
 * shrinks like sqrt(1/nb + 1/nc). Infinity when the estimate sits on the threshold.
 */
function projectRuns(p: Projection): number {
  const e = Math.abs(p.badEst);
  let target: number;
  if (e > p.T) {
    // Interval must clear the threshold, and the test must reach alpha.
    target = Math.min(e - p.T, (e * p.zc) / p.za);
  } else {
    // Equivalence (interval inside ±T), or tight-and-not-significant.
    const tightOk = e < (p.tightHalfWidth * p.za) / p.zc;
    target = Math.max(p.T - e, tightOk ? p.tightHalfWidth : 0);
  }
  if (!(p.halfWidth > 0)) return 0; // no spread: only the minimum run count limits the test
  if (!(target > 0)) return Infinity;
  const ratio = p.halfWidth / target;
  return Math.ceil((PROJECTION_MARGIN * 2 * ratio * ratio) / (1 / p.nb + 1 / p.nc));
}

function moreRunsText(nb: number, nc: number, perSide: number): string {
  const db = Math.max(0, perSide - nb);
  const dc = Math.max(0, perSide - nc);
  const times = (k: number) => `${k} more time${k === 1 ? '' : 's'}`;
  const all = `(${perSide} per side in all)`;
  if (db === dc) return `run ${times(db)} on each side ${all}`;
  if (db === 0) return `run ${times(dc)} on the current side ${all}`;
  if (dc === 0) return `run ${times(db)} on the baseline side ${all}`;
  return `run ${times(db)} on the baseline side and ${dc} more on the current side ${all}`;
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function signed(v: number, format: (value: number) => string): string {
  return `${v > 0 ? '+' : ''}${format(v)}`;
}

function formatP(p: number): string {
  return p >= 0.001 ? String(Number(p.toPrecision(2))) : p.toExponential(1);
}
