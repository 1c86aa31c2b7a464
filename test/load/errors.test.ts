// Errors are verdicts: which responses of a load are unexpected, and how the budget judges them. Pure.
import { describe, expect, it } from 'vitest';
import type { ResponseLog, ResponseOutcome } from '../../harness/load/cannon.ts';
import { classifyResponses, countErrors, judgeErrors } from '../../harness/load/errors.ts';

function log(rows: [request: string, status: number, outcome?: ResponseOutcome][]): ResponseLog {
  return {
    atMs: rows.map((_, i) => i),
    latencyMs: rows.map(([, , o]) => (o && o !== 'answered' ? 1000 : 2)),
    status: rows.map(([, s]) => s),
    outcome: rows.map(([, , o]) => o ?? 'answered'),
    request: rows.map(([r]) => r),
  };
}

const BUDGET = { maxUnexpectedRate: 0, requestTimeoutMs: 1000 };

describe('load errors', () => {
  it('judges a load whose every answer is 2xx within the zero budget', () => {
    const l = log([
      ['hook', 200],
      ['hook', 204],
      ['work', 200],
    ]);
    const c = countErrors(l, classifyResponses(l, {}));
    expect(c).toMatchObject({ requests: 3, unexpected: 0, non2xx: 0, unexpectedRate: 0 });
    const r = judgeErrors(c, BUDGET, 'none');
    expect(r.passed).toBe(true);
    expect(r.reasons[0]).toMatch(/All 3 requests were answered as expected/);
  });

  it('fails a load answered with 500s, saying how many requests failed and with what', () => {
    const l = log([
      ['hook', 500],
      ['hook', 500],
      ['hook', 200],
      ['hook', 500],
    ]);
    const c = countErrors(l, classifyResponses(l, {}));
    expect(c).toMatchObject({ requests: 4, unexpected: 3, non2xx: 3, non2xxByStatus: { 500: 3 } });
    const r = judgeErrors(c, BUDGET, 'none');
    expect(r.passed).toBe(false);
    expect(r.verdict).not.toBe('inconclusive');
    expect(r.estimate).toBe('3 of 4 (75 %)');
    expect(r.reasons[0]).toMatch(/^3 of 4 requests \(75 %\) failed unexpectedly: 3 answered HTTP 500\. Allowed: none\./);
  });

  it('counts timeouts and resets as unexpected errors and names them', () => {
    const l = log([
      ['hook', 0, 'timeout'],
      ['', 0, 'error'],
      ['hook', 200],
    ]);
    const c = countErrors(l, classifyResponses(l, {}));
    expect(c).toMatchObject({ timeouts: 1, requestErrors: 1, unexpected: 2 });
    expect(judgeErrors(c, BUDGET, 'none').reasons[0]).toMatch(/1 timed out \(no answer within 1 s\), 1 failed without an answer/);
  });

  it('excuses the non-2xx answers a profile planned for that kind of request, and no more', () => {
    // Two planned failures of 'work': the first two failed jobs are expected, the third is not,
    // and a failed hook never is.
    const l = log([
      ['work', 502],
      ['hook', 200],
      ['work', 422],
      ['work', 502],
      ['hook', 500],
    ]);
    const unexpected = classifyResponses(l, { work: 2 });
    expect(unexpected).toEqual([false, false, false, true, true]);
    const c = countErrors(l, unexpected);
    expect(c).toMatchObject({ expected: 2, unexpected: 2, non2xx: 4 });
    expect(judgeErrors(c, BUDGET, 'one failed job per fault').reasons[0]).toMatch(
      /2 non-2xx answers were expected \(one failed job per fault\)/,
    );
  });

  it('holds a non-zero budget as a share of requests', () => {
    const rows: [string, number][] = Array.from({ length: 1000 }, (_, i) => ['hook', i < 5 ? 500 : 200]);
    const l = log(rows);
    const c = countErrors(l, classifyResponses(l, {}));
    expect(judgeErrors(c, { ...BUDGET, maxUnexpectedRate: 0.01 }, 'none').passed).toBe(true);
    expect(judgeErrors(c, { ...BUDGET, maxUnexpectedRate: 0.001 }, 'none').passed).toBe(false);
  });

  it('calls a load in which no request completed inconclusive, not a pass', () => {
    const l = log([]);
    const r = judgeErrors(countErrors(l, []), BUDGET, 'none');
    expect(r.passed).toBe(false);
    expect(r.verdict).toBe('inconclusive');
  });
});
