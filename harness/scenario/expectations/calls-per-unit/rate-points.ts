// How much a target asks of OpenCode per unit of work, by the history length of the session: cumulative
// counters differenced between consecutive samples (Δcalls / Δtool calls, Δbytes / Δtool calls), each
// difference placed at the history length (messages) at the later sample, and differences at one
// history length pooled across sessions.
import type { Sample, WorkUnit } from '../../../core/types.ts';
import { HISTORY_COUNTER } from '../../context.ts';

export interface RatePoint {
  history: number;
  units: number;
  calls: number;
  bytes: number;
  /** Used heap (post-GC, excluding code) at the last sample pooled at this history length. */
  heapBytes: number;
}

/** Pooled per-history rates from consecutive samples (sample order, not work order). */
export function ratePoints(samples: readonly Sample[], route: string, per: WorkUnit): RatePoint[] {
  const callsKey = `opencode.${route}.calls`;
  const bytesKey = `opencode.${route}.bytes`;
  const byHistory = new Map<number, RatePoint>();
  const ordered = [...samples].sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < ordered.length; i += 1) {
    const prev = ordered[i - 1] as Sample;
    const cur = ordered[i] as Sample;
    const history = cur.counters?.[HISTORY_COUNTER];
    const du = (cur.work[per] ?? 0) - (prev.work[per] ?? 0);
    if (history === undefined || !(history > 0) || !(du > 0)) continue;
    const read = (s: Sample, key: string) => s.counters?.[key] ?? 0;
    let p = byHistory.get(history);
    if (!p) {
      p = { history, units: 0, calls: 0, bytes: 0, heapBytes: 0 };
      byHistory.set(history, p);
    }
    p.units += du;
    p.calls += read(cur, callsKey) - read(prev, callsKey);
    p.bytes += read(cur, bytesKey) - read(prev, bytesKey);
    if (cur.heapUsedBytes !== undefined) p.heapBytes = cur.heapUsedBytes - (cur.codeBytes ?? 0);
  }
  return [...byHistory.values()].sort((a, b) => a.history - b.history);
}

/** The point nearest to a history length (the table's rows), if any. */
export function nearest(points: readonly RatePoint[], history: number): RatePoint | undefined {
  const distance = (p: RatePoint) => Math.abs(p.history - history);
  return points.reduce<RatePoint | undefined>((best, p) => (!best || distance(p) < distance(best) ? p : best), undefined);
}
