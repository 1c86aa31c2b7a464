// How runs, budgets and speed turn into an entry's status and the gate's exit code: an error is
// never a pass and keeps its own code, and outranks a leak, which outranks inconclusive.
import { describe, expect, it } from 'vitest';
import type { BudgetResult } from '../../harness/gate/budgets.ts';
import type { GateRun } from '../../harness/gate/model.ts';
import { entryOutcome, gateExitCode } from '../../harness/gate/outcome.ts';
import type { SpeedResult } from '../../harness/gate/speed.ts';
import { heapBytesPerUnit } from '../../harness/gate/suite.ts';

function run(over: Partial<GateRun> = {}): GateRun {
  return {
    runId: 'r1',
    dir: 'runs/x/r1',
    verdict: 'pass',
    exitCode: 0,
    durationMs: 1000,
    failed: [],
    budgets: [],
    speed: {},
    workDone: {},
    command: 'npm run scenario x',
    ...over,
  };
}
const leakRun = () =>
  run({
    verdict: 'leak',
    exitCode: 1,
    failed: [
      {
        id: 'collections-bounded',
        description: 'every growing collection stays <= 41 entries',
        verdict: 'leak',
        estimate: '+1 entry per 5 cycles',
        reason: 'Set bypassed: leak. Grew steadily.',
      },
    ],
  });
const budget = (status: 'within' | 'breached' | 'unavailable'): BudgetResult =>
  status === 'unavailable'
    ? { status, budget: heapBytesPerUnit(64), label: 'heap per session', limitText: '≤ 64 B per session', reason: 'no heap expectation' }
    : {
        status,
        budget: heapBytesPerUnit(64),
        label: 'heap per session',
        value: 100,
        valueText: '+100 B per session',
        limitText: '≤ 64 B per session',
        reason: 'used heap after GC: +100 B per session',
      };
const speed = (status: SpeedResult['status'], fails: boolean): SpeedResult => ({
  key: 'x/throughput',
  figure: 'throughput',
  unitText: 'sessions/s',
  direction: 'higher-is-better',
  onRegression: fails ? 'fail' : 'warn',
  status,
  fails,
  current: [1],
  line: 'throughput: 100 -> 60',
  reasons: [],
});

describe('entry outcome', () => {
  it('a leak fails the entry with exit 1 and the headline names the collection', () => {
    const o = entryOutcome([leakRun()], [], 'gate');
    expect(o).toMatchObject({ status: 'fail', exitCode: 1 });
    expect(o.headline).toContain('+1 entry per 5 cycles');
    expect(o.headline).toContain('Set bypassed: leak');
  });

  it('a run that errored is an error with its own exit code, even next to a leak', () => {
    const o = entryOutcome(
      [leakRun(), run({ verdict: 'error', exitCode: 4, error: { kind: 'target crash', message: 'exit 134\nmore' } })],
      [],
      'gate',
    );
    expect(o).toMatchObject({ status: 'error', exitCode: 4 });
    expect(o.headline).toContain('target crash: exit 134');
  });

  it("errors count even when the entry's verdicts are report-only", () => {
    expect(entryOutcome([run({ verdict: 'error', exitCode: 5 })], [], 'report-only').exitCode).toBe(5);
    expect(entryOutcome([leakRun()], [], 'report-only')).toMatchObject({ status: 'pass', exitCode: 0 });
  });

  it('a breached budget fails a run whose own verdict passed; a met one does not', () => {
    expect(entryOutcome([run({ budgets: [budget('breached')] })], [], 'gate')).toMatchObject({ status: 'fail', exitCode: 1 });
    expect(entryOutcome([run({ budgets: [budget('within')] })], [], 'gate')).toMatchObject({ status: 'pass', exitCode: 0 });
  });

  it('a budget the run cannot report is bad input (exit 3), not a pass', () => {
    expect(entryOutcome([run({ budgets: [budget('unavailable')] })], [], 'gate')).toMatchObject({ status: 'error', exitCode: 3 });
  });

  it("a speed regression fails only when its budget says 'fail'", () => {
    expect(entryOutcome([run()], [speed('regressed', true)], 'gate')).toMatchObject({ status: 'fail', exitCode: 1 });
    const warned = entryOutcome([run()], [speed('regressed', false)], 'gate');
    expect(warned).toMatchObject({ status: 'pass', exitCode: 0 });
    expect(warned.headline).toBe('pass, with 1 speed warning');
  });

  it('an inconclusive verdict is exit 2, and any failure outranks it', () => {
    const unsure = run({
      verdict: 'inconclusive',
      exitCode: 2,
      failed: [{ id: 'heap-bounded', description: 'used heap after GC is bounded', verdict: 'inconclusive', reason: 'too few points' }],
    });
    expect(entryOutcome([unsure], [], 'gate')).toMatchObject({ status: 'inconclusive', exitCode: 2 });
    expect(entryOutcome([unsure, leakRun()], [], 'gate').exitCode).toBe(1);
  });
});

describe('gate exit code', () => {
  it('is the worst error code when any entry errored, else 1, else 2, else 0', () => {
    const e = (exitCode: number) => ({ exitCode });
    expect(gateExitCode([e(0), e(0)])).toBe(0);
    expect(gateExitCode([e(0), e(2)])).toBe(2);
    expect(gateExitCode([e(2), e(1), e(0)])).toBe(1);
    expect(gateExitCode([e(1), e(4)])).toBe(4);
    expect(gateExitCode([e(3), e(5), e(1)])).toBe(5);
    expect(gateExitCode([])).toBe(3);
  });
});
