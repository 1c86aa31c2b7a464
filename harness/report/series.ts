// From samples to chart series: every figure is drawn against work done in the report's unit.
import type { Sample, SeriesPoint, WorkUnit } from '../core/types.ts';
import type { RunPhase, TopCollection } from './model.ts';

export function workOf(sample: Sample, unit: WorkUnit): number {
  return sample.work[unit] ?? 0;
}

export function memorySeries(samples: Sample[], unit: WorkUnit): { heap: SeriesPoint[]; rss: SeriesPoint[] } {
  const heap: SeriesPoint[] = [];
  const rss: SeriesPoint[] = [];
  for (const s of samples) {
    const x = workOf(s, unit);
    // The figure the heap verdict judges: used heap net of compiled code (see Sample.codeBytes).
    if (s.heapUsedBytes !== undefined) heap.push({ x, y: s.heapUsedBytes - (s.codeBytes ?? 0) });
    if (s.rssBytes !== undefined) rss.push({ x, y: s.rssBytes });
  }
  return { heap, rss };
}

/** Size of each collection over the samples where the census saw it. */
export function collectionSeries(samples: Sample[], unit: WorkUnit, ids: string[]): Map<string, SeriesPoint[]> {
  const wanted = new Set(ids);
  const out = new Map<string, SeriesPoint[]>(ids.map((id) => [id, []]));
  for (const s of samples) {
    for (const c of s.collections ?? []) {
      if (wanted.has(c.id)) out.get(c.id)!.push({ x: workOf(s, unit), y: c.size });
    }
  }
  return out;
}

/**
 * The collections to chart: the report's own list, or (when the report has none) those that
 * grew most between their first and last sighting.
 */
export function chartedCollections(top: TopCollection[], samples: Sample[], limit = 5): { id: string; kind: string; name?: string }[] {
  if (top.length > 0) return top.slice(0, limit);
  const seen = new Map<string, { id: string; kind: string; name?: string; first: number; last: number }>();
  for (const s of samples) {
    for (const c of s.collections ?? []) {
      const entry = seen.get(c.id);
      if (entry) {
        entry.last = c.size;
        if (c.name) entry.name = c.name;
      } else {
        seen.set(c.id, { id: c.id, kind: c.kind, ...(c.name ? { name: c.name } : {}), first: c.size, last: c.size });
      }
    }
  }
  return [...seen.values()]
    .sort((a, b) => b.last - b.first - (a.last - a.first))
    .slice(0, limit)
    .map(({ id, kind, name }) => ({ id, kind, ...(name ? { name } : {}) }));
}

/** Phase bands in work units; each band runs to where the next phase starts, so they tile. */
export function phaseBands(phases: RunPhase[], samples: Sample[], unit: WorkUnit): { name: string; x0: number; x1: number }[] {
  const located = phases
    .map((p) => {
      const inPhase = samples.filter((s) => s.seq >= p.fromSeq && s.seq <= p.toSeq);
      if (inPhase.length === 0) return undefined;
      return { name: p.name, x0: workOf(inPhase[0]!, unit), x1: workOf(inPhase[inPhase.length - 1]!, unit) };
    })
    .filter((b): b is { name: string; x0: number; x1: number } => b !== undefined);
  return located.map((b, i) => ({ ...b, x1: Math.max(b.x1, located[i + 1]?.x0 ?? b.x1) }));
}
