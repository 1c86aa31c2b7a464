// Collection census from outside the target's heap: every live Map and Set with its size,
// the largest ones (and every named one) followed by a stable id across samples.
//
// A discovering census: Runtime.queryObjects on Map.prototype and Set.prototype (each forces a
// full GC and returns an array of every live instance), ONE Runtime.callFunctionOn that reads all
// sizes and picks the top N, then the object group is released. The censuses in between (see
// discoverEvery) make only the callFunctionOn, on the followed collections. Names come from a bounded walk of
// the host's roots (census-names.ts), done only when new collections need one.
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
import { DEFAULT_WALK_LIMITS, findNamedCollections, type CollectionKind, type WalkLimits } from './census-names.ts';
import { CENSUS_FN, DEREF_FN, MATCH_FN } from './census-remote.ts';

export interface CensusOptions {
  /** Untracked collections smaller than this are not followed. */
  minSize?: number;
  /** Largest collections adopted for tracking at each census. */
  topN?: number;
  /** Most collections followed at once (WeakRefs in the target); default 4 x topN. */
  maxTracked?: number;
  /** Walk the roots for names again every n censuses even if nothing new appeared (reassigned variables). */
  renameEvery?: number;
  /** Look for new collections (queryObjects) on the first census and every n-th after it; the others read the followed ones. */
  discoverEvery?: number;
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
   * The caller ran a full GC just before (the sampler reads the post-GC heap first). Otherwise a
   * census that does not query the heap runs one itself, so a dropped collection reads as gone.
   */
  afterFullGc?: boolean;
}

export interface Census {
  take(options?: TakeOptions): Promise<CollectionStat[]>;
  /**
   * Runs the target-side reading of the followed collections without a GC, a discovery or a
   * result: priming, so V8 tiers that code up before the judged window.
   */
  exercise(): Promise<void>;
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

export function createCensus(cdp: CdpSession, options: CensusOptions = {}): Census {
  const minSize = options.minSize ?? DEFAULTS.censusMinSize;
  const topN = options.topN ?? DEFAULTS.censusTopN;
  const maxTracked = Math.max(options.maxTracked ?? topN * 4, topN);
  const renameEvery = options.renameEvery ?? 10;
  const discoverEvery = Math.max(1, Math.floor(options.discoverEvery ?? DEFAULTS.censusDiscoverEvery));
  const walkLimits: WalkLimits = { ...DEFAULT_WALK_LIMITS, ...options.walk };
  const n = ++censusCount;
  const group = `churnlab-census-${n}`;
  const keepGroup = `churnlab-census-keep-${n}`;
  const namesGroup = `churnlab-names-${n}`;

  let handles: { mapProto: string; setProto: string; tracked: string } | undefined;
  let records: Tracked[] = [];
  let pendingDrop: number[] = [];
  let nextId = 1;
  let takes = 0;
  let cost: CensusCost | undefined;

  const evaluate = async (expression: string, objectGroup: string): Promise<string> => {
    const r = await cdp.send<{ result: RemoteObject }>('Runtime.evaluate', { expression, objectGroup, silent: true });
    if (!r.result.objectId) throw new Error(`census: ${expression} gave no object`);
    return r.result.objectId;
  };

  const init = async () => {
    handles ??= {
      mapProto: await evaluate('Map.prototype', keepGroup),
      setProto: await evaluate('Set.prototype', keepGroup),
      tracked: await evaluate('[]', keepGroup),
    };
    return handles;
  };

  const adopt = (kind: CollectionKind, size: number): Tracked => {
    const t: Tracked = { id: `#${nextId++}`, kind, firstSize: size, size, reportable: size >= minSize, walked: false };
    records.push(t);
    return t;
  };

  const setSize = (t: Tracked, size: number) => {
    t.size = size;
    if (size >= minSize || size !== t.firstSize) t.reportable = true;
  };

  /**
   * One CENSUS_FN call (drop, read sizes, compact, adopt from `found` when given) and the same
   * steps mirrored here, in the same order.
   */
  async function pass(h: { tracked: string }, found: { maps: string; sets: string } | undefined): Promise<CensusResult & { collected: number }> {
    const drop = pendingDrop;
    const r = await cdp.send<{ result: RemoteObject }>('Runtime.callFunctionOn', {
      functionDeclaration: CENSUS_FN,
      objectId: h.tracked,
      arguments: [found ? { objectId: found.maps } : { value: [] }, found ? { objectId: found.sets } : { value: [] }, { value: { minSize, topN, drop } }],
      returnByValue: true,
      silent: true,
    });
    const res = r.result.value as CensusResult;
    for (let d = drop.length - 1; d >= 0; d--) records.splice(drop[d]!, 1);
    pendingDrop = [];
    if (res.sizes.length !== records.length) {
      throw new Error(`census: lost track (${res.sizes.length} remote vs ${records.length} local)`);
    }
    res.sizes.forEach((size, i) => setSize(records[i]!, size));
    const before = records.length;
    records = records.filter((t) => t.size !== -1);
    for (const [kind, size] of res.added) adopt(kind, size);
    return { ...res, collected: before - records.length };
  }

  /** Every live Map and every live Set, as two arrays in the census's object group. */
  async function queryCollections(h: { mapProto: string; setProto: string }): Promise<{ maps: string; sets: string }> {
    const [maps, sets] = await Promise.all(
      [h.mapProto, h.setProto].map((prototypeObjectId) =>
        cdp.send<{ objects: RemoteObject }>('Runtime.queryObjects', { prototypeObjectId, objectGroup: group }),
      ),
    );
    return { maps: maps!.objects.objectId!, sets: sets!.objects.objectId! };
  }

  async function nameWalk(trackedId: string): Promise<number> {
    try {
      const { found, inspected } = await findNamedCollections(cdp, namesGroup, walkLimits);
      if (found.length === 0) return inspected;
      const batch = found.slice(0, 1000);
      const r = await cdp.send<{ result: RemoteObject }>('Runtime.callFunctionOn', {
        functionDeclaration: MATCH_FN,
        objectId: trackedId,
        arguments: batch.map((f) => ({ objectId: f.objectId })),
        returnByValue: true,
        silent: true,
      });
      const rows = r.result.value as [number, number, number][];
      const best = new Map<number, { name: string; source: 'scope' | 'property' }>();
      rows.forEach(([index, added, size], i) => {
        const f = batch[i]!;
        if (added) adopt(f.kind, size);
        const t = records[index];
        if (!t) return;
        if (!added) setSize(t, size);
        // A variable name beats a property path; a shorter path beats a longer one.
        const cur = best.get(index);
        const better =
          !cur ||
          (f.source === 'scope' && cur.source !== 'scope') ||
          (f.source === cur.source && f.name.length < cur.name.length);
        if (better) best.set(index, { name: f.name, source: f.source });
      });
      for (const [index, name] of best) {
        const t = records[index];
        if (t && t.name === undefined) {
          t.name = name.name;
          t.nameSource = name.source;
        }
      }
      return inspected;
    } finally {
      await cdp.send('Runtime.releaseObjectGroup', { objectGroup: namesGroup }).catch(() => {});
    }
  }

  /** Over the cap: forget what was never interesting first, then the smallest unnamed. */
  function planEviction(): void {
    const excess = records.length - maxTracked;
    if (excess <= 0) return;
    const order = records
      .map((t, i) => ({ t, i }))
      .sort((a, b) => Number(a.t.reportable) - Number(b.t.reportable) || Number(!!a.t.name) - Number(!!b.t.name) || a.t.size - b.t.size);
    pendingDrop = order
      .slice(0, excess)
      .map((x) => x.i)
      .sort((a, b) => a - b);
  }

  return {
    async exercise() {
      await pass(await init(), undefined);
    },
    async take(takeOptions: TakeOptions = {}) {
      const t0 = performance.now();
      const h = await init();
      takes += 1;
      let discover = (takes - 1) % discoverEvery === 0;
      try {
        // queryObjects walks the whole heap after full GCs, and V8 clears every feedback vector
        // (inline caches) first, so the target runs cold afterwards: it is the dominant cost of a
        // sample. Followed collections are read through their WeakRefs in between.
        let queryMs = 0;
        const query = async () => {
          const q0 = performance.now();
          const found = await queryCollections(h);
          queryMs += performance.now() - q0;
          return found;
        };
        if (!discover && !takeOptions.afterFullGc) await cdp.send('HeapProfiler.collectGarbage');
        let res = await pass(h, discover ? await query() : undefined);
        // A followed collection was collected: it was likely replaced, so look for the new one now.
        if (!discover && res.collected > 0) {
          discover = true;
          res = await pass(h, await query());
        }
        const t2 = performance.now();

        let walked = false;
        let inspected = 0;
        if (takes === 1 || takes % renameEvery === 0 || records.some((t) => !t.walked)) {
          inspected = await nameWalk(h.tracked);
          walked = true;
          for (const t of records) t.walked = true;
        }
        const t3 = performance.now();
        planEviction();
        cost = {
          totalMs: t3 - t0,
          queryMs,
          discovered: discover,
          sizesMs: t2 - t0 - queryMs,
          namesMs: t3 - t2,
          walked,
          inspected,
          maps: res.maps,
          sets: res.sets,
          candidates: res.candidates,
          tracked: records.length,
        };
        return records
          .filter((t) => t.reportable && t.size >= 0)
          .sort((a, b) => b.size - a.size)
          .map((t) => ({
            id: t.id,
            kind: t.kind,
            size: t.size,
            ...(t.name !== undefined ? { name: t.name, nameSource: t.nameSource } : {}),
          }));
      } catch (error) {
        // Start over rather than report collections under the wrong ids.
        if (error instanceof Error && error.message.startsWith('census: lost track')) {
          await cdp.send('Runtime.releaseObjectGroup', { objectGroup: keepGroup }).catch(() => {});
          handles = undefined;
          records = [];
          pendingDrop = [];
        }
        throw error;
      } finally {
        await cdp.send('Runtime.releaseObjectGroup', { objectGroup: group }).catch(() => {});
      }
    },

    lastCost: () => cost,

    async snapshotIds() {
      if (!handles || records.length === 0) return {};
      try {
        const list = await cdp.send<{ result: RemoteObject }>('Runtime.callFunctionOn', {
          functionDeclaration: DEREF_FN,
          objectId: handles.tracked,
          objectGroup: group,
          silent: true,
        });
        if (!list.result.objectId) return {};
        const props = await cdp.send<{ result: { name: string; value?: RemoteObject }[] }>('Runtime.getProperties', {
          objectId: list.result.objectId,
          ownProperties: true,
        });
        const out: Record<string, string> = {};
        await Promise.all(
          props.result.map(async (p) => {
            const index = Number(p.name);
            const t = records[index];
            if (!Number.isInteger(index) || !t || !p.value?.objectId) return;
            const r = await cdp.send<{ heapSnapshotObjectId: string }>('HeapProfiler.getHeapObjectId', { objectId: p.value.objectId });
            if (r.heapSnapshotObjectId && r.heapSnapshotObjectId !== '0') out[t.id] = `@${r.heapSnapshotObjectId}`;
          }),
        );
        return out;
      } finally {
        await cdp.send('Runtime.releaseObjectGroup', { objectGroup: group }).catch(() => {});
      }
    },

    async dispose() {
      await cdp.send('Runtime.releaseObjectGroup', { objectGroup: group }).catch(() => {});
      await cdp.send('Runtime.releaseObjectGroup', { objectGroup: keepGroup }).catch(() => {});
      handles = undefined;
      records = [];
    },
  };
}
