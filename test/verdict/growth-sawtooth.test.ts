// Periodic trims: collections cleared at N, trimmed to half, or LRU-evicted in batches are bounded
// whatever phase the samples catch, and one whose troughs rise is a leak. Exact, seeded-free
// series: the teeth are simulated add by add and sampled every k units at several offsets.
import { describe, expect, it } from 'vitest';
import type { MetricVerdict } from '../../harness/core/types.ts';
import { checkAtMost, classifyGrowth } from '../../harness/verdict/index.ts';
import { BASE_HEAP, HEAP, HEAP_NOISE, MAP, clearAt, lruBatch, sawtooth, synth, trimToHalf, type Trim } from './synth.ts';

const SHAPES: Array<[string, (n: number) => Trim, (n: number) => number]> = [
  ['cleared at N', clearAt, (n) => n],
  ['trimmed to half past N', trimToHalf, (n) => n / 2],
  ['LRU-evicted a quarter at a time past N', lruBatch, (n) => n / 4],
];
/** Sampling intervals against tooth periods of 50-1337 units: divisors, non-divisors, coprime. */
const EVERY = [7, 10, 25, 33, 100];
const OFFSETS = [0, 0.37, 0.71];

/** Every shape × size × rate × sampling interval × phase, with at least 6 teeth after warm-up. */
function grid(keptPerUnit: number): Array<{ name: string; v: MetricVerdict }> {
  const out: Array<{ name: string; v: MetricVerdict }> = [];
  for (const [shape, trim, removed] of SHAPES) {
    for (const n of [200, 1000, 1337]) {
      for (const addsPerUnit of [1, 4]) {
        for (const every of EVERY) {
          const period = removed(n) / addsPerUnit;
          // A sampling interval within 5 % of a multiple of the period sees the same phase for
          // dozens of samples (a beat longer than the run): no run of this size can see teeth.
          const beat = (every / period) % 1;
          if (every >= 0.95 * period && Math.min(beat, 1 - beat) < 0.05) continue;
          for (const phase of OFFSETS) {
            const units = Math.max(every * 40, Math.ceil((period * 6) / 0.8));
            if (units / every > 200) continue; // long series cost time and prove nothing more
            const points = sawtooth({ trim: trim(n), addsPerUnit, every, offset: Math.round(phase * period), units, keptPerUnit });
            out.push({ name: `${shape} n=${n} adds=${addsPerUnit}/unit every=${every} phase=${phase}`, v: classifyGrowth(points, MAP) });
          }
        }
      }
    }
  }
  return out;
}

const count = (rows: Array<{ v: MetricVerdict }>, verdict: string) => rows.filter((r) => r.v.verdict === verdict).length;
const listed = (rows: Array<{ name: string; v: MetricVerdict }>) =>
  rows.map((r) => `${r.name}: ${r.v.verdict} — ${r.v.reasons[0]}`).join('\n');

describe('periodically trimmed collections', () => {
  it('are bounded at every sampling interval and phase: no leak, no inconclusive', () => {
    const rows = grid(0);
    expect(rows.length).toBeGreaterThan(120);
    const notBounded = rows.filter((r) => r.v.verdict !== 'bounded');
    expect(notBounded, listed(notBounded)).toEqual([]);
    // Where the samples see the teeth, the shape is named with its floor and ceiling.
    const named = rows.filter((r) => r.v.shape === 'sawtooth');
    expect(named.length).toBeGreaterThan(0.8 * rows.length);
    for (const { v } of named) {
      expect(v.sawtooth!.ceiling).toBeGreaterThan(v.sawtooth!.floor);
      expect(v.reasons[0]).toMatch(/saw-toothed between .* and .*: it dropped back \d+ times/);
    }
  });

  it('names a dedupe Set trimmed past 1000 to its newest 500 as a sawtooth between its floor and ceiling', () => {
    const points = sawtooth({ trim: trimToHalf(1000), addsPerUnit: 4, every: 30, offset: 0, units: 1500 });
    const v = classifyGrowth(points, { ...MAP, label: 'Set seenCallIds' });
    expect(v.verdict).toBe('bounded');
    expect(v.shape).toBe('sawtooth');
    expect(v.sawtooth!.ceiling).toBeLessThanOrEqual(1000);
    expect(v.sawtooth!.ceiling).toBeGreaterThan(900);
    expect(v.sawtooth!.floor).toBeGreaterThanOrEqual(501);
    expect(v.sawtooth!.floor).toBeLessThan(650);
    expect(v.reasons[0]).toMatch(/^Set seenCallIds saw-toothed between \d+ entries and \d+ entries/);
  });

  it('stays bounded under a declared limit it never passes, the sawtooth named after the limit line', () => {
    const points = sawtooth({ trim: trimToHalf(1000), addsPerUnit: 4, every: 100, offset: 0, units: 5000 });
    const v = checkAtMost(points, 2000, MAP);
    expect(v.verdict).toBe('bounded');
    expect(v.shape).toBe('sawtooth');
    expect(v.reasons[0]).toMatch(/never exceeded the limit of at most 2000 entries/);
    expect(v.reasons[1]).toMatch(/saw-toothed/);
  });

  it('calls rising troughs a leak: one entry per unit survives every trim', () => {
    const rows = grid(1);
    expect(count(rows, 'bounded'), listed(rows.filter((r) => r.v.verdict === 'bounded'))).toBe(0);
    expect(count(rows, 'leak') / rows.length).toBeGreaterThan(0.95);
    const viaTroughs = rows.filter((r) => r.v.shape === 'sawtooth' && r.v.verdict === 'leak');
    expect(viaTroughs.length).toBeGreaterThan(0);
    for (const { v } of viaTroughs) {
      expect(v.reasons[0]).toMatch(/but its troughs rose/);
      expect(v.slopePerUnit).toBeGreaterThan(0.5); // the troughs' growth, not the teeth's
      expect(v.slopePerUnit).toBeLessThan(1.5);
    }
  });

  it('judges a heap that saw-tooths with a trimmed cache bounded, and one whose troughs rise a leak', () => {
    // 64 KB of entries freed per trim, on top of realistic post-GC scatter.
    const teeth = (x: number) => 2048 * (x % 32);
    const flat = synth({ seed: 7, units: 2000, every: 5, f: (x) => BASE_HEAP + teeth(x), noise: HEAP_NOISE });
    const rising = synth({ seed: 7, units: 2000, every: 5, f: (x) => BASE_HEAP + teeth(x) + 64 * x, noise: HEAP_NOISE });
    expect(classifyGrowth(flat, HEAP).verdict).toBe('bounded');
    const leak = classifyGrowth(rising, HEAP);
    expect(leak.verdict).toBe('leak');
    expect(leak.slopePerUnit).toBeGreaterThan(50);
    expect(leak.slopePerUnit).toBeLessThan(80);
  });
});
