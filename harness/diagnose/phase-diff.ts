// What was retained between two phase boundaries: heap snapshots taken at the start of two
// phases (--snapshot-at), compared by class (count and bytes added), with the commonest retainer
// paths of the new instances of the biggest growers, and memlab's unbound-collection check.
import { PROFILE_DEFAULTS } from '../core/defaults.ts';
import type { GrowingCollection } from './model.ts';
import { loadHeap, loadSnapshot, withMemlab, type IHeapNode, type LoadedHeap } from './memlab.ts';
import { growthAcrossSnapshots } from './growth.ts';
import { nameGrower } from './retainers.ts';
import { readablePath, toSteps } from './paths.ts';

export interface SnapshotAt {
  /** The phase at whose start the snapshot was taken, or 'end' (after the workload). */
  phase: string;
  /** File name inside the run directory. */
  file: string;
  /** Work done when it was taken, in the scenario's unit. */
  units: number;
}

export interface RetainerGroup {
  /** How many of the sampled new instances are held this way. */
  instances: number;
  /** One line per hop, GC root first, indices shown as [n]. */
  path: string[];
}

export interface ClassGrowth {
  /** Constructor name for objects, "(string)", "(closure)", "(array)" ... for V8's other kinds. */
  className: string;
  countBefore: number;
  countAfter: number;
  countAdded: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Shallow (self) bytes added. */
  bytesAdded: number;
  /** Per unit of work between the two snapshots. */
  countPerUnit: number;
  bytesPerUnit: number;
  /** Only for the biggest growers: how their new instances are held, commonest first. */
  retainers?: RetainerGroup[];
  /** Instances whose path was looked at (a sample of the new ones). */
  pathsSampled?: number;
}

export type PhaseDiff =
  | {
      status: 'diffed';
      from: SnapshotAt;
      to: SnapshotAt;
      unitsBetween: number;
      classes: ClassGrowth[];
      /** memlab unbound-collection over the two snapshots, with holders. */
      growingCollections: GrowingCollection[];
      notes: string[];
      timing: { diffMs: number; growthMs: number };
    }
  | { status: 'failed'; from?: SnapshotAt; to?: SnapshotAt; reason: string };

interface Tally {
  count: number;
  bytes: number;
}

/** Node types that are V8's bookkeeping, not the program's data. */
const SKIPPED_TYPES = new Set(['synthetic', 'hidden', 'code', 'object shape']);

function classOf(node: IHeapNode): string | undefined {
  if (SKIPPED_TYPES.has(node.type)) return undefined;
  if (node.type === 'object' || node.type === 'native') return node.name || '(object)';
  if (node.type.includes('string')) return '(string)';
  return `(${node.type})`;
}

function tally(snapshot: LoadedHeap['snapshot']): Map<string, Tally> {
  const byClass = new Map<string, Tally>();
  snapshot.nodes.forEach((node: IHeapNode) => {
    const key = classOf(node);
    if (key === undefined) return;
    const t = byClass.get(key) ?? { count: 0, bytes: 0 };
    t.count += 1;
    t.bytes += node.self_size;
    byClass.set(key, t);
  });
  return byClass;
}

/** Retainer lines without the per-instance parts (indices, sizes), so equal paths group. */
function normalisedPath(heap: LoadedHeap, node: IHeapNode): string[] {
  return readablePath(toSteps(heap.pathTo(node))).map((line) => line.replace(/\[\d+\]/g, '[n]').replace(/‹\d+›/g, '‹n›'));
}

export interface DiffOptions {
  scratchDir?: string;
  topClasses?: number;
  pathClasses?: number;
  pathSamples?: number;
}

/** Compare two snapshots of one process (V8 keeps node ids across its snapshots). */
export async function diffSnapshots(dir: string, from: SnapshotAt, to: SnapshotAt, options: DiffOptions = {}): Promise<PhaseDiff> {
  const topClasses = options.topClasses ?? PROFILE_DEFAULTS.diffTopClasses;
  const pathClasses = options.pathClasses ?? PROFILE_DEFAULTS.diffPathClasses;
  const pathSamples = options.pathSamples ?? PROFILE_DEFAULTS.diffPathSamples;
  const fromFile = `${dir}/${from.file}`;
  const toFile = `${dir}/${to.file}`;
  const unitsBetween = to.units - from.units;
  return withMemlab(async () => {
    const notes: string[] = [];
    const t0 = performance.now();
    // Growth first: memlab loads and drops each snapshot, so it never shares memory with ours.
    const growth = await growthAcrossSnapshots([fromFile, toFile], options.scratchDir);
    notes.push(...growth.notes);
    const growthMs = performance.now() - t0;

    const t1 = performance.now();
    const { before, seen } = await readFirstSnapshot(fromFile);
    const heap = await loadHeap(toFile);
    const classes = classGrowth(before, tally(heap.snapshot), unitsBetween, topClasses);
    sampleRetainers(heap, classes, seen, pathClasses, pathSamples);

    const growing = growth.rows;
    for (const row of growing) nameGrower(heap, row);
    if (unitsBetween <= 0) notes.push('No work was done between the two snapshots: per-unit figures are 0.');
    notes.push('Bytes are shallow (each object itself); a snapshot forces a full GC first, so only reachable objects count.');
    return {
      status: 'diffed' as const,
      from,
      to,
      unitsBetween,
      classes,
      growingCollections: growing,
      notes,
      timing: { diffMs: Math.round(performance.now() - t1), growthMs: Math.round(growthMs) },
    };
  }).catch((error: unknown) => ({ status: 'failed' as const, from, to, reason: (error as Error).message }));
}

/** The first snapshot's tally per class and its node ids; the snapshot itself is dropped at once. */
async function readFirstSnapshot(file: string): Promise<{ before: Map<string, Tally>; seen: Set<number> }> {
  const seen = new Set<number>();
  const a = await loadSnapshot(file);
  const before = tally(a);
  a.nodes.forEach((n: IHeapNode) => {
    seen.add(n.id);
  });
  return { before, seen };
}

/** Classes that grew between the tallies, the most bytes added first. */
function classGrowth(before: Map<string, Tally>, after: Map<string, Tally>, unitsBetween: number, topClasses: number): ClassGrowth[] {
  const per = (x: number) => (unitsBetween > 0 ? x / unitsBetween : 0);
  return [...after.entries()]
    .map(([className, t]) => {
      const b = before.get(className) ?? { count: 0, bytes: 0 };
      return {
        className,
        countBefore: b.count,
        countAfter: t.count,
        countAdded: t.count - b.count,
        bytesBefore: b.bytes,
        bytesAfter: t.bytes,
        bytesAdded: t.bytes - b.bytes,
        countPerUnit: per(t.count - b.count),
        bytesPerUnit: per(t.bytes - b.bytes),
      };
    })
    .filter((c) => c.bytesAdded > 0 || c.countAdded > 0)
    .sort((x, y) => y.bytesAdded - x.bytesAdded)
    .slice(0, topClasses);
}

/** Retainer paths of new instances (ids absent from the first snapshot) of the top growers, grouped by path. */
function sampleRetainers(heap: LoadedHeap, classes: ClassGrowth[], seen: Set<number>, pathClasses: number, pathSamples: number): void {
  const wanted = new Map(
    classes
      .filter((c) => c.countAdded > 0)
      .slice(0, pathClasses)
      .map((c) => [c.className, [] as IHeapNode[]]),
  );
  heap.snapshot.nodes.forEach((node: IHeapNode) => {
    if (seen.has(node.id)) return;
    const list = wanted.get(classOf(node) ?? '');
    if (list && list.length < pathSamples) list.push(node);
  });
  for (const c of classes) {
    const nodes = wanted.get(c.className);
    if (!nodes) continue;
    const groups = new Map<string, RetainerGroup>();
    for (const node of nodes) {
      const path = normalisedPath(heap, node);
      if (path.length === 0) continue;
      const key = path.join('\n');
      const g = groups.get(key) ?? { instances: 0, path };
      g.instances += 1;
      groups.set(key, g);
    }
    c.retainers = [...groups.values()].sort((x, y) => y.instances - x.instances).slice(0, 3);
    c.pathsSampled = nodes.length;
  }
}
