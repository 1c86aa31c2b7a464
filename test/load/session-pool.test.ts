import { describe, expect, it } from 'vitest';
import { SessionPool } from '../../harness/load/session-pool.ts';

const pool = (o: Partial<ConstructorParameters<typeof SessionPool>[0]> = {}) =>
  new SessionPool({ size: 8, newSessionEveryRequests: 4, cleanEndShare: 0.5, seed: 1, ...o });

describe('SessionPool', () => {
  it('gives every request a session id and keeps introducing new ids at the declared rate', () => {
    const p = pool();
    const calls = Array.from({ length: 400 }, () => p.next());
    expect(calls.every((c) => /^ses_load\d{20}$/.test(c.sessionID))).toBe(true);
    const starts = calls.filter((c) => c.hook === 'session-start');
    expect(starts).toHaveLength(100);
    expect(new Set(starts.map((c) => c.sessionID)).size).toBe(100);
    expect(p.counts()).toEqual({ created: 108, retired: 100, live: 8 });
  });

  it('retires old ids: tool calls go only to live sessions, ended ones never come back', () => {
    const p = pool();
    const ended = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const c = p.next();
      if (c.hook === 'session-end') ended.add(c.sessionID);
      if (c.hook === 'tool-after') {
        expect(p.isLive(c.sessionID)).toBe(true);
        expect(ended.has(c.sessionID)).toBe(false);
      }
    }
    expect(ended.size).toBeGreaterThan(0);
  });

  it('ends the declared share of retired sessions cleanly; the rest vanish without an end', () => {
    const ends = (share: number) => {
      const p = pool({ cleanEndShare: share });
      return Array.from({ length: 4002 }, () => p.next()).filter((c) => c.hook === 'session-end').length;
    };
    // 1000 retirements in 4000 requests (one new id per 4); the last one's end follows it.
    expect(ends(0)).toBe(0);
    expect(ends(0.5)).toBe(500);
    expect(ends(1)).toBe(1000);
  });

  it('rejects a pool without sessions or a rate that is not a whole number, naming the figure', () => {
    expect(() => pool({ size: 0 })).toThrow(/session pool size 0: expected a whole number >= 1/);
    expect(() => pool({ newSessionEveryRequests: 0.5 })).toThrow(/newSessionEveryRequests 0.5/);
    expect(() => pool({ cleanEndShare: 2 })).toThrow(/cleanEndShare 2: expected a number in \[0, 1\]/);
  });
});
