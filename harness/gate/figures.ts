// The figures a budget is held against, read from one run: report.json where it has them (the
// heap estimate the verdict gave), samples.ndjson for the rest, over the same verdict window the
// scenario's expectations were judged on. report.json's topCollections are ranked over the whole
// run, warm-up included, so a cache that filled during warm-up would read as growth there.
import type { Sample, WorkUnit } from '../core/types.ts';
import { judgedSamples, rankGrowers, type Grower } from '../verdict/index.ts';
import type { RunReport } from '../report/model.ts';

/** The samples the run's verdicts judged (harness/verdict/window.ts decides which). */
export function verdictWindow(samples: readonly Sample[], verdictPhases?: readonly string[]): Sample[] {
  return judgedSamples(samples, verdictPhases);
}

/**
 * Growth per unit of a memory figure as its expectation estimated it, with its ~95 % interval:
 * 'heapUsedBytes' (heap-bounded) or 'rssBytes' (rss-bounded, for targets seen from /proc).
 */
export function bytesPerUnitOf(
  report: RunReport,
  metric: 'heapUsedBytes' | 'rssBytes',
): { value: number; interval: [number, number] } | undefined {
  const m = report.expectations.find((e) => e.metric?.metric === metric)?.metric;
  return m ? { value: m.slopePerUnit, interval: m.slopeInterval } : undefined;
}

/** Every followed collection's growth per unit over the verdict window, fastest first (the verdict's own ranking). */
export function collectionGrowth(window: readonly Sample[], unit: WorkUnit): Grower[] {
  return rankGrowers(window, unit, 50);
}

export interface Rate {
  count: number;
  units: number;
  perUnit: number;
}

/** Calls of an OpenCode route per unit of work between the first and last sample of the window. */
export function callsPerUnitOf(window: readonly Sample[], route: string, per: WorkUnit): Rate | undefined {
  const key = `opencode.${route}.calls`;
  // The mock lists only routes that were called: a sample with any opencode.* counter has the
  // accounting on, and a route missing from it was called 0 times so far.
  const accounted = (s: Sample) => Object.keys(s.counters ?? {}).some((k) => k.startsWith('opencode.'));
  const carrying = window.filter((s) => accounted(s) && s.work[per] !== undefined).sort((a, b) => a.seq - b.seq);
  const first = carrying[0];
  const last = carrying[carrying.length - 1];
  if (!first || !last) return undefined;
  const units = (last.work[per] ?? 0) - (first.work[per] ?? 0);
  if (!(units > 0)) return undefined;
  const count = (last.counters?.[key] ?? 0) - (first.counters?.[key] ?? 0);
  return { count, units, perUnit: count / units };
}

export interface Throughput {
  units: number;
  /** Wall time between the window's first and last sample, minus the harness's sampling pauses. */
  workSeconds: number;
  unitsPerSecond: number;
}

/**
 * Units of work per second of the verdict window, net of sampling: a sample's wallMs is taken
 * when it starts and its costMs (GCs, census) falls before the next one, so each interval's work
 * time is Δwall − cost of the earlier sample. The pauses grow with the heap and are the
 * harness's, not the target's.
 */
export function throughputOf(window: readonly Sample[], unit: WorkUnit): Throughput | undefined {
  const ordered = [...window].filter((s) => s.work[unit] !== undefined).sort((a, b) => a.seq - b.seq);
  let workMs = 0;
  for (let i = 1; i < ordered.length; i += 1) {
    const prev = ordered[i - 1]!;
    const cur = ordered[i]!;
    workMs += Math.max(0, cur.wallMs - prev.wallMs - (prev.costMs ?? 0));
  }
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (!first || !last) return undefined;
  const units = (last.work[unit] ?? 0) - (first.work[unit] ?? 0);
  if (!(units > 0) || !(workMs > 0)) return undefined;
  return { units, workSeconds: workMs / 1000, unitsPerSecond: units / (workMs / 1000) };
}
