// The per-unit figures of one run that base-vs-head compares: heap bytes per unit, entries per
// unit of every named collection, throughput. Read from the run's samples, judged phases only.
import type { Sample, WorkUnit } from '../core/types.ts';
import { judgedSamples, theilSen } from '../verdict/index.ts';

export interface RunFigures {
  /** Post-GC heap net of compiled code, slope against work. */
  heapBytesPerUnit?: number;
  /** Named collections (census names), slope of their size against work. */
  entriesPerUnit: Record<string, number>;
  /** Units of work per wall-clock second in the judged window (sampling time included). */
  unitsPerSecond?: number;
}

export function runFigures(samples: Sample[], unit: WorkUnit, judged?: string[]): RunFigures {
  const window = judgedSamples(samples, judged);
  const x = (s: Sample) => s.work[unit] ?? 0;
  // Targets observed from /proc only (--command) have no heap figure.
  const heapPoints = window.flatMap((s) => (s.heapUsedBytes === undefined ? [] : [{ x: x(s), y: s.heapUsedBytes - (s.codeBytes ?? 0) }]));
  const heap = theilSen(heapPoints, { correctAutocorrelation: false });
  const byName = new Map<string, { x: number; y: number }[]>();
  for (const s of window) {
    const sizes = new Map<string, number>();
    for (const c of s.collections ?? []) if (c.name) sizes.set(c.name, (sizes.get(c.name) ?? 0) + c.size);
    for (const [name, size] of sizes) {
      const pts = byName.get(name) ?? [];
      pts.push({ x: x(s), y: size });
      byName.set(name, pts);
    }
  }
  const entriesPerUnit: Record<string, number> = {};
  for (const [name, pts] of byName) {
    const fit = theilSen(pts, { correctAutocorrelation: false });
    if (fit) entriesPerUnit[name] = fit.slope;
  }
  const first = window[0];
  const last = window[window.length - 1];
  const seconds = first && last ? (last.wallMs - first.wallMs) / 1000 : 0;
  return {
    ...(heap ? { heapBytesPerUnit: heap.slope } : {}),
    entriesPerUnit,
    ...(first && last && seconds > 0 ? { unitsPerSecond: (x(last) - x(first)) / seconds } : {}),
  };
}
