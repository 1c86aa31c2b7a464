// Expectations a scenario declares, and how they are judged from samples by the verdict engine.
import type { MetricVerdict, Sample, SeriesPoint, Verdict, WorkUnit } from '../core/types.ts';
import { formatRate } from '../core/units.ts';
import type { ExpectationResult } from '../report/model.ts';
import { evaluateRateExpectation, type RateExpectation } from './expect-rates.ts';
import { checkAtMost, classifyGrowth, collectionSeries, handleSeries, heapSeries, rankGrowers, rssSeries } from '../verdict/index.ts';
import { DEFAULTS } from '../core/defaults.ts';
import { evaluateCheckExpectation, type CheckExpectation, type CheckFinding } from './resume-checks.ts';

export type Expectation =
  | {
      kind: 'heap-bounded';
      /**
       * Smallest growth per unit worth calling a leak (default: the engine's 8 B floor, right
       * for quiet synthetic targets). Session-level targets that talk HTTP scatter by tens of
       * KB between samples; there a floor of ~64 B per session (less than one leaked Set entry
       * keyed by a session id) keeps noise from being judged while every real leak is caught.
       */
      minBytesPerUnit?: number;
    }
  | {
      kind: 'collections-bounded';
      /** Every growing Map/Set stays at or below this many entries at every sample. */
      atMost?: number;
      /** How many of the fastest-growing collections are judged. */
      consider?: number;
    }
  | { kind: 'handles-bounded' }
  | {
      kind: 'rss-bounded';
      /** Growth per unit below this is never a leak (default DEFAULTS.rssMinBytesPerUnit). */
      minBytesPerUnit?: number;
    }
  | {
      kind: 'counter-at-most';
      /** A sample counter: `service.<name>` from a service's stats(), `opencode.<route>.calls`, ... */
      counter: string;
      atMost: number;
      description: string;
    }
  | RateExpectation
  | CheckExpectation;

export const expectHeapBounded = (options: { minBytesPerUnit?: number } = {}): Expectation => ({ kind: 'heap-bounded', ...options });
export const expectCollectionsBounded = (options: { atMost?: number; consider?: number } = {}): Expectation => ({
  kind: 'collections-bounded',
  ...options,
});
export const expectHandlesBounded = (): Expectation => ({ kind: 'handles-bounded' });
/** Resident memory of the target's process tree is bounded (the figure for targets without an inspector). */
export const expectRssBounded = (options: { minBytesPerUnit?: number } = {}): Expectation => ({ kind: 'rss-bounded', ...options });
/** An exact counter never exceeds a limit, e.g. "0 late hooks of a bypassed session took the expensive path". */
export const expectCounterAtMost = (counter: string, atMost: number, description: string): Expectation => ({
  kind: 'counter-at-most',
  counter,
  atMost,
  description,
});

function judgeCounter(samples: Sample[], e: Extract<Expectation, { kind: 'counter-at-most' }>): ExpectationResult {
  const seen = samples.filter((s) => s.counters?.[e.counter] !== undefined);
  const base = { id: `counter:${e.counter}`, description: e.description, limit: e.atMost, limitKind: 'absolute' as const, warnings: [] };
  if (seen.length === 0) {
    return { ...base, passed: false, verdict: 'inconclusive', reasons: [`No sample carried the counter ${e.counter}: the target does not report it.`] };
  }
  const over = seen.find((s) => s.counters![e.counter]! > e.atMost);
  const last = seen[seen.length - 1]!.counters![e.counter]!;
  // The limit is held against the largest value seen, so that is the figure shown.
  const estimate = `max ${Math.max(...seen.map((s) => s.counters![e.counter]!))}`;
  return over
    ? { ...base, passed: false, verdict: 'leak', estimate, reasons: [`${e.counter} reached ${over.counters![e.counter]} at sample #${over.seq} (allowed: at most ${e.atMost}); ${last} at the end.`] }
    : { ...base, passed: true, verdict: 'bounded', estimate, reasons: [`${e.counter} stayed at or below ${e.atMost} in all ${seen.length} samples (${last} at the end).`] };
}

/** A collection the verdicts blame, for the diagnosis (heap snapshot retainer paths). */
export interface Suspect {
  id: string;
  name?: string;
  kind: string;
}

const WORST: Record<Verdict, number> = { bounded: 0, inconclusive: 1, leak: 2 };

function worst(metrics: MetricVerdict[]): MetricVerdict | undefined {
  return metrics.reduce<MetricVerdict | undefined>((w, m) => (!w || WORST[m.verdict] > WORST[w.verdict] ? m : w), undefined);
}

function fromMetric(id: string, description: string, metric: MetricVerdict, limit?: number): ExpectationResult {
  return {
    id,
    description,
    passed: metric.verdict === 'bounded',
    verdict: metric.verdict,
    metric,
    estimate: formatRate(metric.slopePerUnit, metric.valueKind, metric.unit),
    limit,
    reasons: metric.reasons,
    warnings: metric.warnings,
  };
}

function collectionLabel(g: { id: string; kind: string; name?: string }): string {
  return g.name ? `${g.kind} ${g.name}` : `${g.kind} ${g.id} (unnamed)`;
}

/** How a look judges: the error of its intervals, and where every metric verdict is kept. */
interface Judging {
  alpha: number | undefined;
  metrics: MetricVerdict[];
}

function judgeCollections(
  samples: Sample[],
  unit: WorkUnit,
  e: Extract<Expectation, { kind: 'collections-bounded' }>,
  suspects: Suspect[],
  judging: Judging,
): ExpectationResult {
  const description = e.atMost === undefined ? 'every growing collection is bounded' : `every growing collection stays <= ${e.atMost} entries`;
  const growers = rankGrowers(samples, unit, 50)
    // A sawtooth may end below where it started: a collection that rose at all is judged.
    .filter((g) => g.lastSize > g.firstSize || g.maxSize > g.firstSize || g.slopePerUnit > 0)
    .slice(0, e.consider ?? 6);
  if (growers.length === 0) {
    return {
      id: 'collections-bounded', description, passed: true, verdict: 'bounded', limit: e.atMost,
      reasons: ['No Map or Set grew in the verdict window.'], warnings: [],
    };
  }
  const metrics = growers.map((g) => {
    const points: SeriesPoint[] = collectionSeries(samples, unit, g.id);
    const opts = { metric: `collection:${g.id}`, label: collectionLabel(g), unit, valueKind: 'entries' as const, alpha: judging.alpha };
    const verdict = e.atMost === undefined ? classifyGrowth(points, opts) : checkAtMost(points, e.atMost, opts);
    if (verdict.verdict === 'leak') suspects.push({ id: g.id, name: g.name, kind: g.kind });
    judging.metrics.push(verdict);
    return verdict;
  });
  const w = worst(metrics)!;
  const result = fromMetric('collections-bounded', description, w, e.atMost);
  if (e.atMost !== undefined) result.limitKind = 'absolute';
  // Under a limit the first reason is the limit's; a sawtooth's shape (floor, ceiling) comes next.
  const shown = (m: MetricVerdict) => m.reasons.slice(0, e.atMost !== undefined && m.shape === 'sawtooth' ? 2 : 1).join(' ');
  result.reasons = metrics.map((m) => `${m.label}: ${m.verdict}. ${shown(m)}`);
  result.warnings = metrics.flatMap((m) => m.warnings.map((x) => `${m.label}: ${x}`));
  return result;
}

function judgeHandles(samples: Sample[], unit: WorkUnit, judging: Judging): ExpectationResult {
  const metrics = (['refedTimers', 'refedTotal'] as const).map((key) =>
    classifyGrowth(handleSeries(samples, unit, key), {
      metric: `handles.${key}`,
      label: key === 'refedTimers' ? "ref'd timers" : "ref'd handles (all kinds)",
      unit,
      valueKind: 'handles',
      alpha: judging.alpha,
    }),
  );
  judging.metrics.push(...metrics);
  const w = worst(metrics)!;
  const result = fromMetric('handles-bounded', "ref'd timers and handles are bounded", w);
  result.reasons = metrics.map((m) => `${m.label}: ${m.verdict}. ${m.reasons[0] ?? ''}`);
  return result;
}

export interface Evaluation {
  results: ExpectationResult[];
  suspects: Suspect[];
  /** Every metric verdict behind each result, in the results' order (a sequential look needs all of them decided). */
  metrics: MetricVerdict[][];
}

/** Judge every expectation on the samples of the verdict window. */
export function evaluateExpectations(
  expectations: Expectation[],
  samples: Sample[],
  unit: WorkUnit,
  /** What the workload's correctness checks found (run.check), for 'checks-pass'. */
  findings: readonly CheckFinding[] = [],
  /** alpha: two-sided error of the intervals (a sequential look's share; default the engine's 0.05). */
  options: { alpha?: number } = {},
): Evaluation {
  const suspects: Suspect[] = [];
  const metrics: MetricVerdict[][] = [];
  const results = expectations.map((e): ExpectationResult => {
    const judging: Judging = { alpha: options.alpha, metrics: [] };
    metrics.push(judging.metrics);
    const result = judgeOne(e, samples, unit, findings, suspects, judging);
    if (judging.metrics.length === 0 && result.metric) judging.metrics.push(result.metric);
    return result;
  });
  return { results, suspects, metrics };
}

function judgeOne(e: Expectation, samples: Sample[], unit: WorkUnit, findings: readonly CheckFinding[], suspects: Suspect[], judging: Judging): ExpectationResult {
  switch (e.kind) {
    case 'heap-bounded':
      return fromMetric(
        'heap-bounded',
        'used heap after GC is bounded',
        classifyGrowth(heapSeries(samples, unit), {
          metric: 'heapUsedBytes',
          label: 'used heap (post-GC, excluding compiled code)',
          unit,
          valueKind: 'bytes',
          minSlopePerUnit: e.minBytesPerUnit,
          alpha: judging.alpha,
        }),
      );
    case 'rss-bounded':
      return fromMetric(
        'rss-bounded',
        'resident memory (RSS of the process tree, from /proc) is bounded',
        classifyGrowth(rssSeries(samples, unit), {
          metric: 'rssBytes',
          label: 'RSS (process tree)',
          unit,
          valueKind: 'bytes',
          minSlopePerUnit: e.minBytesPerUnit ?? DEFAULTS.rssMinBytesPerUnit,
          minTotalGrowth: DEFAULTS.rssMinTotalBytes,
          alpha: judging.alpha,
        }),
      );
    case 'collections-bounded':
      return judgeCollections(samples, unit, e, suspects, judging);
    case 'handles-bounded':
      return judgeHandles(samples, unit, judging);
    case 'counter-at-most':
      return judgeCounter(samples, e);
    case 'calls-per-unit-flat':
    case 'no-refed-timers-after-dispose':
      return evaluateRateExpectation(e, samples, judging.alpha);
    case 'checks-pass':
    case 'counter-bounded':
      return evaluateCheckExpectation(e, samples, unit, findings, judging.alpha);
  }
}
