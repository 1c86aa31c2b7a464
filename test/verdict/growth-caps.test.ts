// A declared cap: filling up to it is expected; bounded only once the plateau is seen past it.
import { describe, expect, it } from 'vitest';
import { classifyGrowth } from '../../harness/verdict/index.ts';
import { MAP, filling, synth } from './synth.ts';

const CAPPED = { ...MAP, cap: 2000 };

describe('classifyGrowth: declared caps', () => {
  it('calls a cache that fills to its cap of 2000 and stays there over 5000 sessions bounded', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 5000, every: 100, f: filling(2000) }), CAPPED);
    expect(v.verdict).toBe('bounded');
    expect(v.shape).toBe('saturating');
    expect(v.maxValue).toBe(2000);
    expect(v.reasons).toEqual([
      'Map sessions reached the declared cap of 2000 entries at about 2000 sessions and stayed at or below it ' +
        'for the remaining 3000 sessions (31 samples; max 2000 entries).',
    ]);
  });

  it('calls the same cache cut before it reaches the cap inconclusive, and says how far to run', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 1500, every: 100, f: filling(2000) }), CAPPED);
    expect(v.verdict).toBe('inconclusive');
    expect(v.shape).toBe('still-filling');
    expect(v.suggestion).toBe('run at least 3000 sessions so the declared cap of 2000 entries is passed and the plateau is seen.');
    expect(v.reasons[1]).toBe('At the recent rate of +1 entry per session it reaches the cap at about 2000 sessions.');
  });

  it('without a declared cap, the same rising series is a leak (why caps must be declared)', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 1500, every: 100, f: filling(2000) }), MAP);
    expect(v.verdict).toBe('leak');
  });

  it('is never bounded and never a leak while a slow filler stays under its cap', () => {
    for (const units of [800, 1600, 3200, 6400]) {
      const v = classifyGrowth(synth({ seed: 2, units, every: units / 40, f: filling(2000, 0.25) }), CAPPED);
      expect(v.verdict, `at ${units} sessions`).toBe('inconclusive');
    }
    const done = classifyGrowth(synth({ seed: 2, units: 12800, every: 320, f: filling(2000, 0.25) }), CAPPED);
    expect(done.verdict).toBe('bounded');
  });

  it('calls a cache that only just reached its cap inconclusive: the plateau is too short', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 2300, every: 100, f: filling(2000) }), CAPPED);
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons[0]).toContain('reached the declared cap of 2000 entries at about 2000 sessions, but only 4 samples');
    expect(v.suggestion).toBe('run at least 3000 sessions so the declared cap of 2000 entries is passed and the plateau is seen.');
  });

  it('calls a series that passes its declared cap and keeps growing a leak', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 5000, every: 100, f: (x) => x }), CAPPED);
    expect(v.verdict).toBe('leak');
    expect(v.reasons[0]).toMatch(
      /^Map sessions passed the declared cap of 2000 entries at about 2100 sessions \(2100 entries\) and kept growing/,
    );
  });

  it('calls a cache that levels off below its cap bounded', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 5000, every: 100, f: filling(1500) }), CAPPED);
    expect(v.verdict).toBe('bounded');
    expect(v.reasons.at(-1)).toBe('It stayed below the declared cap of 2000 entries (max 1500 entries).');
  });

  it('warns, without calling a leak, when a series settles a little above its declared cap', () => {
    const v = classifyGrowth(synth({ seed: 1, units: 5000, every: 100, f: filling(2010) }), CAPPED);
    expect(v.verdict).toBe('bounded');
    expect(v.warnings.join(' ')).toContain('passed the declared cap of 2000 entries');
  });
});
