// heap-bounded: the target's used heap after GC, net of compiled code, does not grow with work.
import { classifyGrowth, heapSeries } from '../../../verdict/index.ts';
import { fromMetric, type ExpectationKind } from '../kind.ts';

export interface HeapBounded {
  kind: 'heap-bounded';
  /**
   * Smallest growth per unit worth calling a leak (default: the engine's 8 B floor, right
   * for quiet synthetic targets). Session-level targets that talk HTTP scatter by tens of
   * KB between samples; there a floor of ~64 B per session (less than one leaked Set entry
   * keyed by a session id) keeps noise from being judged while every real leak is caught.
   */
  minBytesPerUnit?: number;
}

export const heapBounded: ExpectationKind<HeapBounded> = (e) => ({
  judge: (samples, { unit, alpha }) => {
    const metric = classifyGrowth(heapSeries(samples, unit), {
      metric: 'heapUsedBytes',
      label: 'used heap (post-GC, excluding compiled code)',
      unit,
      valueKind: 'bytes',
      minSlopePerUnit: e.minBytesPerUnit,
      alpha,
    });
    return { result: fromMetric('heap-bounded', 'used heap after GC is bounded', metric), metrics: [metric] };
  },
});
