// Load entries in the gate: p99 latency and request throughput are absolute budgets read from the
// load's totals, a scenario entry cannot carry them, and p99 is compared with the baseline as
// lower-is-better (a 30 % slower p99 is a regression, never an improvement).
import { describe, expect, it } from 'vitest';
import { checkBudget } from '../../harness/gate/budgets.ts';
import { prepareSuite } from '../../harness/gate/prepare.ts';
import { checkSpeed } from '../../harness/gate/speed.ts';
import { errorRate, loadSpeed, p99LatencyMs, requestsPerSecond, type GateSuite } from '../../harness/gate/suite.ts';
import { gaussian, mulberry32 } from '../../harness/core/random.ts';
import { leakReport } from '../report/fixtures.ts';
import type { RunReport } from '../../harness/report/model.ts';

function loadReport(p99: number, requestsPerSec: number): RunReport {
  const r = leakReport({ verdict: 'pass', exitCode: 0 });
  const latencyMs = { p50: p99 / 10, p90: p99 / 2, p99, max: p99 * 2, mean: p99 / 8 };
  r.load = {
    totals: { requests: 10_000, durationMs: 20_000, requestsPerSec, latencyMs, errors: 0, timeouts: 0, non2xx: 0 },
  } as unknown as RunReport['load'];
  return r;
}

/** A load report whose requests failed `unexpected` times, all of them as HTTP 500. */
function erroredReport(requests: number, unexpected: number): RunReport {
  const r = loadReport(100, 400);
  const counts = {
    requests,
    non2xxByStatus: (unexpected ? { 500: unexpected } : {}) as Record<string, number>,
    non2xx: unexpected,
    timeouts: 0,
    requestErrors: 0,
    expected: 0,
    unexpected,
    unexpectedRate: unexpected / requests,
  };
  r.load!.errors = { ...counts, maxUnexpectedRate: 0, requestTimeoutMs: 10_000, planned: 'none', measured: counts };
  return r;
}

const prepare = (suite: GateSuite) => prepareSuite(suite, { source: 'test config', baseDir: process.cwd(), scenarios: [] });

describe('gate load entries', () => {
  it('hold p99 latency under its ceiling and throughput over its floor', () => {
    expect(checkBudget(p99LatencyMs(500), loadReport(120, 400), []).status).toBe('within');
    const slow = checkBudget(p99LatencyMs(500), loadReport(900, 400), []);
    expect(slow.status).toBe('breached');
    expect(slow.reason).toBe('p99 latency: 900 ms over 10000 requests, over the budget of ≤ 500 ms.');
    expect(checkBudget(requestsPerSecond(100), loadReport(120, 400), []).status).toBe('within');
    const starved = checkBudget(requestsPerSecond(100), loadReport(120, 40), []);
    expect(starved.status).toBe('breached');
    expect(starved.reason).toMatch(/request throughput: 40\.0 requests\/s .*over the budget of ≥ 100 requests\/s/);
  });

  it('call a latency budget on a run that is not a load run unavailable, never a pass', () => {
    expect(checkBudget(p99LatencyMs(500), leakReport(), []).status).toBe('unavailable');
  });

  it('prepare with request units, a default id per profile, and refuse load budgets on scenarios', () => {
    const [p] = prepare({ entries: [{ kind: 'load', maxRequests: 5000, budgets: [p99LatencyMs(2000)] }] });
    expect(p).toMatchObject({ kind: 'load', id: 'load-daemon', unit: 'request', name: 'load-daemon' });
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'x', budgets: [p99LatencyMs(1)] }] })).toThrow(/needs a load entry/);
    expect(() => prepare({ entries: [{ kind: 'load', budgets: [{ kind: 'speed', figure: 'throughput' }] }] })).toThrow(
      /a load entry has p99LatencyMs, requestsPerSecond/,
    );
    expect(() => prepare({ entries: [{ kind: 'load', profile: 'nope' as never }] })).toThrow(
      /profile "nope"; expected one of hooks, daemon, opencode-api/,
    );
    expect(() => prepare({ entries: [{ kind: 'load', maxRequests: 0 }] })).toThrow(/maxRequests is 0; expected a whole number > 0/);
    expect(() => prepare({ entries: [{ kind: 'load', samples: 5 }] })).toThrow(/samples is 5; expected a whole number from 12 to 1000/);
    expect(prepare({ entries: [{ kind: 'load', samples: 80 }] })[0]).toMatchObject({ entry: { samples: 80 } });
  });

  it('hold unexpected request errors to the error budget, none by default', () => {
    const none = checkBudget(errorRate(), erroredReport(3000, 3000), []);
    expect(none.status).toBe('breached');
    expect(none.reason).toBe(
      'unexpected request errors: 3 000 of 3 000 requests (100 %): 3 000 answered HTTP 500, over the budget of none.',
    );
    // Zero means zero: one failure in 10 000 breaches it.
    expect(checkBudget(errorRate(0), erroredReport(10_000, 1), []).status).toBe('breached');
    expect(checkBudget(errorRate(0), erroredReport(10_000, 0), []).status).toBe('within');
    expect(checkBudget(errorRate(0.001), erroredReport(10_000, 5), []).status).toBe('within');
    expect(checkBudget(errorRate(0.001), erroredReport(10_000, 20), []).status).toBe('breached');
    expect(checkBudget(errorRate(), leakReport(), []).status).toBe('unavailable');
  });

  it('give every load entry an error budget of zero unless it declares one, and refuse it on scenarios', () => {
    expect(prepare({ entries: [{ kind: 'load' }] })[0]!.budgets).toEqual([errorRate(0)]);
    expect(prepare({ entries: [{ kind: 'load', budgets: [errorRate(0.01)] }] })[0]!.budgets).toEqual([errorRate(0.01)]);
    expect(() => prepare({ entries: [{ kind: 'scenario', scenario: 'x', budgets: [errorRate()] }] })).toThrow(/needs a load entry/);
    expect(() => prepare({ entries: [{ kind: 'load', budgets: [errorRate(5)] }] })).toThrow(
      /atMostShare is 5; expected a share from 0 to 1/,
    );
  });

  it('compare p99 with the baseline as lower-is-better: 30 % slower is a regression', () => {
    const rnd = mulberry32(7);
    const runs = (median: number) => Array.from({ length: 12 }, () => median * (1 + 0.04 * gaussian(rnd)));
    const baseline = {
      unitText: 'ms',
      direction: 'lower-is-better' as const,
      runs: runs(200),
      recordedAt: '',
      machine: { cpuModel: 'x', cpus: 2, node: 'v20', platform: 'linux' },
      command: '',
    };
    const slower = checkSpeed(loadSpeed('p99LatencyMs', { onRegression: 'fail' }), 'load-daemon/p99LatencyMs', 'ms', runs(260), baseline);
    expect(slower.status).toBe('regressed');
    expect(slower.fails).toBe(true);
    const same = checkSpeed(loadSpeed('p99LatencyMs'), 'load-daemon/p99LatencyMs', 'ms', runs(200), baseline);
    expect(same.status).not.toBe('regressed');
    expect(same.status).not.toBe('improved');
  });
});
