// Cutting a load run into windows by request count: latency percentiles, throughput and errors
// from the response log, and the target's heap from the samples taken in the same stretch. Pure.
import type { Sample } from '../core/types.ts';
import { heapSeries, theilSen } from '../verdict/index.ts';
import type { LoadWindow } from '../report/load-model.ts';
import type { ResponseLog } from './cannon.ts';
import { latencyFigures } from './latency.ts';

export interface WindowOptions {
  windows: number;
  /** Requests done before the measured load (warm-up): samples count work from the run's start. */
  requestOffset: number;
  /** Wall ms (same clock as the log) at which the measured load started. */
  startedAtMs: number;
  /** Per response of the log, whether it was an unexpected error (errors.ts); default: any failure. */
  unexpected?: readonly boolean[];
}

export function cutWindows(log: ResponseLog, samples: readonly Sample[], o: WindowOptions): LoadWindow[] {
  const n = log.status.length;
  const k = Math.max(1, Math.min(o.windows, n));
  const heap = heapSeries(samples, 'request');
  const out: LoadWindow[] = [];
  for (let i = 0; i < k && n > 0; i += 1) {
    const from = Math.floor((i * n) / k);
    const to = Math.floor(((i + 1) * n) / k);
    const startMs = from === 0 ? o.startedAtMs : log.atMs[from - 1]!;
    const durationMs = Math.max(0, log.atMs[to - 1]! - startMs);
    const outcomes = log.outcome.slice(from, to);
    const statuses = log.status.slice(from, to);
    const unexpected = o.unexpected
      ? o.unexpected.slice(from, to).filter(Boolean).length
      : statuses.filter((s, j) => outcomes[j] !== 'answered' || s < 200 || s > 299).length;
    // The heap over the same stretch: the samples inside it and the one just before (an anchor).
    const lo = o.requestOffset + from;
    const hi = o.requestOffset + to;
    const inside = heap.filter((p) => p.x > lo && p.x <= hi);
    const before = heap.filter((p) => p.x <= lo).pop();
    const points = before ? [before, ...inside] : inside;
    const fit = points.length >= 2 ? theilSen(points) : undefined;
    out.push({
      index: i,
      fromRequest: from,
      toRequest: to,
      requests: to - from,
      durationMs,
      requestsPerSec: durationMs > 0 ? ((to - from) * 1000) / durationMs : 0,
      latencyMs: latencyFigures(log.latencyMs.slice(from, to)),
      errors: outcomes.filter((k) => k !== 'answered').length,
      timeouts: outcomes.filter((k) => k === 'timeout').length,
      non2xx: statuses.filter((s, j) => outcomes[j] === 'answered' && (s < 200 || s > 299)).length,
      unexpectedErrors: unexpected,
      errorRate: to > from ? unexpected / (to - from) : 0,
      ...(points.length > 0 ? { heapBytesAtEnd: points[points.length - 1]!.y } : {}),
      ...(fit ? { heapBytesPer1000Requests: fit.slope * 1000 } : {}),
    });
  }
  return out;
}
