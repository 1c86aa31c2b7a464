// rss-bounded: resident memory of the target's process tree (from /proc) does not grow with work,
// the memory figure of a target observed without an inspector.
import { DEFAULTS } from '../../../core/defaults.ts';
import { classifyGrowth, rssSeries } from '../../../verdict/index.ts';
import { fromMetric, type ExpectationKind } from '../kind.ts';

export interface RssBounded {
  kind: 'rss-bounded';
  /** Growth per unit below this is never a leak (default DEFAULTS.rssMinBytesPerUnit). */
  minBytesPerUnit?: number;
}

export const rssBounded: ExpectationKind<RssBounded> = (e) => ({
  judge: (samples, { unit, alpha }) => {
    const metric = classifyGrowth(rssSeries(samples, unit), {
      metric: 'rssBytes',
      label: 'RSS (process tree)',
      unit,
      valueKind: 'bytes',
      minSlopePerUnit: e.minBytesPerUnit ?? DEFAULTS.rssMinBytesPerUnit,
      minTotalGrowth: DEFAULTS.rssMinTotalBytes,
      alpha,
    });
    const description = 'resident memory (RSS of the process tree, from /proc) is bounded';
    return { result: fromMetric('rss-bounded', description, metric), metrics: [metric] };
  },
});
