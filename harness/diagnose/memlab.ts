// The one place that touches memlab: its global config, snapshot loading, shortest retainer
// paths, and its unbound-collection analysis. memlab keeps process-wide state (config, log
// files, working directory), so every use goes through `withMemlab`, one at a time.
// memlab is an optional peer (its packages depend on puppeteer, whose install downloads a
// browser), so it is imported on the first diagnosis only, with a message saying how to add it.
import type { IHeapNode, IHeapSnapshot, LeakTracePathItem } from '@memlab/core';
import type unboundModuleType from '@memlab/heap-analysis/dist/plugins/CollectionUnboundGrowthAnalysis.js';

type MemlabCore = typeof import('@memlab/core');
interface Memlab {
  core: MemlabCore;
  unbound: typeof unboundModuleType;
}

/** What to run when memlab is not installed; PUPPETEER_SKIP_DOWNLOAD keeps its browser out. */
export const MEMLAB_INSTALL_HINT = 'PUPPETEER_SKIP_DOWNLOAD=1 npm install -D @memlab/core@2.0.5 @memlab/heap-analysis@2.0.5';

let loaded: Memlab | undefined;
async function loadMemlab(): Promise<Memlab> {
  if (loaded) return loaded;
  let core: MemlabCore;
  let unbound: typeof unboundModuleType;
  try {
    // A CommonJS package marked __esModule: Node hands module.exports over as `default`, tsx (the
    // CLI on the sources) its named exports with no `default`; take either (runAnalysis does the same).
    const coreNs = (await import('@memlab/core')) as unknown as MemlabCore & { default?: MemlabCore };
    core = coreNs.default?.config ? coreNs.default : coreNs;
    unbound = (await import('@memlab/heap-analysis/dist/plugins/CollectionUnboundGrowthAnalysis.js')).default;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(
      `retainer paths need memlab, which is not installed (an optional peer of churnlab); add it with: ${MEMLAB_INSTALL_HINT}`,
    );
  }
  // memlab's default on an error is process.exit(1): it must never end the harness.
  core.config.errorHandling = core.ErrorHandling.Throw;
  // Its progress lines go to stdout; the harness owns the terminal.
  core.config.muteConsole = true;
  core.config.verbose = false;
  loaded = { core, unbound };
  return loaded;
}

/** memlab as loaded by the running `withMemlab` job. */
function memlab(): Memlab {
  if (!loaded) throw new Error('memlab used outside withMemlab()');
  return loaded;
}

let queue: Promise<unknown> = Promise.resolve();
/** Run `job` when no other memlab job is running (memlab's config and logs are global). */
export function withMemlab<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    await loadMemlab();
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

/** Parse a snapshot as it is (no node-id index, no retained sizes): the cheapest full read. */
export async function loadSnapshot(file: string): Promise<IHeapSnapshot> {
  return memlab().core.utils.getSnapshotFromFile(file, { buildNodeIdIndex: false, verbose: false });
}

/** Parse a snapshot with the node-id index, dominators (retained sizes) and shortest paths. */
export async function loadHeap(file: string): Promise<LoadedHeap> {
  const { utils, TraceFinder } = memlab().core;
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
  const { core, unbound } = memlab();
  const { config, info } = core;
  type AnalysisClass = typeof unboundModuleType.default;
  const Analysis: AnalysisClass = typeof unbound === 'function' ? (unbound as unknown as AnalysisClass) : unbound.default;
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
