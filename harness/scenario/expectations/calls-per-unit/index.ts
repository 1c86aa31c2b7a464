// calls-per-unit-flat: the calls a target makes to one OpenCode route, and the bytes it is served,
// per unit of work do not grow with the history length of the session (seed leak 2:
// session.messages re-fetched on every tool call). The pooled rate series (rate-points.ts) is
// classified against history length, so its slopes read "per message of history".
import type { MetricVerdict, Sample, SeriesPoint, WorkUnit } from '../../../core/types.ts';
import { formatBytes, formatValue } from '../../../core/units.ts';
import { classifyGrowth } from '../../../verdict/index.ts';
import { HISTORY_COUNTER } from '../../context.ts';
import type { ExpectationKind } from '../kind.ts';
import { nearest, ratePoints, type RatePoint } from './rate-points.ts';

export interface CallsPerUnitFlat {
  kind: 'calls-per-unit-flat';
  /** OpenCode route id (OpenAPI operationId), e.g. 'session.messages'. */
  route: string;
  /** The work unit the rate is per. */
  per: WorkUnit;
  /** What the rate must not grow with: the history length of the session (messages). */
  against: 'history';
  /** History lengths (messages) shown in the table of the reasons. */
  table?: number[];
}

const RANK = { bounded: 0, inconclusive: 1, leak: 2 } as const;
const callsText = (v: number) => v.toFixed(1);
const DEFAULT_TABLE = [10, 100, 200, 400];

/** Calls and bytes per unit against history length: exact counts, so no settling share is cut. */
function rateVerdicts(
  points: readonly RatePoint[],
  e: CallsPerUnitFlat,
  alpha: number | undefined,
): { calls: MetricVerdict; bytes: MetricVerdict } {
  const series = (read: (p: RatePoint) => number): SeriesPoint[] => points.map((p) => ({ x: p.history, y: read(p) / p.units }));
  const common = { unit: 'message' as const, warmupFraction: 0, alpha };
  const calls = classifyGrowth(
    series((p) => p.calls),
    {
      ...common,
      metric: `calls-per-${e.per}:${e.route}`,
      label: `${e.route} calls per ${e.per}`,
      valueKind: 'calls',
      // Exact counts: half a call per tool call more over the run is growth; default floors are for totals.
      minSlopePerUnit: 0.001,
      minTotalGrowth: 0.5,
    },
  );
  const bytes = classifyGrowth(
    series((p) => p.bytes),
    {
      ...common,
      metric: `bytes-per-${e.per}:${e.route}`,
      label: `${e.route} response bytes per ${e.per}`,
      valueKind: 'bytes',
    },
  );
  return { calls, bytes };
}

/** The figures at the first and last history lengths, each verdict's first reason, then the table. */
function rateReasons(points: readonly RatePoint[], e: CallsPerUnitFlat, calls: MetricVerdict, bytes: MetricVerdict): string[] {
  const { route, per } = e;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) {
    return [
      `No two consecutive samples with ${per} work in between carry a history length (counter ${HISTORY_COUNTER}): ` +
        'drive sessions with openSession().exchange() and sample between exchanges.',
    ];
  }
  const c = (p: RatePoint) => p.calls / p.units;
  const b = (p: RatePoint) => p.bytes / p.units;
  const callsAt = `${callsText(c(first))} calls per ${per} at ${first.history} messages, ${callsText(c(last))} at ${last.history}`;
  const bytesAt = `${formatBytes(b(first))} per ${per} at ${first.history} messages, ${formatBytes(b(last))} at ${last.history}`;
  const reasons = [
    `${route}: ${bytesAt}; ${callsAt}.`,
    `${route}: ${callsAt}: ${calls.verdict}. ${calls.reasons[0] ?? ''}`,
    `${route}: ${bytesAt}: ${bytes.verdict}. ${bytes.reasons[0] ?? ''}`,
    `history | ${route} calls per ${per} | bytes served per ${per} | used heap (post-GC)`,
  ];
  const rows = new Set<RatePoint>();
  for (const h of e.table ?? DEFAULT_TABLE) {
    const p = nearest(points, h);
    if (p) rows.add(p);
  }
  for (const p of rows) reasons.push(`${p.history} messages | ${callsText(c(p))} | ${formatBytes(b(p))} | ${formatBytes(p.heapBytes)}`);
  return reasons;
}

export const callsPerUnitFlat: ExpectationKind<CallsPerUnitFlat> = (e) => ({
  judge: (samples: readonly Sample[], { alpha }) => {
    const points = ratePoints(samples, e.route, e.per);
    const { calls, bytes } = rateVerdicts(points, e, alpha);
    const decisive: MetricVerdict = RANK[bytes.verdict] >= RANK[calls.verdict] ? bytes : calls;
    const growth = `${formatValue(decisive.slopePerUnit, decisive.valueKind, true)} per ${e.per} per message of history`;
    const result = {
      id: `${e.route}-per-${e.per.replace(/ /g, '-')}-flat`,
      description: `${e.route}: calls and response bytes per ${e.per} are flat against history length`,
      passed: decisive.verdict === 'bounded',
      verdict: points.length === 0 ? ('inconclusive' as const) : decisive.verdict,
      metric: decisive,
      estimate: growth,
      reasons: rateReasons(points, e, calls, bytes),
      warnings: [...calls.warnings.map((w) => `${calls.label}: ${w}`), ...bytes.warnings.map((w) => `${bytes.label}: ${w}`)],
    };
    // A sequential look waits on the decisive figure only: it is the one the result reports.
    return { result, metrics: [decisive] };
  },
});
