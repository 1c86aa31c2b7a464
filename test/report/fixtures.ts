// Test data: a leaking run's report and its samples, built the way the harness would.
import type { MetricVerdict, Sample } from '../../harness/core/types.ts';
import type { RunReport } from '../../harness/report/model.ts';

/** `n` samples of a run where a Map gains one entry and ~1.9 KB of heap per session. */
export function leakySamples(n: number): Sample[] {
  const samples: Sample[] = [];
  for (let seq = 0; seq < n; seq += 1) {
    const sessions = seq * 10;
    const phase = seq < n * 0.2 ? 'warmup' : seq < n * 0.9 ? 'churn' : 'drain';
    const work = phase === 'drain' ? Math.floor(n * 0.9) * 10 : sessions;
    samples.push({
      seq,
      wallMs: seq * 50,
      virtualMs: seq * 60_000,
      phase,
      work: { session: work, message: work * 8 },
      heapUsedBytes: 8_000_000 + work * 1946 + (seq % 7) * 300,
      heapTotalBytes: 16_000_000 + work * 2048,
      rssBytes: 60_000_000 + work * 2500,
      collections: [
        { id: '@86867', kind: 'Map', size: 12 + work, name: 'checkpointStates', nameSource: 'scope' },
        { id: '@86869', kind: 'Map', size: Math.min(50, work), name: 'stableCache', nameSource: 'scope' },
      ],
      costMs: 4,
    });
  }
  return samples;
}

export function heapMetric(): MetricVerdict {
  return {
    metric: 'heapUsedBytes',
    label: 'used heap (post-GC)',
    unit: 'session',
    valueKind: 'bytes',
    verdict: 'leak',
    slopePerUnit: 1946,
    slopeInterval: [1900, 1990],
    pointsUsed: 80,
    pointsDiscarded: 20,
    lastValue: 25_000_000,
    maxValue: 25_100_000,
    reasons: ['Used heap grows by 1.9 KB per session after warm-up (95% interval 1.86–1.94 KB).'],
    warnings: ['RSS was noisy in the drain phase.'],
    shape: 'linear',
  };
}

export function leakReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    runId: '20260101T120000-000Z-abc123',
    createdAt: '2026-01-01T12:00:00.000Z',
    scenario: {
      name: 'checkpoint-churn',
      summary: 'Create and end sessions; checkpoints must be dropped with their session.',
      params: {
        sessions: 1000,
        command: 'npm run scenario -- checkpoint-churn --target fixtures/targets/checkpoint/leaky.ts --sessions 1000',
      },
    },
    target: { spec: 'fixtures/targets/checkpoint/leaky.ts', kind: 'plugin', label: 'checkpoint (leaky)' },
    unit: 'session',
    workDone: { session: 1000, message: 8000 },
    verdict: 'leak',
    exitCode: 1,
    expectations: [
      {
        id: 'heap-bounded',
        description: 'Used heap stays bounded per session',
        passed: false,
        verdict: 'leak',
        metric: heapMetric(),
        estimate: '+1.9 KB per session',
        limit: 256,
        reasons: ['Used heap grows by 1.9 KB per session after warm-up | well above the limit.'],
        warnings: [],
      },
      {
        id: 'stable-cache',
        description: 'stableCache stays within its cap',
        passed: true,
        verdict: 'bounded',
        estimate: '+0 entries per session',
        limit: 50,
        limitKind: 'absolute',
        reasons: ['Flat at 50 entries since session 50.'],
        warnings: ['Only 8 points after the cap was reached.'],
      },
    ],
    phases: [
      { name: 'warmup', fromSeq: 0, toSeq: 19 },
      { name: 'churn', fromSeq: 20, toSeq: 89 },
      { name: 'drain', fromSeq: 90, toSeq: 99 },
    ],
    topCollections: [
      {
        id: '@86867',
        kind: 'Map',
        name: 'checkpointStates',
        firstSize: 12,
        lastSize: 1012,
        slopePerUnit: 1,
        entriesPerUnitText: '+1 entry per session',
      },
      {
        id: '@86869',
        kind: 'Map',
        name: 'stableCache',
        firstSize: 0,
        lastSize: 50,
        slopePerUnit: 0,
        entriesPerUnitText: '+0 entries per session',
      },
    ],
    caps: [
      { label: 'stableCache cap 50', value: 50, valueKind: 'entries' },
      { label: 'heap budget 256 MB', value: 256 * 1024 * 1024, valueKind: 'bytes' },
      { label: 'RSS budget 96 MB', value: 96 * 1024 * 1024, valueKind: 'bytes' },
    ],
    diagnosis: {
      snapshots: ['diagnosis/s1.heapsnapshot', 'diagnosis/s2.heapsnapshot', 'diagnosis/s3.heapsnapshot'],
      collections: [
        {
          id: '@86867',
          name: 'checkpointStates',
          kind: 'Map',
          found: true,
          foundBy: 'id',
          entries: 1012,
          entriesSource: 'census',
          retainedBytes: 417_416,
          retainerPath: ['(GC root)', '‹context› → (module scope)', 'checkpointStates (variable) → Map (1 012 entries, 408 KB retained)'],
          retainerSummary: '(module scope) checkpointStates → Map (1 012 entries, 408 KB retained)',
          steps: [],
        },
      ],
      growingAcrossSnapshots: [
        {
          id: '@86867',
          kind: 'Map',
          name: 'checkpointStates',
          edgesHistory: [1001, 2001, 3001],
          monotonic: true,
          suspect: true,
          retainerSummary: '(module scope) checkpointStates → Map (1 012 entries, 408 KB retained)',
        },
      ],
      notes: ['memlab saw no growth of @86869 (stableCache) across the snapshots.'],
    },
    targetErrors: { count: 3, byWhere: { 'hook chat.message': 3 } },
    machine: { node: '20.20.2', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU', totalMemBytes: 8 * 1024 ** 3 },
    timing: { startedAt: '2026-01-01T11:59:00.000Z', durationMs: 61_000, samples: 100, meanSampleCostMs: 4 },
    files: { samples: 'samples.ndjson', report: 'report.json', summary: 'summary.md', html: 'report.html' },
    ...overrides,
  };
}
