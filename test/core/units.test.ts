import { describe, expect, it } from 'vitest';
import { formatBytes, formatRate } from '../../harness/core/units.ts';

describe('formatting figures for people', () => {
  it('steps up a unit when rounding reaches 1024', () => {
    expect(formatBytes(1023.9)).toBe('1.00 KB');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(-2 * 1024 * 1024)).toBe('-2.00 MB');
  });

  it('says rates per unit, and small counted rates as one per N units', () => {
    expect(formatRate(1946, 'bytes', 'session')).toBe('+1.90 KB per session');
    expect(formatRate(0.01, 'entries', 'session')).toBe('+1 entry per 100 sessions');
    expect(formatRate(0.9, 'entries', 'session')).toBe('+0.90 entries per session');
    expect(formatRate(3, 'calls', 'tool call')).toBe('+3 calls per tool call');
  });

  it('never signs a figure that rounds to zero', () => {
    expect(formatBytes(-0.3)).toBe('0 B');
    expect(formatRate(-0.3, 'bytes', 'session')).toBe('0 B per session');
    expect(formatRate(0.4, 'bytes', 'session')).toBe('0 B per session');
    expect(formatRate(-270, 'bytes', 'cycle')).toBe('-270 B per cycle');
  });
});
