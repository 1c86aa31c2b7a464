// From samples to series: one metric against cumulative work of one unit.
// A sample without a work count for the unit is skipped (it cannot be placed on the x axis), and
// so is a sample that does not carry the metric: a collection absent from a census top-N list is
// a gap, never a zero.
import type { CollectionStat, Sample, SeriesPoint, WorkUnit } from '../core/types.ts';
import { theilSen } from './theil-sen.ts';
import { settlingPoints, settlingShare } from './window.ts';

/** A timer/handle figure: ref'd timers, unref'd timers, all ref'd resources, or one resource type. */
export type HandleKey = 'refedTimers' | 'unrefedTimers' | 'refedTotal' | (string & {});

function seriesOf(samples: readonly Sample[], unit: WorkUnit, read: (s: Sample) => number | undefined): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const s of samples) {
    const x = s.work[unit];
    if (x === undefined || !Number.isFinite(x)) continue;
    const y = read(s);
    if (y === undefined || !Number.isFinite(y)) continue;
    out.push({ x, y });
  }
  return out;
}

/** Post-GC used heap against work. */
/** Used heap excluding compiled code (see Sample.codeBytes): where data, and so leaks, live. */
export function heapSeries(samples: readonly Sample[], unit: WorkUnit): SeriesPoint[] {
  return seriesOf(samples, unit, (s) => (s.heapUsedBytes === undefined ? undefined : s.heapUsedBytes - (s.codeBytes ?? 0)));
}

/** Resident set size against work (the only memory figure of a target observed from /proc alone). */
export function rssSeries(samples: readonly Sample[], unit: WorkUnit): SeriesPoint[] {
  return seriesOf(samples, unit, (s) => s.rssBytes);
}

/** One collection's size by its stable id; samples where it is not in the census list are gaps. */
export function collectionSeries(samples: readonly Sample[], unit: WorkUnit, id: string): SeriesPoint[] {
  return seriesOf(samples, unit, (s) => s.collections?.find((c) => c.id === id)?.size);
}

/**
 * Handles against work. `refed` is a complete listing, so a resource type missing from a sample
 * that has handle data is 0; a sample with no handle data at all is a gap.
 */
export function handleSeries(samples: readonly Sample[], unit: WorkUnit, key: HandleKey): SeriesPoint[] {
  return seriesOf(samples, unit, (s) => {
    const h = s.handles;
    if (!h) return undefined;
    if (key === 'refedTimers') return h.refedTimers;
    if (key === 'unrefedTimers') return h.unrefedTimers;
    if (key === 'refedTotal') return Object.values(h.refed).reduce((a, b) => a + b, 0);
    return h.refed[key] ?? 0;
  });
}

/** A free-form counter; samples without it are gaps. */
export function counterSeries(samples: readonly Sample[], unit: WorkUnit, name: string): SeriesPoint[] {
  return seriesOf(samples, unit, (s) => s.counters?.[name]);
}

export interface Grower {
  id: string;
  kind: CollectionStat['kind'];
  name?: string;
  firstSize: number;
  lastSize: number;
  /** The largest size seen: a periodically trimmed collection may end below where it started. */
  maxSize: number;
  /** Theil–Sen growth per unit over the collection's samples after warm-up. */
  slopePerUnit: number;
}

/**
 * Collections ranked by growth per unit, largest first (ties: larger last size, then id), for
 * "which Map grows". The leading warm-up share of each collection's own samples is skipped, as
 * in verdicts; collections seen in fewer than 2 samples with work counts cannot be ranked.
 */
export function rankGrowers(samples: readonly Sample[], unit: WorkUnit, topN: number, opts: { warmupFraction?: number } = {}): Grower[] {
  const share = settlingShare(opts.warmupFraction);
  const seen = new Map<string, { kind: CollectionStat['kind']; name?: string; points: SeriesPoint[] }>();
  for (const s of samples) {
    const x = s.work[unit];
    if (x === undefined || !Number.isFinite(x)) continue;
    for (const c of s.collections ?? []) {
      if (!Number.isFinite(c.size)) continue;
      let entry = seen.get(c.id);
      if (!entry) {
        entry = { kind: c.kind, points: [] };
        seen.set(c.id, entry);
      }
      if (c.name) entry.name = c.name; // the latest name found wins
      entry.points.push({ x, y: c.size });
    }
  }
  const growers: Grower[] = [];
  for (const [id, entry] of seen) {
    const points = entry.points;
    const used = points.slice(settlingPoints(points.length, share));
    const fit = theilSen(used.length >= 2 ? used : points);
    if (!fit) continue;
    const grower: Grower = {
      id,
      kind: entry.kind,
      firstSize: (points[0] as SeriesPoint).y,
      lastSize: (points[points.length - 1] as SeriesPoint).y,
      maxSize: points.reduce((max, p) => Math.max(max, p.y), 0),
      slopePerUnit: fit.slope,
    };
    if (entry.name !== undefined) grower.name = entry.name;
    growers.push(grower);
  }
  growers.sort((a, b) => b.slopePerUnit - a.slopePerUnit || b.lastSize - a.lastSize || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return growers.slice(0, Math.max(0, topN));
}
