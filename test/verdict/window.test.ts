// The judged window, decided in harness/verdict/window.ts: the judged phases of a run, then each
// series' leading settling share.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../harness/core/types.ts';
import { classifyGrowth, heapSeries, judgedSamples, UNJUDGED_PHASES } from '../../harness/verdict/index.ts';
import { settlingPoints, settlingShare } from '../../harness/verdict/window.ts';

const HEAP = { metric: 'heap', label: 'heap', unit: 'session', valueKind: 'bytes' } as const;

/** prime: 5 samples; warmup: 40 samples growing 64 KB each; churn: 10 flat samples; drain: 2. */
function run(): Sample[] {
  const phases: Array<[string, number]> = [
    ['prime', 5],
    ['warmup', 40],
    ['churn', 10],
    ['drain', 2],
  ];
  const out: Sample[] = [];
  let work = 0;
  let heap = 5_000_000;
  for (const [phase, n] of phases) {
    for (let i = 0; i < n; i += 1) {
      if (phase !== 'prime') work += 25;
      if (phase === 'warmup') heap += 65_536;
      out.push({
        seq: out.length,
        wallMs: 0,
        virtualMs: 0,
        phase,
        work: { session: work },
        heapUsedBytes: heap + (i % 3) * 200,
        heapTotalBytes: 8e6,
      });
    }
  }
  return out;
}

describe('the judged window', () => {
  it("judges every phase but the harness's priming and the declared warm-up, or only the phases a scenario names", () => {
    const samples = run();
    expect(UNJUDGED_PHASES).toEqual(['prime', 'warmup']);
    expect(new Set(judgedSamples(samples).map((s) => s.phase))).toEqual(new Set(['churn', 'drain']));
    expect(judgedSamples(samples).length).toBe(12);
    expect(judgedSamples(samples, ['churn']).every((s) => s.phase === 'churn')).toBe(true);
    expect(judgedSamples(samples, ['warmup', 'churn']).length).toBe(50);
  });

  it('cuts the settling share from the judged samples only, so a warm-up that grew the heap is never judged', () => {
    const judged = judgedSamples(run());
    const v = classifyGrowth(heapSeries(judged, 'session'), HEAP);
    expect(v.verdict).toBe('bounded');
    expect(v.pointsDiscarded).toBe(settlingPoints(12, settlingShare()));
    expect(v.pointsUsed).toBe(12 - v.pointsDiscarded);
    // Its twin: judged with the warm-up, whose rise outlasts any settling share, the run is no longer bounded.
    const withWarmup = classifyGrowth(heapSeries(judgedSamples(run(), ['warmup', 'churn', 'drain']), 'session'), HEAP);
    expect(withWarmup.verdict).not.toBe('bounded');
  });

  it('takes the settling share a metric asks for (exact counts ask for none), else the default fifth', () => {
    expect(settlingShare()).toBe(0.2);
    expect(settlingShare(0)).toBe(0);
    expect(settlingShare(2)).toBe(0.9);
    expect(settlingPoints(42, 0.2)).toBe(8);
  });
});
