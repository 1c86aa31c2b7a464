// `npm run load` end to end on seed leak 1's daemon twins: the daemon runs as a 'service' target
// in its own process on the virtual clock, autocannon drives its hook and work endpoints from the
// harness process, and the verdict is per request. A 2 h TTL lets 10 000 requests span ten TTLs.
// Figures (latency, throughput) are checked for presence and sanity, never for speed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../harness/load/run.ts';
import type { LoadOptions } from '../../harness/load/options.ts';
import { readSamples } from '../../harness/report/samples-writer.ts';
import { EXIT } from '../../harness/core/exit.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { explain, fixture, testOut, verdictTable } from '../scenario/helpers.ts';

/**
 * Target start, priming, warm-up, the load and the report. On a quiet 2-core machine the load
 * takes 10-20 s; at load average 17 (other jobs) it ran at 20 req/s with 3 s per sample.
 */
const TEST_TIMEOUT_MS = 600_000;

const SMALL: Partial<LoadOptions> = {
  // 2 h: long against the daemon's fixed 15 min sweep, so the claims Map's sweep sawtooth stays
  // small against its level (at 10 min it swung 6-72 entries and read as jumps).
  serviceOptions: { ttlMs: 2 * 60 * 60_000 },
  // 10 000 requests at 7.2 s of virtual time each span 20 h, ten TTLs. Shorter runs (3000-6000
  // requests) left the claims Map's sweep sawtooth or the heap's +-250 KB scatter inconclusive in
  // some runs: the slope interval must clear the floor of 1 entry per 500 requests.
  maxRequests: 10_000,
  // The request cap ends the load; the time cap is only a backstop, since a load the time cap cut
  // short on a starved machine has too few samples for any verdict (honestly inconclusive).
  durationMs: 240_000,
  samples: 50,
  connections: 4,
  // 3000 requests of an HTTP daemon under load scatter the post-GC heap by hundreds of KB.
  minHeapBytesPerRequest: 256,
  diagnose: false,
  // The heap floor here is 256 B per request: the few KB of the harness's own tier-up that
  // full priming keeps out are far below it, so a shorter priming keeps the test short.
  primeSamples: 10,
};

function expectSaneLoadFigures(report: RunReport, maxRequests = SMALL.maxRequests!): void {
  const load = report.load!;
  expect(load).toBeDefined();
  const t = load.totals;
  expect(t.requests).toBeGreaterThan(0);
  expect(t.requests).toBeLessThanOrEqual(maxRequests);
  expect(t.requestsPerSec).toBeGreaterThan(0);
  expect(t.latencyMs.p50).toBeLessThanOrEqual(t.latencyMs.p99);
  expect(t.latencyMs.p99).toBeLessThanOrEqual(t.latencyMs.max);
  expect(load.windows.length).toBeGreaterThan(1);
  expect(load.windows.reduce((a, w) => a + w.requests, 0)).toBe(t.requests);
  for (const w of load.windows) expect(w.latencyMs.p50).toBeLessThanOrEqual(w.latencyMs.p99);
  expect(load.verdictsPer1000Requests.some((v) => /per 1000 requests$/.test(v))).toBe(true);
  // Virtual time passed (TTL sweeps ran): at least requests x virtual ms per request.
  expect(load.virtualSpanMs).toBeGreaterThanOrEqual(t.requests * load.virtualMsPerRequest);
}

/**
 * The leaky daemon's Set gains an entry per rotation fault from the first request on: 2000
 * requests (4 h of virtual time, two TTLs) in 25 samples show it, with a short priming (a count
 * fails it, not the heap). Its twin's run, whose bounded verdicts must settle, is fifteen times longer.
 */
const LEAKY: Partial<LoadOptions> = { ...SMALL, maxRequests: 2000, samples: 25, primeSamples: 3 };

describe('npm run load on the bypass-rotation daemon', () => {
  it(
    'fails the leaky daemon with exit 1, naming the Set bypassed that grows per request',
    async () => {
      const { exitCode, report, dir } = await runLoad({
        ...LEAKY,
        target: fixture('targets/bypass-rotation/leaky.ts'),
        outRoot: testOut(),
      });
      expect(report.error).toBeUndefined();
      expect(exitCode, explain(report)).toBe(EXIT.leak);
      const collections = report.expectations.find((e) => e.id === 'collections-bounded')!;
      expect(collections.verdict).toBe('leak');
      expect(collections.reasons.join('\n')).toMatch(/Set bypassed: leak\. Set bypassed grew \+1 entry per \d+ requests/);
      expect(report.load!.verdictsPer1000Requests.join('\n')).toMatch(/Set bypassed: leak, \+\d+(\.\d+)? entries per 1000 requests/);
      expectSaneLoadFigures(report, LEAKY.maxRequests);
      // The report dir is written like a scenario run's, samples streamed with the load's counters.
      for (const f of [report.files.report, report.files.summary, report.files.html]) expect(existsSync(join(dir, f))).toBe(true);
      expect(readFileSync(join(dir, report.files.summary), 'utf8')).toMatch(
        /### Load[\s\S]*\| Window \| Requests \| req\/s \| p50 \| p90 \| p99 \| max \|/,
      );
      const samples = readSamples(join(dir, report.files.samples));
      expect(samples.some((s) => s.phase === 'load' && (s.counters?.['load.rotationFaults'] ?? 0) > 0)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'passes the fixed daemon: every collection and the heap bounded per request',
    async () => {
      // Longer and sampled more densely than the leaky run: the fixed daemon's Maps rise and fall
      // with their TTL and sweep, the census catches them anywhere on that sawtooth, and on an idle
      // machine 10 000 requests with 50 samples were inconclusive 2 runs in 4 (docs/ci.md). At 20 000
      // a Map's sawtooth showed only 3 drops (the fewest the sawtooth rule takes) in 2 runs of 13, so
      // 30 000 for a margin. Eight connections, as the gate entry; a 5 % warm-up (1500) spans a TTL.
      const decided = { ...SMALL, maxRequests: 30_000, samples: 80, connections: 8, durationMs: 480_000, warmupShare: 0.05 };
      const { exitCode, report } = await runLoad({ ...decided, outRoot: testOut() });
      expect(report.error).toBeUndefined();
      expect(verdictTable(report), explain(report)).toEqual([
        ['errors-within-budget', 'pass'],
        ['collections-bounded', 'bounded'],
        ['heap-bounded', 'bounded'],
      ]);
      expect(exitCode).toBe(EXIT.pass);
      expect(report.target.label).toBe('fixtures/targets/bypass-rotation/fixed.ts');
      expectSaneLoadFigures(report, decided.maxRequests);
    },
    TEST_TIMEOUT_MS,
  );
});
