// Collection census from outside the target's heap: every live Map and Set with its size,
// the largest ones (and every named one) followed by a stable id across samples.
//
// A discovering census: Runtime.queryObjects on Map.prototype and Set.prototype (each forces a
// full GC and returns an array of every live instance), ONE Runtime.callFunctionOn that reads all
// sizes and picks the top N, then the object group is released. The censuses in between (see
// discoverEvery) make only the callFunctionOn, on the followed collections. Names come from a bounded walk of
// the host's roots (census-names.ts), done only when new collections need one or a discovery
// still finds followed ones unnamed.
//
// Identity. HeapProfiler.getHeapObjectId answers "0" for any object until a heap snapshot was
// taken or heap-object tracking is on, and tracking makes V8 run a full GC every 50 ms (measured
// on Node 20: 39 GCs in 2 s). So identity is kept by one WeakRef per tracked collection, in an
// array held by a persistent object group: a constant few KB in the target (at most maxTracked
// WeakRefs), no change to what is reachable, no tagging of the collections themselves. Ids are
// "#<n>", stable for the life of the census; snapshotIds() maps them to heap-snapshot ids
// ("@12345") once a snapshot has been taken (for diagnosis).
import { DEFAULTS } from '../core/defaults.ts';
import type { CollectionStat } from '../core/types.ts';
import type { CdpSession } from '../wire/cdp.ts';
import { DEFAULT_WALK_LIMITS, findNamedCollections, type CollectionKind, type FoundCollection, type WalkLimits } from './census-names.ts';
import { CENSUS_FN, DEREF_FN, MATCH_FN } from './census-remote.ts';

export interface CensusOptions {
  /** Untracked collections smaller than this are not followed. */
  minSize?: number;
  /** Largest collections adopted for tracking at each census. */
  topN?: number;
  /** Most collections followed at once (WeakRefs in the target); default 4 x topN. */
  maxTracked?: number;
  /**
   * Look for new collections (queryObjects) on the first census that may, then after this many
   * censuses, the gap doubling after each discovery up to `maxDiscoverGap`; the others read the
   * followed ones. A collection that grows is adopted at the first discovery after it is among
   * the largest, and the ones a run cares about exist early, so later looks can be rarer.
   */
  discoverEvery?: number;
  /** Most censuses between two discoveries. */
  maxDiscoverGap?: number;
  walk?: Partial<WalkLimits>;
}

export interface CensusCost {
  totalMs: number;
  /** queryObjects on Map.prototype and Set.prototype (includes their forced GCs); 0 when not discovering. */
  queryMs: number;
  /** This census looked for new collections (queryObjects); otherwise it read the followed ones only. */
  discovered: boolean;
  /** The one callFunctionOn reading sizes. */
  sizesMs: number;
  /** Name walk + match, when it ran. */
  namesMs: number;
  walked: boolean;
  inspected: number;
  maps: number;
  sets: number;
  candidates: number;
  tracked: number;
}

export interface TakeOptions {
  /**
   * false: read the followed collections only, never discover (priming: nothing the workload
   * made exists yet, and a discovery costs as much as several reads). Default true.
   */
  lookForNew?: boolean;
  /**
   * The caller ran a full GC just before (the sampler reads the post-GC heap first). Otherwise a
   * census that does not query the heap runs one itself, so a dropped collection reads as gone.
   */
  afterFullGc?: boolean;
}

export interface Census {
  take(options?: TakeOptions): Promise<CollectionStat[]>;
  lastCost(): CensusCost | undefined;
  /** Tracked id -> heap snapshot id ("@12345"), for collections V8 has an id for (after a snapshot). */
  snapshotIds(): Promise<Record<string, string>>;
  /** Release everything the census holds in the target. */
  dispose(): Promise<void>;
}

interface RemoteObject {
  objectId?: string;
  value?: unknown;
}

interface Tracked {
  id: string;
  kind: CollectionKind;
  name?: string;
  nameSource?: 'scope' | 'property';
  firstSize: number;
  size: number;
  /** Reached minSize or changed size once: reported from then on (continuous series). */
  reportable: boolean;
  /** A name walk has run since it was adopted. */
  walked: boolean;
}

interface CensusResult {
  sizes: number[];
  added: [CollectionKind, number][];
  maps: number;
  sets: number;
  candidates: number;
}

let censusCount = 0;

interface Handles {
  mapProto: string;
  setProto: string;
  tracked: string;
}

/** Everything one census holds between takes, shared by the steps below. */
interface CensusState {
  readonly cdp: CdpSession;
  readonly minSize: number;
  readonly topN: number;
  readonly maxTracked: number;
  readonly discoverEvery: number;
  readonly maxDiscoverGap: number;
  readonly walkLimits: WalkLimits;
  readonly group: string;
  readonly keepGroup: string;
  readonly namesGroup: string;
  handles: Handles | undefined;
  records: Tracked[];
  pendingDrop: number[];
  nextId: number;
  takes: number;
  discoveries: number;
  takesSinceDiscovery: number;
  cost: CensusCost | undefined;
}

/** What the sizes step of one take found, before the name walk. */
interface SizesStep {
  res: CensusResult;
  discovered: boolean;
  queryMs: number;
}

export function createCensus(cdp: CdpSession, options: CensusOptions = {}): Census {
  const s = createCensusState(cdp, options);
  return {
    take: (takeOptions: TakeOptions = {}) => take(s, takeOptions),
    lastCost: () => s.cost,
    snapshotIds: () => snapshotIds(s),
    dispose: () => dispose(s),
  };
}

function createCensusState(cdp: CdpSession, options: CensusOptions): CensusState {
  const topN = options.topN ?? DEFAULTS.censusTopN;
  const n = ++censusCount;
  return {
    cdp,
    minSize: options.minSize ?? DEFAULTS.censusMinSize,
    topN,
    maxTracked: Math.max(options.maxTracked ?? topN * 4, topN),
    discoverEvery: Math.max(1, Math.floor(options.discoverEvery ?? DEFAULTS.censusDiscoverEvery)),
    maxDiscoverGap: Math.max(1, Math.floor(options.maxDiscoverGap ?? DEFAULTS.censusMaxDiscoverGap)),
    walkLimits: { ...DEFAULT_WALK_LIMITS, ...options.walk },
    group: `churnlab-census-${n}`,
    keepGroup: `churnlab-census-keep-${n}`,
    namesGroup: `churnlab-names-${n}`,
    handles: undefined,
    records: [],
    pendingDrop: [],
    nextId: 1,
    takes: 0,
    discoveries: 0,
    takesSinceDiscovery: 0,
    cost: undefined,
  };
}

function releaseGroup(s: CensusState, objectGroup: string): Promise<unknown> {
  return s.cdp.send('Runtime.releaseObjectGroup', { objectGroup }).catch(() => {});
}

async function evaluate(s: CensusState, expression: string, objectGroup: string): Promise<string> {
  const r = await s.cdp.send<{ result: RemoteObject }>('Runtime.evaluate', { expression, objectGroup, silent: true });
  if (!r.result.objectId) throw new Error(`census: ${expression} gave no object`);
  return r.result.objectId;
}

async function init(s: CensusState): Promise<Handles> {
  s.handles ??= {
    mapProto: await evaluate(s, 'Map.prototype', s.keepGroup),
    setProto: await evaluate(s, 'Set.prototype', s.keepGroup),
    tracked: await evaluate(s, '[]', s.keepGroup),
  };
  return s.handles;
}

function adopt(s: CensusState, kind: CollectionKind, size: number): Tracked {
  const t: Tracked = { id: `#${s.nextId++}`, kind, firstSize: size, size, reportable: size >= s.minSize, walked: false };
  s.records.push(t);
  return t;
}

function setSize(s: CensusState, t: Tracked, size: number): void {
  t.size = size;
  if (size >= s.minSize || size !== t.firstSize) t.reportable = true;
}

/**
 * One CENSUS_FN call (drop, read sizes, compact, adopt from `found` when given) and the same
 * steps mirrored here, in the same order.
 */
async function pass(
  s: CensusState,
  h: { tracked: string },
  found: { maps: string; sets: string } | undefined,
): Promise<CensusResult & { collected: number }> {
  const drop = s.pendingDrop;
  const { minSize, topN } = s;
  const r = await s.cdp.send<{ result: RemoteObject }>('Runtime.callFunctionOn', {
    functionDeclaration: CENSUS_FN,
    objectId: h.tracked,
    arguments: [
      found ? { objectId: found.maps } : { value: [] },
      found ? { objectId: found.sets } : { value: [] },
      { value: { minSize, topN, drop } },
    ],
    returnByValue: true,
    silent: true,
  });
  const res = r.result.value as CensusResult;
  return { ...res, collected: mirrorPass(s, drop, res) };
}

/**
 * Applies a CENSUS_FN result to the local records; returns how many followed collections of at
 * least minSize entries (when last read) were collected.
 */
function mirrorPass(s: CensusState, drop: number[], res: CensusResult): number {
  for (let d = drop.length - 1; d >= 0; d--) s.records.splice(drop[d]!, 1);
  s.pendingDrop = [];
  if (res.sizes.length !== s.records.length) {
    throw new Error(`census: lost track (${res.sizes.length} remote vs ${s.records.length} local)`);
  }
  const lastSizes = s.records.map((t) => t.size);
  res.sizes.forEach((size, i) => setSize(s, s.records[i]!, size));
  const collected = s.records.filter((t, i) => t.size === -1 && lastSizes[i]! >= s.minSize).length;
  s.records = s.records.filter((t) => t.size !== -1);
  for (const [kind, size] of res.added) adopt(s, kind, size);
  return collected;
}

/** Every live Map and every live Set, as two arrays in the census's object group. */
async function queryCollections(s: CensusState, h: { mapProto: string; setProto: string }): Promise<{ maps: string; sets: string }> {
  const [maps, sets] = await Promise.all(
    [h.mapProto, h.setProto].map((prototypeObjectId) =>
      s.cdp.send<{ objects: RemoteObject }>('Runtime.queryObjects', { prototypeObjectId, objectGroup: s.group }),
    ),
  );
  return { maps: maps!.objects.objectId!, sets: sets!.objects.objectId! };
}

interface BestName {
  name: string;
  source: 'scope' | 'property';
}

async function nameWalk(s: CensusState, trackedId: string): Promise<number> {
  try {
    const { found, inspected } = await findNamedCollections(s.cdp, s.namesGroup, s.walkLimits);
    if (found.length === 0) return inspected;
    const batch = found.slice(0, 1000);
    const r = await s.cdp.send<{ result: RemoteObject }>('Runtime.callFunctionOn', {
      functionDeclaration: MATCH_FN,
      objectId: trackedId,
      arguments: batch.map((f) => ({ objectId: f.objectId })),
      returnByValue: true,
      silent: true,
    });
    applyNames(s, pickBestNames(s, batch, r.result.value as [number, number, number][]));
    return inspected;
  } finally {
    await releaseGroup(s, s.namesGroup);
  }
}

/** Adopts or resizes each matched collection and keeps the best name found for each record index. */
function pickBestNames(s: CensusState, batch: FoundCollection[], rows: [number, number, number][]): Map<number, BestName> {
  const best = new Map<number, BestName>();
  rows.forEach(([index, added, size], i) => {
    const f = batch[i]!;
    if (added) adopt(s, f.kind, size);
    const t = s.records[index];
    if (!t) return;
    if (!added) setSize(s, t, size);
    // A variable name beats a property path; a shorter path beats a longer one.
    const cur = best.get(index);
    const better = !cur || (f.source === 'scope' && cur.source !== 'scope') || (f.source === cur.source && f.name.length < cur.name.length);
    if (better) best.set(index, { name: f.name, source: f.source });
  });
  return best;
}

function applyNames(s: CensusState, best: Map<number, BestName>): void {
  for (const [index, name] of best) {
    const t = s.records[index];
    if (t && t.name === undefined) {
      t.name = name.name;
      t.nameSource = name.source;
    }
  }
}

/** Over the cap: forget what was never interesting first, then the smallest unnamed. */
function planEviction(s: CensusState): void {
  const excess = s.records.length - s.maxTracked;
  if (excess <= 0) return;
  const order = s.records
    .map((t, i) => ({ t, i }))
    .sort((a, b) => Number(a.t.reportable) - Number(b.t.reportable) || Number(!!a.t.name) - Number(!!b.t.name) || a.t.size - b.t.size);
  s.pendingDrop = order
    .slice(0, excess)
    .map((x) => x.i)
    .sort((a, b) => a - b);
}

async function take(s: CensusState, takeOptions: TakeOptions): Promise<CollectionStat[]> {
  const t0 = performance.now();
  const h = await init(s);
  s.takes += 1;
  s.takesSinceDiscovery += 1;
  try {
    const sizes = await readSizes(s, h, takeOptions);
    if (sizes.discovered) countDiscovery(s);
    const t2 = performance.now();
    const names = await walkNamesWhenDue(s, h, sizes.discovered);
    const t3 = performance.now();
    planEviction(s);
    s.cost = {
      totalMs: t3 - t0,
      queryMs: sizes.queryMs,
      discovered: sizes.discovered,
      sizesMs: t2 - t0 - sizes.queryMs,
      namesMs: t3 - t2,
      walked: names.walked,
      inspected: names.inspected,
      maps: sizes.res.maps,
      sets: sizes.res.sets,
      candidates: sizes.res.candidates,
      tracked: s.records.length,
    };
    return reportableStats(s.records);
  } catch (error) {
    await resetOnLostTrack(s, error);
    throw error;
  } finally {
    await releaseGroup(s, s.group);
  }
}

/**
 * Reads the followed collections' sizes, discovering new ones on the discovery cadence or when a
 * followed one was collected.
 */
async function readSizes(s: CensusState, h: Handles, takeOptions: TakeOptions): Promise<SizesStep> {
  let discover = takeOptions.lookForNew !== false && discoveryDue(s);
  // queryObjects walks the whole heap after full GCs, and V8 clears every feedback vector
  // (inline caches) first, so the target runs cold afterwards: it is the dominant cost of a
  // sample. Followed collections are read through their WeakRefs in between.
  let queryMs = 0;
  const query = async () => {
    const q0 = performance.now();
    const found = await queryCollections(s, h);
    queryMs += performance.now() - q0;
    return found;
  };
  if (!discover && !takeOptions.afterFullGc) await s.cdp.send('HeapProfiler.collectGarbage');
  let res = await pass(s, h, discover ? await query() : undefined);
  // A followed collection was collected: it was likely replaced, so look for the new one now.
  // Not for small ones (a cache's per-entry arrays, evicted at every sample): a discovery would
  // not adopt their replacements, which are under minSize too, and would cost a full heap query.
  if (!discover && res.collected > 0) {
    discover = true;
    res = await pass(s, h, await query());
  }
  return { res, discovered: discover, queryMs };
}

/** The first census that may discover does; then each gap is twice the last, up to maxDiscoverGap. */
function discoveryDue(s: CensusState): boolean {
  if (s.discoveries === 0) return true;
  return s.takesSinceDiscovery >= Math.min(s.discoverEvery * 2 ** (s.discoveries - 1), s.maxDiscoverGap);
}

function countDiscovery(s: CensusState): void {
  s.discoveries += 1;
  s.takesSinceDiscovery = 0;
}

/**
 * The roots are walked on the first census, when new collections were adopted, and when a
 * discovery still finds a followed collection unnamed (a variable may hold it by now). A variable
 * reassigned to a new collection needs no periodic walk: the old one is collected, which makes
 * the next census discover and adopt the new one.
 */
async function walkNamesWhenDue(s: CensusState, h: Handles, discovered: boolean): Promise<{ walked: boolean; inspected: number }> {
  const unnamed = discovered && s.records.some((t) => t.reportable && t.name === undefined);
  if (!(s.takes === 1 || unnamed || s.records.some((t) => !t.walked))) return { walked: false, inspected: 0 };
  const inspected = await nameWalk(s, h.tracked);
  for (const t of s.records) t.walked = true;
  return { walked: true, inspected };
}

function reportableStats(records: Tracked[]): CollectionStat[] {
  return records
    .filter((t) => t.reportable && t.size >= 0)
    .sort((a, b) => b.size - a.size)
    .map((t) => ({
      id: t.id,
      kind: t.kind,
      size: t.size,
      ...(t.name !== undefined ? { name: t.name, nameSource: t.nameSource } : {}),
    }));
}

/** Starts over rather than report collections under the wrong ids. */
async function resetOnLostTrack(s: CensusState, error: unknown): Promise<void> {
  if (!(error instanceof Error && error.message.startsWith('census: lost track'))) return;
  await releaseGroup(s, s.keepGroup);
  s.handles = undefined;
  s.records = [];
  s.pendingDrop = [];
}

async function snapshotIds(s: CensusState): Promise<Record<string, string>> {
  if (!s.handles || s.records.length === 0) return {};
  try {
    const list = await s.cdp.send<{ result: RemoteObject }>('Runtime.callFunctionOn', {
      functionDeclaration: DEREF_FN,
      objectId: s.handles.tracked,
      objectGroup: s.group,
      silent: true,
    });
    if (!list.result.objectId) return {};
    const props = await s.cdp.send<{ result: { name: string; value?: RemoteObject }[] }>('Runtime.getProperties', {
      objectId: list.result.objectId,
      ownProperties: true,
    });
    const out: Record<string, string> = {};
    await Promise.all(props.result.map((p) => addSnapshotId(s, p, out)));
    return out;
  } finally {
    await releaseGroup(s, s.group);
  }
}

async function addSnapshotId(s: CensusState, p: { name: string; value?: RemoteObject }, out: Record<string, string>): Promise<void> {
  const index = Number(p.name);
  const t = s.records[index];
  if (!Number.isInteger(index) || !t || !p.value?.objectId) return;
  const r = await s.cdp.send<{ heapSnapshotObjectId: string }>('HeapProfiler.getHeapObjectId', { objectId: p.value.objectId });
  if (r.heapSnapshotObjectId && r.heapSnapshotObjectId !== '0') out[t.id] = `@${r.heapSnapshotObjectId}`;
}

async function dispose(s: CensusState): Promise<void> {
  await releaseGroup(s, s.group);
  await releaseGroup(s, s.keepGroup);
  s.handles = undefined;
  s.records = [];
}
