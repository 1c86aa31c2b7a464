import { describe, expect, it } from 'vitest';
import type { Sample } from '../../harness/core/types.ts';
import type { ResponseLog } from '../../harness/load/cannon.ts';
import { cutWindows } from '../../harness/load/windows.ts';
import { latencyFigures, percentile } from '../../harness/load/latency.ts';

function log(n: number, latency: (i: number) => number, status: (i: number) => number = () => 200): ResponseLog {
  return {
    atMs: Array.from({ length: n }, (_, i) => 1000 + i * 2),
    latencyMs: Array.from({ length: n }, (_, i) => latency(i)),
    status: Array.from({ length: n }, (_, i) => status(i)),
    outcome: Array.from({ length: n }, (_, i) => (status(i) === 0 ? 'timeout' : 'answered')),
    request: Array.from({ length: n }, () => 'hook'),
  };
}

function sample(seq: number, requests: number, heap: number): Sample {
  return {
    seq,
    wallMs: 0,
    virtualMs: 0,
    phase: 'load',
    work: { request: requests },
    heapUsedBytes: heap,
    heapTotalBytes: heap,
    codeBytes: 0,
  };
}

describe('load windows', () => {
  it('reads nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([], 0.5)).toBe(0);
    expect(latencyFigures([5, 1, 3])).toEqual({ p50: 3, p90: 5, p99: 5, max: 5 });
  });

  it('cuts the log into equal request windows with their own latency, throughput and failures', () => {
    // Latency doubles in the second half; every 100th request fails, every 50th is a 500.
    const l = log(
      1000,
      (i) => (i < 500 ? 2 : 4),
      (i) => (i % 100 === 0 ? 0 : i % 50 === 0 ? 500 : 200),
    );
    const w = cutWindows(l, [], { windows: 4, requestOffset: 0, startedAtMs: 1000 });
    expect(w.map((x) => [x.fromRequest, x.toRequest])).toEqual([
      [0, 250],
      [250, 500],
      [500, 750],
      [750, 1000],
    ]);
    expect(w.map((x) => x.latencyMs.p50)).toEqual([2, 2, 4, 4]);
    expect(w.reduce((a, x) => a + x.errors, 0)).toBe(10);
    expect(w.reduce((a, x) => a + x.non2xx, 0)).toBe(10);
    expect(w.reduce((a, x) => a + x.timeouts, 0)).toBe(10);
    // No planned failures: every failure is unexpected, 20 of 1000 (2 %, 8 or 7 per 250).
    expect(w.reduce((a, x) => a + x.unexpectedErrors, 0)).toBe(20);
    expect(w[0]!.errorRate).toBeCloseTo(w[0]!.unexpectedErrors / 250, 9);
    // 250 responses 2 ms apart: ~500 req/s.
    expect(w[1]!.requestsPerSec).toBeCloseTo(500, 0);
  });

  it('puts a heap that grows 2 KB per 1000 requests in the windows that grow, and flat ones at ~0', () => {
    // Flat for the first half of the load, then +2 bytes per request; samples every 100 requests
    // after a 500-request warm-up (the offset).
    const samples = Array.from({ length: 11 }, (_, i) => sample(i, 500 + i * 100, 1_000_000 + Math.max(0, i * 100 - 500) * 2));
    const w = cutWindows(
      log(1000, () => 1),
      samples,
      { windows: 2, requestOffset: 500, startedAtMs: 1000 },
    );
    expect(w[0]!.heapBytesPer1000Requests).toBeCloseTo(0, 6);
    expect(w[1]!.heapBytesPer1000Requests).toBeCloseTo(2000, 6);
    expect(w[1]!.heapBytesAtEnd).toBe(1_001_000);
  });
});
