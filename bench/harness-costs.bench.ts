// `npx tsx bench/harness-costs.bench.ts`: what the harness itself costs per operation, so a gate
// can track it: one full sample of a target (settled post-GC heap, RSS, handles, census), one
// census alone, one post-GC heap read alone, and one verdict (classifyGrowth on a 200-point
// series). The target is a synthetic cache holding a 2000-entry Map, in its own process as in a
// run. Prints a table and writes bench/results/harness-costs.json. Not a test: nothing asserts on time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import type { SeriesPoint } from '../harness/core/types.ts';
import { gaussian, mulberry32 } from '../harness/core/random.ts';
import { createCensus } from '../harness/observe/census.ts';
import { readHeap } from '../harness/observe/heap.ts';
import { createSampler } from '../harness/observe/sampler.ts';
import { launchTarget } from '../harness/target/launch.ts';
import { classifyGrowth } from '../harness/verdict/index.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const quick = process.argv.includes('--quick');

export interface CostRow {
  operation: string;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  rmePercent: number;
  samples: number;
}

function rowsOf(bench: Bench): CostRow[] {
  return bench.tasks.flatMap((task) => {
    const r = task.result;
    if (r.state !== 'completed') {
      process.stderr.write(`${task.name}: ${r.state}\n`);
      return [];
    }
    const round = (v: number) => Math.round(v * 1000) / 1000;
    return [
      {
        operation: task.name,
        meanMs: round(r.latency.mean),
        p50Ms: round(r.latency.p50),
        p99Ms: round(r.latency.p99),
        rmePercent: Math.round(r.latency.rme * 10) / 10,
        samples: r.latency.samplesCount,
      },
    ];
  });
}

/** 200 points of a 32 B/unit leak under post-GC-like scatter: the verdict's usual input size. */
function leakSeries(seed: number): SeriesPoint[] {
  const rand = mulberry32(seed);
  return Array.from({ length: 200 }, (_, i) => ({ x: i * 25, y: 8_000_000 + 32 * i * 25 + 2000 * gaussian(rand) }));
}

// Observation costs, against a live target.
const target = await launchTarget({ host: 'unit', target: `${ROOT}fixtures/synthetic/cap-2000-cache.ts`, cwd: ROOT });
const observe = new Bench({ time: quick ? 500 : 2000, warmupTime: quick ? 100 : 300, iterations: quick ? 5 : 20, warmupIterations: 3 });
try {
  await target.call('units', { from: 0, count: 3000 });
  const sampler = createSampler(target, { census: true, handles: true });
  const census = createCensus(target.cdp);
  let seq = 0;
  observe.add('one sample (settled heap, RSS, handles, census)', async () => {
    await sampler.sample({ seq: seq++, phase: 'bench', work: { unit: seq }, wallMs: 0 });
  });
  observe.add('one census (every Map and Set, sizes, names)', async () => {
    await census.take();
  });
  observe.add('one post-GC heap read (CDP)', async () => {
    await readHeap(target.cdp);
  });
  await observe.run();
  await census.dispose();
  await sampler.dispose();
} finally {
  await target.stop();
}

// The verdict engine: pure, so many runs; a fresh series each call keeps caches out.
const series = Array.from({ length: 16 }, (_, i) => leakSeries(i + 1));
let next = 0;
let leaks = 0;
const verdict = new Bench({ time: quick ? 300 : 1000, warmupTime: quick ? 50 : 200 });
verdict.add('one verdict (classifyGrowth, 200 points)', () => {
  const v = classifyGrowth(series[next++ % series.length]!, { metric: 'heap', label: 'heap', unit: 'session', valueKind: 'bytes' });
  if (v.verdict === 'leak') leaks += 1;
});
await verdict.run();

const rows = [...rowsOf(observe), ...rowsOf(verdict)];
console.table(
  rows.map((r) => ({
    operation: r.operation,
    'mean ms': r.meanMs,
    'p50 ms': r.p50Ms,
    'p99 ms': r.p99Ms,
    '±%': r.rmePercent,
    samples: r.samples,
  })),
);

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(
  `${dir}harness-costs.json`,
  `${JSON.stringify({ createdAt: new Date().toISOString(), machine: { node: process.version, platform: platform(), arch: arch(), cpus: cpus().length }, quick, rows, verdictSaidLeak: leaks > 0 }, null, 2)}\n`,
);
console.log('bench/results/harness-costs.json');
