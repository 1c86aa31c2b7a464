// checkAtMost: "at most 2000 entries at every sample". A hard limit is checked on every sample,
// warm-up included; when it holds, the growth verdict with the limit as declared cap decides
// whether the run also showed it is bounded (and not merely still below the limit).
import type { MetricVerdict, SeriesPoint } from '../core/types.ts';
import { formatValue, plural } from '../core/units.ts';
import { classifyGrowth } from './growth.ts';
import type { GrowthOptions } from './options.ts';

export type AtMostOptions = Omit<GrowthOptions, 'cap'>;

export function checkAtMost(points: readonly SeriesPoint[], limit: number, opts: AtMostOptions): MetricVerdict {
  const growth = classifyGrowth(points, { ...opts, cap: limit });
  const fmt = (v: number) => formatValue(v, opts.valueKind);
  const firstOver = points.findIndex((p) => Number.isFinite(p.y) && p.y > limit);
  if (firstOver >= 0) {
    const p = points[firstOver] as SeriesPoint;
    const overCount = points.filter((q) => q.y > limit).length;
    const { suggestion: _settled, ...rest } = growth; // a breach needs no longer run
    return {
      ...rest,
      verdict: 'leak',
      // The growth engine's "passed the declared cap" hint is this very breach, said above.
      warnings: growth.warnings.filter((w) => !w.startsWith('It passed the declared cap')),
      // "still filling" contradicts a breach; any other shape still describes the curve.
      shape: growth.shape === 'still-filling' ? 'linear' : growth.shape,
      reasons: [
        `${opts.label} exceeded the limit of at most ${fmt(limit)}: sample #${firstOver + 1} (at ${p.x} ${plural(opts.unit, p.x)}) ` +
          `held ${fmt(p.y)}; ${overCount} of ${points.length} samples were above the limit (max ${fmt(growth.maxValue)}).`,
        ...growth.reasons,
      ],
    };
  }
  const within = `${opts.label} never exceeded the limit of at most ${fmt(limit)} (max ${fmt(growth.maxValue)} over ${points.length} samples).`;
  // classifyGrowth never says leak below a declared cap, so bounded/inconclusive pass through.
  return { ...growth, reasons: [within, ...growth.reasons] };
}
