// counter-bounded: an exact counter a workload of any kind sets (run.setCounter), e.g. orphaned
// upstream sessions after each cycle, does not grow with work. Notes the workload recorded under the
// counter's name (run.check) name what was counted.
import { formatRate } from '../../../core/units.ts';
import { classifyGrowth, counterSeries } from '../../../verdict/index.ts';
import type { ExpectationKind } from '../kind.ts';

export interface CounterBounded {
  kind: 'counter-bounded';
  /** A sample counter (run.setCounter); findings recorded under this name are shown as notes. */
  counter: string;
  description: string;
  /** What one count is, for the figures ("orphaned sessions"). */
  label: string;
  /** Fewest judged samples; default 4 (exact counts need no long series). */
  minPoints?: number;
}

export const counterBounded: ExpectationKind<CounterBounded> = (e) => ({
  judge: (samples, { unit, alpha, findings }) => {
    const points = counterSeries(samples, unit, e.counter);
    const metric = classifyGrowth(points, {
      metric: `counter:${e.counter}`,
      label: e.label,
      unit,
      valueKind: 'count',
      // An exact count set by the workload after each unit: no settling share within the judged
      // phases (their warm-up is already out), and a short series suffices.
      warmupFraction: 0,
      minPoints: e.minPoints ?? 4,
      alpha,
    });
    const values = points.map((p) => p.y);
    const figures =
      values.length > 0 ? `${e.label}: ${values.join(', ')} at the ${values.length} judged samples.` : `No sample carried ${e.counter}.`;
    const result = {
      id: `counter-bounded:${e.counter}`,
      description: e.description,
      passed: metric.verdict === 'bounded',
      verdict: metric.verdict,
      metric,
      estimate: formatRate(metric.slopePerUnit, 'count', unit).replace(/^([+-]?[\d.]+)/, `$1 ${e.label}`),
      // Notes the workload recorded under the counter's name (which items it counted) go last.
      reasons: [
        figures,
        ...metric.reasons,
        ...findings
          .filter((f) => f.check === e.counter)
          .slice(-1)
          .map((f) => f.detail),
      ],
      warnings: metric.warnings,
    };
    return { result, metrics: [metric] };
  },
});
