// Flat series, one-off steps and curves that level off are bounded; never a leak.
import { describe, expect, it } from 'vitest';
import { classifyGrowth } from '../../harness/verdict/index.ts';
import { HEAP, HEAP_NOISE, ROUGH_HEAP_NOISE, linear, oneOffStep, saturating, synth } from './synth.ts';

const GC_TIMING_NOISE = { sigma: 300, gcProb: 0.35, gcMean: 6144, outlierProb: 0, outlierMin: 0, outlierMax: 0 };

describe('classifyGrowth: bounded', () => {
  it.each([
    { name: 'post-GC scatter with rare outliers', noise: HEAP_NOISE },
    { name: 'KB-level scatter', noise: ROUGH_HEAP_NOISE },
    { name: 'GC-timing noise (garbage not yet collected at some samples)', noise: GC_TIMING_NOISE },
  ])('calls a flat series with $name bounded and flat', ({ noise }) => {
    const v = classifyGrowth(synth({ seed: 21, units: 2000, every: 25, f: linear(0), noise }), HEAP);
    expect(v.verdict).toBe('bounded');
    expect(v.shape).toBe('flat');
    expect(v.slopeInterval[1]).toBeLessThan(8);
    expect(v.reasons[0]).toMatch(/even the top of the interval is below the floor of \+8 B per session\.$/);
  });

  it.each([700, 1000, 1500])('calls a one-off 256 KB allocation at %i sessions a bounded step, not a leak', (at) => {
    const v = classifyGrowth(synth({ seed: 6, units: 2000, every: 25, f: oneOffStep(at, 256 * 1024), noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('bounded');
    expect(v.shape).toBe('step');
    expect(v.reasons[0]).toContain(`rose once by +256 KB at about ${at} sessions`);
  });

  it('does not call a jump in the last few samples bounded: it may be a leak starting', () => {
    const v = classifyGrowth(synth({ seed: 6, units: 2000, every: 25, f: oneOffStep(1925, 256 * 1024), noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.shape).toBe('step');
    expect(v.suggestion).toBe('run at least 2300 sessions so the level after the jump is seen for longer.');
  });

  it('calls a curve that grows and then stays flat for a long final stretch bounded and saturating', () => {
    const v = classifyGrowth(synth({ seed: 8, units: 4000, every: 50, f: saturating(2 * 1024 * 1024, 400), noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('bounded');
    expect(v.shape).toBe('saturating');
    expect(v.reasons[0]).toMatch(/then held flat for the final \d+ sessions .*: it levelled off\.$/);
  });

  it('calls a curve still clearly rising but slowing down inconclusive, with the run that would settle it', () => {
    const v = classifyGrowth(synth({ seed: 9, units: 2000, every: 25, f: saturating(5 * 1024 * 1024, 1500), noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.shape).toBe('still-filling');
    expect(v.reasons[0]).toMatch(/is still rising at the end .* but slower than before/);
    expect(v.suggestion).toMatch(/^run at least \d+ sessions to see whether it levels off/);
  });

  it('does not call growth that starts in the later half a leak yet, and asks for a longer run', () => {
    const v = classifyGrowth(
      synth({ seed: 12, units: 2000, every: 25, f: (x) => linear(0)(x) + Math.max(0, x - 1200) * 256, noise: HEAP_NOISE }),
      HEAP,
    );
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons[0]).toContain('grew only in the later half of the run');
    expect(v.suggestion).toBe('run at least 4000 sessions to see whether the growth persists.');
  });

  it('calls a shrinking series bounded', () => {
    const v = classifyGrowth(synth({ seed: 2, units: 2000, every: 25, f: linear(-64), noise: HEAP_NOISE }), HEAP);
    expect(v.verdict).toBe('bounded');
    expect(v.slopePerUnit).toBeLessThan(0);
  });

  it('never calls growth under the slope floor a leak, however consistent', () => {
    const v = classifyGrowth(synth({ seed: 4, units: 20000, every: 100, f: linear(4), noise: { ...HEAP_NOISE, sigma: 100 } }), HEAP);
    expect(v.verdict).not.toBe('leak');
    const tuned = classifyGrowth(synth({ seed: 4, units: 20000, every: 100, f: linear(4), noise: { ...HEAP_NOISE, sigma: 100 } }), {
      ...HEAP,
      minSlopePerUnit: 2,
    });
    expect(tuned.verdict).toBe('leak');
  });
});
