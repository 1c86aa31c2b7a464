// checkAtMost: a hard limit at every sample, combined with the growth verdict under that cap.
import { describe, expect, it } from 'vitest';
import { checkAtMost } from '../../harness/verdict/index.ts';
import { MAP, filling, synth } from './synth.ts';

describe('checkAtMost', () => {
  it('calls any sample above the limit a leak, naming the first such sample and its value', () => {
    const points = synth({ seed: 1, units: 5000, every: 100, f: filling(2013) });
    const v = checkAtMost(points, 2000, MAP);
    expect(v.verdict).toBe('leak');
    expect(v.reasons[0]).toBe(
      'Map sessions exceeded the limit of at most 2000 entries: sample #21 (at 2100 sessions) held 2013 entries; ' +
        '30 of 50 samples were above the limit (max 2013 entries).',
    );
    expect(v.suggestion).toBeUndefined();
    expect(v.warnings).toEqual([]);
  });

  it('counts a breach during warm-up too: the limit holds at every sample', () => {
    const points = synth({ seed: 1, units: 5000, every: 100, f: filling(1500) });
    points[1] = { x: 200, y: 2500 };
    const v = checkAtMost(points, 2000, MAP);
    expect(v.verdict).toBe('leak');
    expect(v.reasons[0]).toContain('sample #2 (at 200 sessions) held 2500 entries');
  });

  it('calls a cache that fills to the limit and holds there bounded', () => {
    const v = checkAtMost(synth({ seed: 1, units: 5000, every: 100, f: filling(2000) }), 2000, MAP);
    expect(v.verdict).toBe('bounded');
    expect(v.reasons[0]).toBe('Map sessions never exceeded the limit of at most 2000 entries (max 2000 entries over 50 samples).');
  });

  it('calls a cache still filling under the limit inconclusive, with the run that would settle it', () => {
    const v = checkAtMost(synth({ seed: 1, units: 1500, every: 100, f: filling(2000) }), 2000, MAP);
    expect(v.verdict).toBe('inconclusive');
    expect(v.suggestion).toBe('run at least 3000 sessions so the declared cap of 2000 entries is passed and the plateau is seen.');
  });

  it('calls a collection that stays flat well under the limit bounded', () => {
    const v = checkAtMost(synth({ seed: 1, units: 5000, every: 100, f: () => 40 }), 2000, MAP);
    expect(v.verdict).toBe('bounded');
    expect(v.shape).toBe('flat');
  });
});
