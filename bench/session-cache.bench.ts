// `npx tsx bench/session-cache.bench.ts`: per-operation cost of the fixed session cache
// (fixtures/targets/session-cache/store-lru.ts) at 100, 1000 and 10 000 entries, so a cache that
// is O(n) per access (seed leak 3: "an LRU that is O(n) per access trades a leak for a slowdown")
// shows up as a cost that grows with the size. A naive array LRU (indexOf + splice per access) is
// measured next to it as the O(n) reference. Prints a table and writes
// bench/results/session-cache.json. Not a test: nothing asserts on time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { LruTtlCache } from '../fixtures/targets/session-cache/store-lru.ts';

const SIZES = [100, 1000, 10_000];
/** Operations per timed call: one get/set is tens of ns, below a useful timer sample. */
const BATCH = 256;
const DAY = 86_400_000;
const quick = process.argv.includes('--quick');

/** The O(n) reference: most recently used key last, a linear search and a splice per access. */
class ArrayLru<V> {
  private readonly keys: string[] = [];
  private readonly values = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const i = this.keys.indexOf(key);
    if (i < 0) return undefined;
    this.keys.splice(i, 1);
    this.keys.push(key);
    return this.values.get(key);
  }
  set(key: string, value: V): void {
    const i = this.keys.indexOf(key);
    if (i >= 0) this.keys.splice(i, 1);
    this.keys.push(key);
    this.values.set(key, value);
    while (this.keys.length > this.max) this.values.delete(this.keys.shift()!);
  }
}

interface Row {
  cache: string;
  operation: string;
  entries: number;
  opsPerSec: number;
  meanNs: number;
  rmePercent: number;
  samples: number;
}

const bench = new Bench({ time: quick ? 100 : 400, warmupTime: quick ? 20 : 100 });
const labels = new Map<string, { cache: string; operation: string; entries: number }>();
let sink = 0;

for (const n of SIZES) {
  // A pool of 2n keys: inserting them in turn always inserts a key evicted n inserts earlier.
  const pool = Array.from({ length: 2 * n }, (_, i) => `ses_${i.toString(16).padStart(12, '0')}`);
  const value = { title: 'x' };
  const lru = new LruTtlCache<typeof value>({ maxEntries: n, absoluteTtlMs: 365 * DAY, inactivityTtlMs: 365 * DAY });
  const naive = new ArrayLru<typeof value>(n);
  for (let i = 0; i < n; i += 1) {
    lru.set(pool[i]!, value);
    naive.set(pool[i]!, value);
  }
  // The live keys are always the newest n of the pool in insertion order; reads and updates are
  // spread over all of them (a stride co-prime with n), not just the cache's head.
  let ins = n;
  let j = 0;
  const live = (cursor: number): string => {
    j = (j + 7919) % n;
    return pool[(cursor - 1 - j + 2 * n) % (2 * n)]!;
  };
  const add = (cache: string, operation: string, fn: () => void) => {
    const name = `${cache} ${operation} @${n}`;
    labels.set(name, { cache, operation, entries: n });
    bench.add(name, fn);
  };
  add('LruTtlCache', 'get (hit)', () => {
    for (let i = 0; i < BATCH; i += 1) if (lru.get(live(ins))) sink += 1;
  });
  add('LruTtlCache', 'set (update)', () => {
    for (let i = 0; i < BATCH; i += 1) lru.set(live(ins), value);
  });
  add('LruTtlCache', 'set (insert + evict)', () => {
    for (let i = 0; i < BATCH; i += 1) {
      lru.set(pool[ins]!, value);
      ins = (ins + 1) % (2 * n);
    }
  });
  let insNaive = n;
  add('ArrayLru (O(n) reference)', 'get (hit)', () => {
    for (let i = 0; i < BATCH; i += 1) if (naive.get(live(insNaive))) sink += 1;
  });
  add('ArrayLru (O(n) reference)', 'set (insert + evict)', () => {
    for (let i = 0; i < BATCH; i += 1) {
      naive.set(pool[insNaive]!, value);
      insNaive = (insNaive + 1) % (2 * n);
    }
  });
}

await bench.run();

const rows: Row[] = [];
for (const task of bench.tasks) {
  const label = labels.get(task.name)!;
  const result = task.result;
  if (result.state !== 'completed') {
    process.stderr.write(`${task.name}: ${result.state}\n`);
    continue;
  }
  rows.push({
    ...label,
    opsPerSec: Math.round((BATCH * 1000) / result.latency.mean),
    meanNs: Math.round((result.latency.mean * 1e6) / BATCH),
    rmePercent: Math.round(result.latency.rme * 10) / 10,
    samples: result.latency.samplesCount,
  });
}

console.table(
  rows.map((r) => ({
    cache: r.cache,
    operation: r.operation,
    entries: r.entries,
    'ops/s': r.opsPerSec.toLocaleString('en-US'),
    'mean ns': r.meanNs,
    '±%': r.rmePercent,
  })),
);
const growth = (cache: string, operation: string) => {
  const at = (n: number) => rows.find((r) => r.cache === cache && r.operation === operation && r.entries === n)?.meanNs ?? NaN;
  return Math.round((at(10_000) / at(100)) * 10) / 10;
};
const summary = {
  lruGetCost10kOver100: growth('LruTtlCache', 'get (hit)'),
  lruSetCost10kOver100: growth('LruTtlCache', 'set (insert + evict)'),
  arrayLruGetCost10kOver100: growth('ArrayLru (O(n) reference)', 'get (hit)'),
};
console.log(
  `mean cost at 10 000 entries / at 100: LruTtlCache get x${summary.lruGetCost10kOver100}, set x${summary.lruSetCost10kOver100}; O(n) reference get x${summary.arrayLruGetCost10kOver100}`,
);

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(
  `${dir}session-cache.json`,
  `${JSON.stringify({ createdAt: new Date().toISOString(), machine: { node: process.version, platform: platform(), arch: arch(), cpus: cpus().length }, batch: BATCH, rows, summary, sink: sink > 0 }, null, 2)}\n`,
);
console.log('bench/results/session-cache.json');
