// Sentences for reasons, warnings and suggestions. Every figure goes through core/units.ts so
// the report, the terminal and the job summary print the same words.
import type { ValueKind, WorkUnit } from '../core/types.ts';
import { formatRate, formatValue, plural } from '../core/units.ts';
import type { SlopeFit } from './theil-sen.ts';

export interface Wording {
  kind: ValueKind;
  unit: WorkUnit;
  /** Confidence of the intervals as printed ("95 %"); default 95 %. */
  level?: string;
}

/** "95 %", "99.6 %": the confidence of an interval with two-sided error alpha. */
export function confidenceLevel(alpha: number): string {
  const pct = 100 * (1 - alpha);
  const digits = pct >= 99.95 ? 2 : pct >= 99 ? 1 : 0;
  return `${Number(pct.toFixed(digits))} %`;
}

export function rate(perUnit: number, w: Wording): string {
  if (w.kind === 'bytes' && Math.abs(perUnit) < 100) return `${smallBytes(perUnit, true)} per ${w.unit}`;
  return formatRate(perUnit, w.kind, w.unit);
}

export function value(v: number, w: Wording, signed = false): string {
  if (w.kind === 'bytes' && Math.abs(v) < 100) return smallBytes(v, signed);
  return formatValue(v, w.kind, signed);
}

/**
 * formatBytes prints whole bytes, so a 32 B/unit slope with a ±0.3 B interval would read
 * "+32 B .. +32 B" and a tiny negative slope "-0 B". Below 100 B one decimal is kept.
 */
function smallBytes(v: number, signed: boolean): string {
  const rounded = Math.round(v * 10) / 10;
  if (rounded === 0) return '0 B';
  const text = Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1);
  return `${signed && rounded > 0 ? '+' : ''}${text} B`;
}

/** "+1.00 KB per session (95 % interval +0.98 KB .. +1.03 KB)". */
export function rateWithInterval(fit: SlopeFit, w: Wording): string {
  return `${rate(fit.slope, w)} (${w.level ?? '95 %'} interval ${bound(fit.lower, w)} .. ${bound(fit.upper, w)})`;
}

/** Interval ends: plain values, except small counted rates that read better as "1 per N". */
function bound(perUnit: number, w: Wording): string {
  if (w.kind !== 'bytes' && perUnit !== 0 && Math.abs(perUnit) < 0.5) return rate(perUnit, w);
  return value(perUnit, w, true);
}

/** "1200 sessions". */
export function units(n: number, w: Wording): string {
  const rounded = roundForText(n);
  return `${rounded} ${plural(w.unit, rounded)}`;
}

/** Work amounts as people say them: integers, or 2 significant digits below 10. */
export function roundForText(n: number): number {
  return Math.abs(n) >= 10 ? Math.round(n) : Number(n.toPrecision(2));
}

/** Rounds a suggested amount of work UP to two significant digits: 3125 -> 3200. */
export function niceCeil(n: number): number {
  if (!(n > 0)) return 1;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / step - 1e-9) * step;
}

export function samples(n: number): string {
  return `${n} sample${n === 1 ? '' : 's'}`;
}

/** "1 of 40 samples lies", "3 of 40 samples lie". */
export function someOf(k: number, n: number, verbOne: string, verbMany: string): string {
  return `${k} of ${samples(n)} ${k === 1 ? verbOne : verbMany}`;
}
