// Diagnose suspected collections in heap snapshots taken after a leak verdict: where each one
// is held from (shortest retainer path to a GC root, via memlab) and, with several snapshots,
// which collections memlab sees growing across them.
import type { DiagnosedCollection, Diagnosis, GrowingCollection, Suspect } from './model.ts';
import { loadHeap, withMemlab, type IHeapNode, type LoadedHeap } from './memlab.ts';
import { entriesInSnapshot } from './entries.ts';
import { collectionLabel, holderName, readablePath, retainerSummary, toSteps } from './paths.ts';
import { growthAcrossSnapshots } from './growth.ts';

export type { Diagnosis, Suspect } from './model.ts';

export interface DiagnoseOptions {
  /** Where memlab may keep its scratch files (removed afterwards). Default: the OS temp dir. */
  scratchDir?: string;
}

/**
 * Locate each suspect in the last snapshot and explain what holds it; with >= 2 snapshots also
 * run memlab's unbound-collection check. Failures of one step become notes, not exceptions:
 * the run's verdict is already decided and its report must still be written.
 */
export async function diagnoseCollections(snapshotFiles: string[], suspects: Suspect[], options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const notes: string[] = [];
  const last = snapshotFiles[snapshotFiles.length - 1];
  if (last === undefined) {
    return { snapshots: [], collections: suspects.map(notFound), notes: ['No heap snapshot was given.'] };
  }
  return withMemlab(async () => {
    let growthMs: number | undefined;
    let growing: Diagnosis['growingAcrossSnapshots'];
    // Growth first: memlab loads and drops each snapshot, so it never shares memory with ours.
    if (snapshotFiles.length >= 2) {
      const t = performance.now();
      const growth = await growthAcrossSnapshots(snapshotFiles, options.scratchDir);
      growthMs = performance.now() - t;
      growing = growth.rows;
      notes.push(...growth.notes);
    } else {
      notes.push('One snapshot: no growth check across snapshots (it needs 2, better 3 or more).');
    }

    const t0 = performance.now();
    let heap: LoadedHeap;
    try {
      heap = await loadHeap(last);
    } catch (error) {
      notes.push(`Could not load ${last}: ${(error as Error).message}`);
      return {
        snapshots: snapshotFiles,
        collections: suspects.map(notFound),
        ...(growing ? { growingAcrossSnapshots: growing } : {}),
        notes,
      };
    }
    const loadMs = performance.now() - t0;

    const t1 = performance.now();
    const collections = suspects.map((suspect) => diagnoseOne(heap, suspect, notes));
    if (growing) {
      const suspectIds = new Set(suspects.map((s) => normaliseId(s.id)));
      for (const row of growing) {
        row.suspect = suspectIds.has(row.id);
        nameGrower(heap, row);
      }
      for (const c of collections) {
        if (c.found && !growing.some((g) => g.id === c.id)) {
          notes.push(
            `memlab saw no growth of ${c.id}${c.name ? ` (${c.name})` : ''} across the snapshots (it tracks collections present in the first snapshot, the 20 largest that changed).`,
          );
        }
      }
    }
    const pathsMs = performance.now() - t1;
    return {
      snapshots: snapshotFiles,
      collections,
      ...(growing ? { growingAcrossSnapshots: growing } : {}),
      notes,
      timing: {
        loadMs: Math.round(loadMs),
        pathsMs: Math.round(pathsMs),
        ...(growthMs !== undefined ? { growthMs: Math.round(growthMs) } : {}),
      },
    };
  });
}

function diagnoseOne(heap: LoadedHeap, suspect: Suspect, notes: string[]): DiagnosedCollection {
  let node = nodeById(heap, suspect.id);
  let foundBy: 'id' | 'name' = 'id';
  if (node && !kindMatches(node, suspect.kind)) {
    notes.push(`${suspect.id} is ${node.name ? `a ${node.name}` : `a ${node.type} node`} in the snapshot, not a ${suspect.kind}.`);
    node = undefined;
  }
  if (!node && suspect.name) {
    node = findByName(heap, suspect.name, suspect.kind);
    foundBy = 'name';
    if (node) notes.push(`${suspect.id} was not in the last snapshot; found ${suspect.kind} ${suspect.name} by name as @${node.id}.`);
  }
  if (!node) {
    notes.push(`${suspect.id}${suspect.name ? ` (${suspect.name})` : ''} was not found in the last snapshot.`);
    return notFound(suspect);
  }
  const steps = toSteps(heap.pathTo(node));
  const fromSnapshot = entriesInSnapshot(node);
  const entries = suspect.size ?? fromSnapshot;
  const retainedBytes = node.retainedSize > 0 ? node.retainedSize : undefined;
  const label = collectionLabel(node.name, entries, retainedBytes);
  const name = suspect.name ?? holderName(steps);
  const summary = retainerSummary(steps, label);
  if (steps.length === 0) notes.push(`@${node.id} has no path to a GC root (only weakly held?).`);
  return {
    id: `@${node.id}`,
    ...(name ? { name } : {}),
    kind: suspect.kind,
    found: true,
    foundBy,
    ...(entries !== undefined ? { entries, entriesSource: suspect.size !== undefined ? 'census' : 'snapshot' } : {}),
    ...(retainedBytes !== undefined ? { retainedBytes } : {}),
    retainerPath: readablePath(steps, label),
    ...(summary ? { retainerSummary: summary } : {}),
    steps,
  } satisfies DiagnosedCollection;
}

function notFound(suspect: Suspect): DiagnosedCollection {
  return {
    id: normaliseId(suspect.id),
    ...(suspect.name ? { name: suspect.name } : {}),
    kind: suspect.kind,
    found: false,
    ...(suspect.size !== undefined ? { entries: suspect.size, entriesSource: 'census' as const } : {}),
    retainerPath: [],
    steps: [],
  };
}

function normaliseId(id: string): string {
  return id.startsWith('@') ? id : `@${id}`;
}

function nodeById(heap: LoadedHeap, id: string): IHeapNode | undefined {
  const n = Number(normaliseId(id).slice(1));
  if (!Number.isSafeInteger(n)) return undefined;
  return heap.snapshot.getNodeById(n) ?? undefined;
}

/** A growing collection's holder name and retainer summary, from its path in the (last) snapshot. */
export function nameGrower(heap: LoadedHeap, row: GrowingCollection): void {
  const node = nodeById(heap, row.id);
  if (!node) return;
  const steps = toSteps(heap.pathTo(node));
  const name = holderName(steps);
  if (name) row.name = name;
  const summary = retainerSummary(steps, collectionLabel(node.name, entriesInSnapshot(node), node.retainedSize));
  if (summary) row.retainerSummary = summary;
}

function kindMatches(node: IHeapNode, kind: string): boolean {
  return node.name === kind || (kind === 'Array' && node.type === 'object' && node.name === 'Array');
}

/**
 * The census id may be stale (another process, or the object was replaced); fall back to the
 * variable or property name: the largest `kind` reached by an edge of that name.
 */
function findByName(heap: LoadedHeap, name: string, kind: string): IHeapNode | undefined {
  const edgeName = name.split('.').pop() ?? name;
  let best: IHeapNode | undefined;
  heap.snapshot.nodes.forEach((node) => {
    for (const edge of node.references) {
      if ((edge.type === 'context' || edge.type === 'property') && edge.name_or_index === edgeName && kindMatches(edge.toNode, kind)) {
        if (!best || edge.toNode.retainedSize > best.retainedSize) best = edge.toNode;
      }
    }
  });
  return best;
}
