// One Sample of the target: post-GC heap (CDP), RSS (/proc), external memory, virtual time and
// handles (IPC), and the collection census (CDP). Heap is read first so that the census's own
// transient garbage is never in the figure; the census runs last.
import { DEFAULTS } from '../core/defaults.ts';
import type { Sample } from '../core/types.ts';
import type { ClockState } from '../wire/protocol.ts';
import { createCensus, type Census, type CensusOptions } from './census.ts';
import { readHandles } from './handles.ts';
import { readHeap } from './heap.ts';
import type { ObservedTarget } from './observed.ts';
import { readMemory, readRss } from './proc.ts';

export interface SamplerOptions {
  /** Collection census (default true). */
  census?: boolean;
  /** Handle counts (default true). */
  handles?: boolean;
  /** Take the census on every n-th sample only (default 1: every sample); it costs two forced GCs and heap walks. */
  censusEvery?: number;
  /** Collections adopted per census (default DEFAULTS.censusTopN). */
  topN?: number;
  censusOptions?: Omit<CensusOptions, 'topN'>;
}

export interface SampleMeta {
  seq: number;
  phase: string;
  work: Sample['work'];
  wallMs: number;
  /** A priming round: the census reads the collections it follows and looks for no new ones. */
  priming?: boolean;
}

export interface Sampler {
  sample(meta: SampleMeta): Promise<Sample>;
  /** The census behind `collections`, when enabled (cost figures, snapshot ids). */
  readonly census: Census | undefined;
  dispose(): Promise<void>;
}

export function createSampler(target: ObservedTarget, opts: SamplerOptions = {}): Sampler {
  const census =
    opts.census === false ? undefined : createCensus(target.cdp, { ...opts.censusOptions, topN: opts.topN ?? DEFAULTS.censusTopN });
  const withHandles = opts.handles !== false;
  const epoch = target.virtualEpochMs ?? DEFAULTS.virtualEpochMs;
  const censusEvery = Math.max(1, Math.floor(opts.censusEvery ?? 1));
  let taken = 0;
  const settling = {
    collect: async () => void (await target.call('heap.collect')),
    settle: async () => {
      await target.call('clock.now');
      await target.call('clock.now');
    },
  };

  return {
    census,
    async sample(meta) {
      const t0 = performance.now();
      // A priming round's figure is never judged: one collection ages the target's code as the
      // rounds are meant to, and the settle and first collection only make a judged figure exact.
      const heap = await readHeap(target.cdp, meta.priming ? undefined : settling);
      const [rss, memory, clock, handles] = await Promise.all([
        readRss(target.pid),
        readMemory(target),
        target.call<ClockState>('clock.now'),
        withHandles ? readHandles(target) : Promise.resolve(undefined),
      ]);
      const collections =
        census && taken++ % censusEvery === 0 ? await census.take({ afterFullGc: true, lookForNew: !meta.priming }) : undefined;
      const sample: Sample = {
        seq: meta.seq,
        wallMs: meta.wallMs,
        virtualMs: clock.virtualNowMs - epoch,
        phase: meta.phase,
        work: meta.work,
        heapUsedBytes: heap.usedBytes,
        heapTotalBytes: heap.totalBytes,
        codeBytes: memory.codeBytes,
        rssBytes: rss ?? memory.rssBytes,
        externalBytes: memory.externalBytes,
        arrayBuffersBytes: memory.arrayBuffersBytes,
        ...(collections ? { collections } : {}),
        ...(handles ? { handles } : {}),
      };
      sample.costMs = performance.now() - t0;
      return sample;
    },
    async dispose() {
      await census?.dispose();
    },
  };
}
