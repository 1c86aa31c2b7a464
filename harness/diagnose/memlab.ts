// The one place that touches memlab: its global config, snapshot loading, shortest retainer
// paths, and its unbound-collection analysis. memlab keeps process-wide state (config, log
// files, working directory), so every use goes through `withMemlab`, one at a time.
import memlabCore from '@memlab/core';
import type { IHeapNode, IHeapSnapshot, LeakTracePathItem } from '@memlab/core';
import unboundModule from '@memlab/heap-analysis/dist/plugins/CollectionUnboundGrowthAnalysis.js';

const { config, utils, info, TraceFinder, ErrorHandling } = memlabCore;

let configured = false;
function configureOnce(): void {
  if (configured) return;
  configured = true;
  // memlab's default on an error is process.exit(1): it must never end the harness.
  config.errorHandling = ErrorHandling.Throw;
  // Its progress lines go to stdout; the harness owns the terminal.
  config.muteConsole = true;
  config.verbose = false;
}

let queue: Promise<unknown> = Promise.resolve();
/** Run `job` when no other memlab job is running (memlab's config and logs are global). */
export function withMemlab<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(() => {
    configureOnce();
    return job();
  });
  queue = run.catch(() => undefined);
  return run;
}

export type { IHeapNode, IHeapSnapshot };

export interface LoadedHeap {
  snapshot: IHeapSnapshot;
  /** Shortest path from a GC root to `node`, root first; [] when unreachable. */
  pathTo(node: IHeapNode): { node: IHeapNode; edgeName?: string; edgeType?: string }[];
}

/** Parse a snapshot with the node-id index, dominators (retained sizes) and shortest paths. */
export async function loadHeap(file: string): Promise<LoadedHeap> {
  const snapshot = await utils.getSnapshotFromFile(file, { buildNodeIdIndex: true, verbose: false });
  const finder = new TraceFinder();
  finder.calculateAllNodesRetainedSizes(snapshot);
  finder.annotateShortestPaths(snapshot);
  return {
    snapshot,
    pathTo(node) {
      const hops: { node: IHeapNode; edgeName?: string; edgeType?: string }[] = [];
      // memlab's path is a linked list: root node, edge, next node, edge, ..., node.
      let item: LeakTracePathItem | null | undefined = finder.getPathToGCRoots(snapshot, node);
      let pendingEdge: { name: string; type: string } | undefined;
      while (item) {
        if (item.node) {
          hops.push(pendingEdge ? { node: item.node, edgeName: pendingEdge.name, edgeType: pendingEdge.type } : { node: item.node });
          pendingEdge = undefined;
        }
        if (item.edge) pendingEdge = { name: String(item.edge.name_or_index), type: item.edge.type };
        item = item.next;
      }
      return hops;
    },
  };
}

/** Outgoing edges of a Map/Set's backing table: memlab's measure of a collection's size. */
export function collectionFanout(node: IHeapNode): number {
  return node.getReferenceNode('table')?.edge_count ?? 0;
}

/** What memlab's unbound-collection analysis leaves behind: its CSV and its console log. */
export interface UnboundRawOutput {
  csv: string | undefined;
  log: string;
}

/**
 * Run memlab's `unbound-collection` analysis on a directory of `s<N>.heapsnapshot` files.
 * It writes its findings as CSV (only when something grew) and a console log, under workDir.
 */
export async function runUnboundCollection(snapshotDir: string, workDir: string): Promise<UnboundRawOutput> {
  const fs = await import('node:fs');
  // Node hands a CJS module's exports to a default import; vitest's loader unwraps `.default`.
  type AnalysisClass = typeof unboundModule.default;
  const Analysis: AnalysisClass =
    typeof unboundModule === 'function' ? (unboundModule as unknown as AnalysisClass) : unboundModule.default;
  const analysis = new Analysis();
  try {
    const { analysisOutputFile } = await analysis.analyzeSnapshotsInDirectory(snapshotDir, { workDir });
    const csvFile = config.unboundObjectCSV;
    const csv = fs.existsSync(csvFile) ? fs.readFileSync(csvFile, 'utf8') : undefined;
    const log = fs.existsSync(analysisOutputFile) ? fs.readFileSync(analysisOutputFile, 'utf8') : '';
    return { csv, log };
  } finally {
    // The analysis registered a log file under workDir; the caller deletes workDir.
    info.unregisterLogFile(config.consoleLogFile);
  }
}
