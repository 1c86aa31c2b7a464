// handles-bounded: ref'd timers, and ref'd handles of every kind, do not grow with work.
import { classifyGrowth, handleSeries } from '../../../verdict/index.ts';
import { fromMetric, worst, type ExpectationKind } from '../kind.ts';

export interface HandlesBounded {
  kind: 'handles-bounded';
}

const FIGURES = [
  { key: 'refedTimers', label: "ref'd timers" },
  { key: 'refedTotal', label: "ref'd handles (all kinds)" },
] as const;

export const handlesBounded: ExpectationKind<HandlesBounded> = () => ({
  judge: (samples, { unit, alpha }) => {
    const metrics = FIGURES.map(({ key, label }) =>
      classifyGrowth(handleSeries(samples, unit, key), { metric: `handles.${key}`, label, unit, valueKind: 'handles', alpha }),
    );
    const result = fromMetric('handles-bounded', "ref'd timers and handles are bounded", worst(metrics)!);
    result.reasons = metrics.map((m) => `${m.label}: ${m.verdict}. ${m.reasons[0] ?? ''}`);
    return { result, metrics };
  },
});
