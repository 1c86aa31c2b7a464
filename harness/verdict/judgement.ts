// What a decision rule returns, and what every rule may look at.
import type { MetricVerdict, SawtoothShape, SeriesPoint, Verdict } from '../core/types.ts';
import type { Analysis } from './analyse.ts';
import type { Wording } from './describe.ts';
import type { ResolvedOptions } from './options.ts';
import type { SlopeFit } from './theil-sen.ts';
import type { PreparedSeries } from './window.ts';

export interface Judgement {
  verdict: Verdict;
  shape: MetricVerdict['shape'];
  /** Never empty. */
  reasons: string[];
  suggestion?: string;
  /** The slope the verdict rests on when it is not the whole window's (a sawtooth's troughs). */
  fit?: SlopeFit;
  sawtooth?: SawtoothShape;
}

export interface Context {
  a: Analysis;
  cfg: ResolvedOptions;
  w: Wording;
  /** Wording of the halves' intervals (their own confidence, options.ts: halvesAlpha). */
  halvesW: Wording;
  prepared: PreparedSeries;
}

export function firstPoint(ctx: Context): SeriesPoint {
  return ctx.prepared.all[0] as SeriesPoint;
}

export function lastPoint(ctx: Context): SeriesPoint {
  return ctx.prepared.all[ctx.prepared.all.length - 1] as SeriesPoint;
}
