// What a run that hit its time cap had observed: its samples.ndjson up to the cap. Not a verdict
// (no interval, no warm-up rule): the figures a maintainer reads while a longer run is pending.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PartialObservation {
  sessions: number;
  /** Heap change from the first to the last churn sample, per session in between. */
  heapBytesPerSession: number;
  /** The collection that grew most between those samples. */
  grower?: { name: string; kind: string; from: number; to: number };
}

interface SampleLine {
  phase: string;
  work: Record<string, number>;
  heapUsedBytes?: number;
  collections?: Array<{ id: string; name?: string; kind: string; size: number }>;
}

/** The newest run folder under `scenarioDir` that has samples, read as a partial observation. */
export function partialObservation(scenarioDir: string): PartialObservation | undefined {
  if (!existsSync(scenarioDir)) return undefined;
  const runs = readdirSync(scenarioDir)
    .sort()
    .reverse()
    .map((r) => join(scenarioDir, r, 'samples.ndjson'))
    .filter(existsSync);
  if (runs.length === 0) return undefined;
  const samples = readFileSync(runs[0]!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SampleLine)
    .filter((s) => s.phase === 'churn');
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || first === last) return undefined;
  const sessions = (last.work.session ?? 0) - (first.work.session ?? 0);
  if (sessions <= 0) return undefined;
  let grower: PartialObservation['grower'];
  for (const c of last.collections ?? []) {
    const before = first.collections?.find((b) => b.id === c.id)?.size ?? 0;
    if (c.size - before > (grower ? grower.to - grower.from : 0)) grower = { name: c.name ?? c.id, kind: c.kind, from: before, to: c.size };
  }
  return {
    sessions: last.work.session ?? 0,
    heapBytesPerSession: ((last.heapUsedBytes ?? 0) - (first.heapUsedBytes ?? 0)) / sessions,
    ...(grower ? { grower } : {}),
  };
}
