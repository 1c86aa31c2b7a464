// Memory budgets against a run's figures, on synthetic reports and samples: a breach names the
// collection or route that carries it, a clean run stays within, and a figure the run does not
// have is reported as such (a config error), never as a pass.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../harness/core/types.ts';
import type { MemoryExpectationResult } from '../../harness/report/model.ts';
import { checkBudget } from '../../harness/gate/budgets.ts';
import { callsPerUnitOf, throughputOf, verdictWindow } from '../../harness/gate/figures.ts';
import { callsPerUnit, entriesPerUnit, heapBytesPerUnit } from '../../harness/gate/suite.ts';
import { heapMetric, leakReport, leakySamples } from '../report/fixtures.ts';

/** The same run shape with nothing growing: checkpointStates stays at 12 entries. */
function cleanSamples(n: number): Sample[] {
  return leakySamples(n).map((s) => ({
    ...s,
    heapUsedBytes: 8_000_000 + (s.seq % 7) * 300,
    collections: s.collections!.map((c) => (c.name === 'checkpointStates' ? { ...c, size: 12 } : c)),
  }));
}

const cleanReport = () => {
  const r = leakReport({ verdict: 'pass', exitCode: 0 });
  r.expectations[0] = {
    ...(r.expectations[0] as MemoryExpectationResult),
    passed: true,
    verdict: 'bounded',
    metric: { ...heapMetric(), verdict: 'bounded', slopePerUnit: 10, slopeInterval: [-20, 40] },
  };
  return r;
};

/** Samples whose mock accounting counted `callsPerToolCall` session.messages calls per tool call. */
function accountedSamples(callsPerToolCall: number | undefined): Sample[] {
  return leakySamples(20).map((s) => {
    const toolCalls = s.work.session! * 2;
    const counters: Record<string, number> = { 'opencode.session.create.calls': s.work.session! };
    if (callsPerToolCall !== undefined) counters['opencode.session.messages.calls'] = toolCalls * callsPerToolCall;
    return { ...s, work: { ...s.work, 'tool call': toolCalls }, counters };
  });
}

describe('memory budgets', () => {
  it('a heap budget is breached by a leaking run and met by a flat one', () => {
    const leak = checkBudget(heapBytesPerUnit(256), leakReport(), verdictWindow(leakySamples(100)));
    expect(leak.status).toBe('breached');
    expect(leak.status !== 'unavailable' && leak.valueText).toMatch(/^\+1\.90 KB per session \(95 % interval/);
    expect(leak.reason).toMatch(/over the budget of ≤ 256 B per session/);
    const flat = checkBudget(heapBytesPerUnit(256), cleanReport(), verdictWindow(cleanSamples(100)));
    expect(flat.status).toBe('within');
  });

  it('an entries budget names the collection that breaches it', () => {
    const leak = checkBudget(entriesPerUnit(0.05), leakReport(), verdictWindow(leakySamples(100)));
    expect(leak.status).toBe('breached');
    expect(leak.reason).toMatch(/^Map checkpointStates: \+1 entry per session, over the budget of ≤ 1 entry per 20 sessions/);
    expect(checkBudget(entriesPerUnit(0.05), cleanReport(), verdictWindow(cleanSamples(100))).status).toBe('within');
  });

  it('judges entries over the verdict window: a cache that filled during warm-up is not growth', () => {
    // stableCache fills to 50 in the first 5 samples (warm-up) and stays there.
    const named = checkBudget(entriesPerUnit(0.01, 'stableCache'), leakReport(), verdictWindow(leakySamples(100)));
    expect(named.status).toBe('within');
  });

  it('a budget on a collection the census never saw is unavailable, with the names it did see', () => {
    const r = checkBudget(entriesPerUnit(0.01, 'sessionz'), leakReport(), verdictWindow(leakySamples(100)));
    expect(r.status).toBe('unavailable');
    expect(r.reason).toMatch(/No collection named "sessionz".*checkpointStates, stableCache/);
  });

  it('a heap budget on a scenario without a heap expectation is unavailable', () => {
    const report = leakReport();
    report.expectations = report.expectations.filter((e) => e.id !== 'heap-bounded');
    expect(checkBudget(heapBytesPerUnit(64), report, verdictWindow(leakySamples(100))).status).toBe('unavailable');
  });

  it('a calls budget catches 3 session.messages calls per tool call and passes a target that never calls it', () => {
    const leaky = checkBudget(callsPerUnit('session.messages', 'tool call', 0.5), leakReport(), verdictWindow(accountedSamples(3)));
    expect(leaky.status).toBe('breached');
    expect(leaky.reason).toMatch(/^session\.messages: 3\.00 calls per tool call/);
    // The mock lists only routes that were called: absent with accounting on means 0 calls.
    const fixed = checkBudget(callsPerUnit('session.messages', 'tool call', 0.5), leakReport(), verdictWindow(accountedSamples(undefined)));
    expect(fixed.status).toBe('within');
    expect(fixed.status !== 'unavailable' && fixed.value).toBe(0);
  });

  it('a calls budget on a run without OpenCode accounting is unavailable', () => {
    const r = checkBudget(callsPerUnit('session.messages', 'tool call', 0.5), leakReport(), verdictWindow(leakySamples(100)));
    expect(r.status).toBe('unavailable');
    expect(callsPerUnitOf(leakySamples(100), 'session.messages', 'tool call')).toBeUndefined();
  });
});

describe('speed figures of a run', () => {
  it('throughput is units per second of the verdict window, net of sampling pauses', () => {
    // 10 sessions between samples 50 ms apart, 4 ms of each interval spent sampling.
    const window = verdictWindow(leakySamples(100)).filter((s) => s.phase === 'churn');
    const tp = throughputOf(window, 'session')!;
    expect(tp.units).toBe((window.length - 1) * 10);
    expect(tp.workSeconds).toBeCloseTo(((window.length - 1) * 46) / 1000, 9);
    expect(tp.unitsPerSecond).toBeCloseTo(10 / 0.046, 6);
  });

  it('the verdict window leaves out priming and warm-up, or keeps only the phases a scenario names', () => {
    const samples = leakySamples(100);
    expect(verdictWindow(samples).some((s) => s.phase === 'warmup')).toBe(false);
    expect(verdictWindow(samples, ['drain']).every((s) => s.phase === 'drain')).toBe(true);
  });
});
