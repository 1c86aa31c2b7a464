// Chart arithmetic: thinning keeps the envelope, ticks land on round values in one unit.
import { describe, expect, it } from 'vitest';
import { downsampleMinMax, niceAxis, tickLabel } from '../../harness/report/chart-math.ts';

describe('downsampleMinMax', () => {
  it('leaves short series untouched', () => {
    const pts = [
      { x: 0, y: 1 },
      { x: 1, y: 2 },
    ];
    expect(downsampleMinMax(pts, 10)).toBe(pts);
  });

  it('bounds the point count and keeps every bucket extreme, first and last point', () => {
    const pts = Array.from({ length: 5000 }, (_, i) => ({ x: i, y: Math.sin(i / 5) }));
    pts[1234]!.y = 99;
    pts[4321]!.y = -99;
    const out = downsampleMinMax(pts, 100);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out[0]).toBe(pts[0]);
    expect(out[out.length - 1]).toBe(pts[4999]);
    expect(Math.max(...out.map((p) => p.y))).toBe(99);
    expect(Math.min(...out.map((p) => p.y))).toBe(-99);
    // Still in x order, so a polyline through them does not zig-zag back.
    expect(out.every((p, i) => i === 0 || p.x >= out[i - 1]!.x)).toBe(true);
  });
});

describe('niceAxis', () => {
  it('covers the data with ticks at 1, 2 or 5 times a power of ten', () => {
    const axis = niceAxis(0, 937, 5);
    expect(axis.ticks).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axis.min).toBe(0);
    expect(axis.max).toBe(1000);
  });

  it('ticks bytes in one binary unit so labels never mix KB and MB', () => {
    const mb = 1024 * 1024;
    const axis = niceAxis(7.6 * mb, 9.4 * mb, 5, 'bytes');
    const labels = axis.ticks.map((t) => tickLabel(t, 'bytes', axis));
    expect(labels.every((l) => l.endsWith(' MB'))).toBe(true);
    expect(labels).toContain('8 MB');
    expect(labels).toContain('9 MB');
  });

  it('widens a flat series so it still has an axis', () => {
    const axis = niceAxis(5, 5);
    expect(axis.min).toBeLessThan(5);
    expect(axis.max).toBeGreaterThan(5);
  });

  it('never ticks fractions of a work unit', () => {
    expect(niceAxis(0, 1, 6, 'count', true).ticks).toEqual([0, 1]);
  });
});

describe('tickLabel', () => {
  it('shortens large counts', () => {
    expect(tickLabel(250, 'entries')).toBe('250');
    expect(tickLabel(12_000, 'entries')).toBe('12k');
    expect(tickLabel(1_500_000, 'entries')).toBe('1.5M');
  });
});
