// Errors are verdicts: every response of a load is expected (2xx, or a failure the profile planned,
// such as a job whose upstream prompt the mock faulted on purpose) or unexpected (any other
// non-2xx answer, a timeout, a reset). The unexpected share is held to a budget, zero by default.
// Pure: the response log in, counts and an expectation result out.
import type { ExpectationResult } from '../report/model.ts';
import { groupDigits } from '../report/format.ts';
import { failureText, percentText } from '../report/load-section.ts';
import type { ErrorCounts } from '../report/load-model.ts';
import type { ResponseLog } from './cannon.ts';

export type { ErrorCounts } from '../report/load-model.ts';

/** Non-2xx answers a profile plans, per request kind (CannonRequest.name), over the whole run. */
export type PlannedFailures = Record<string, number>;

const is2xx = (status: number) => status >= 200 && status <= 299;

/**
 * Mark each response of the log unexpected or not. Planned failures of a request kind excuse that
 * kind's first non-2xx answers, up to the number planned: a target that fails more jobs than the
 * faults it was dealt has failures of its own.
 */
export function classifyResponses(log: ResponseLog, planned: PlannedFailures): boolean[] {
  const left = new Map(Object.entries(planned));
  return log.outcome.map((outcome, i) => {
    if (outcome !== 'answered') return true;
    if (is2xx(log.status[i]!)) return false;
    const kind = log.request[i] ?? '';
    const excused = left.get(kind) ?? 0;
    if (excused > 0) {
      left.set(kind, excused - 1);
      return false;
    }
    return true;
  });
}

/** Counts over the responses [from, to) of the log. */
export function countErrors(log: ResponseLog, unexpected: readonly boolean[], from = 0, to = log.outcome.length): ErrorCounts {
  const c: ErrorCounts = {
    requests: 0,
    non2xxByStatus: {},
    non2xx: 0,
    timeouts: 0,
    requestErrors: 0,
    expected: 0,
    unexpected: 0,
    unexpectedRate: 0,
  };
  for (let i = from; i < to; i += 1) {
    c.requests += 1;
    const outcome = log.outcome[i]!;
    if (outcome === 'timeout') c.timeouts += 1;
    else if (outcome === 'error') c.requestErrors += 1;
    else if (!is2xx(log.status[i]!)) {
      c.non2xx += 1;
      const key = String(log.status[i]);
      c.non2xxByStatus[key] = (c.non2xxByStatus[key] ?? 0) + 1;
      if (!unexpected[i]) c.expected += 1;
    }
    if (unexpected[i]) c.unexpected += 1;
  }
  c.unexpectedRate = c.requests > 0 ? c.unexpected / c.requests : 0;
  return c;
}

export interface ErrorBudget {
  /** Largest share of requests that may fail unexpectedly; 0: none may. */
  maxUnexpectedRate: number;
  requestTimeoutMs: number;
}

/** The expectation "no unexpected request errors" (or "at most x %"), judged on the whole load. */
export function judgeErrors(c: ErrorCounts, budget: ErrorBudget, plannedText: string): ExpectationResult {
  const limitText = budget.maxUnexpectedRate === 0 ? 'none' : `at most ${percentText(budget.maxUnexpectedRate)}`;
  const base = {
    id: 'errors-within-budget',
    description:
      budget.maxUnexpectedRate === 0
        ? 'no unexpected request errors (non-2xx, timeouts)'
        : `unexpected request errors ≤ ${percentText(budget.maxUnexpectedRate)}`,
    warnings: [] as string[],
    // A budget on failed requests is a check (pass / fail with counts), not a memory verdict.
    kind: 'check' as const,
    checks: { total: c.requests, failed: c.unexpected },
  };
  if (c.requests === 0) {
    return {
      ...base,
      passed: false,
      verdict: 'inconclusive',
      estimate: '0 requests',
      reasons: ['No request completed: there is nothing to judge errors on.'],
    };
  }
  const estimate = `${groupDigits(c.unexpected)} of ${groupDigits(c.requests)} (${percentText(c.unexpectedRate)})`;
  const expected = c.expected > 0 ? ` ${groupDigits(c.expected)} non-2xx answers were expected (${plannedText}).` : '';
  const failures = failureText(c, budget.requestTimeoutMs);
  const over = budget.maxUnexpectedRate === 0 ? c.unexpected > 0 : c.unexpectedRate > budget.maxUnexpectedRate;
  if (over) {
    return {
      ...base,
      passed: false,
      verdict: 'fail',
      estimate,
      reasons: [
        `${groupDigits(c.unexpected)} of ${groupDigits(c.requests)} requests (${percentText(c.unexpectedRate)}) failed unexpectedly: ${failures}. Allowed: ${limitText}.${expected}`,
      ],
    };
  }
  return {
    ...base,
    passed: true,
    verdict: 'pass',
    estimate,
    reasons: [
      c.unexpected === 0
        ? `All ${groupDigits(c.requests)} requests were answered as expected.${expected}`
        : `${groupDigits(c.unexpected)} of ${groupDigits(c.requests)} requests failed unexpectedly (${failures}), within ${limitText}.${expected}`,
    ],
  };
}
