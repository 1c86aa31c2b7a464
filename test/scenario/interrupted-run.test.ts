// The runner's side of an interrupt (RunOptions.signal): the driver stops between batches, a
// workload that waits on something endless still ends, the samples so far are judged, and the run
// is 'interrupted' with 128 + the signal's number even when every expectation held so far.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interrupted } from '../../harness/core/interrupt.ts';
import type { Sample } from '../../harness/core/types.ts';
import type { Sampler } from '../../harness/observe/sampler.ts';
import { defineScenario } from '../../harness/scenario/define.ts';
import { ScenarioDriver, type DrivenTarget } from '../../harness/scenario/driver.ts';
import { cutShortNotes } from '../../harness/scenario/interrupt.ts';
import { expectCollectionsBounded } from '../../harness/scenario/expect.ts';
import { runScenario } from '../../harness/scenario/run.ts';

const outRoot = () => mkdtempSync(join(tmpdir(), 'churnlab-interrupted-'));
const sigterm = () => new Interrupted('SIGTERM', Date.now());

/**
 * The empty control over more units than any test waits for, judged only on its collections
 * (none grows in an empty target, so every expectation holds at any point: the run's verdict
 * would be pass), with short priming.
 */
function endlessControl(workload?: 'stuck-after-churn') {
  return defineScenario({
    name: 'interrupt-probe',
    summary: 'The empty control, stopped by a signal.',
    kind: 'unit',
    defaultTarget: 'fixtures/synthetic/empty-control.ts',
    unit: 'unit',
    params: { sessions: 1_000_000, seed: 1 },
    sampleEveryUnits: 50,
    primeSamples: 3,
    async workload(run, p) {
      run.phase('warmup');
      await run.units(100);
      run.phase('churn');
      if (workload === 'stuck-after-churn') {
        await run.units(50);
        await new Promise(() => undefined); // a hold nobody ends, a server that never answers
      }
      await run.units(p.sessions);
    },
    expect: [expectCollectionsBounded()],
  });
}

describe('an interrupted run', () => {
  it('never passes: every expectation held so far, the run is interrupted with exit 143', async () => {
    const controller = new AbortController();
    let churnSamples = 0;
    const { report, dir, exitCode } = await runScenario(endlessControl(), {
      outRoot: outRoot(),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'churn' && ++churnSamples === 5) controller.abort(sigterm());
      },
    });
    expect(exitCode).toBe(143);
    expect(report.verdict).toBe('interrupted');
    expect(report.interrupted).toMatchObject({ signal: 'SIGTERM', phase: 'churn', verdictSoFar: 'pass' });
    expect(report.expectations.every((e) => e.passed)).toBe(true);
    expect(report.interrupted!.workDone.unit).toBeGreaterThanOrEqual(100 + 5 * 50);
    // Nothing is sampled once the signal is in: the report's count is the file's.
    const lines = readFileSync(join(dir, 'samples.ndjson'), 'utf8').trim().split('\n');
    expect(report.interrupted!.samples).toBe(lines.length);
    expect(report.timing.samples).toBe(lines.length);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).verdict).toBe('interrupted');
  }, 120_000);

  it('a workload waiting on something that never ends still ends with the report', async () => {
    const controller = new AbortController();
    const { report, exitCode } = await runScenario(endlessControl('stuck-after-churn'), {
      outRoot: outRoot(),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'churn') controller.abort(new Interrupted('SIGINT', Date.now()));
      },
    });
    expect(exitCode).toBe(130);
    expect(report.interrupted).toMatchObject({ signal: 'SIGINT', phase: 'churn' });
  }, 120_000);

  it('a signal before the start launches nothing and still writes the report', async () => {
    const controller = new AbortController();
    controller.abort(sigterm());
    const { report, dir, exitCode } = await runScenario(endlessControl(), { outRoot: outRoot(), signal: controller.signal });
    expect(exitCode).toBe(143);
    expect(report.interrupted).toMatchObject({ signal: 'SIGTERM', phase: 'start', samples: 0, verdictSoFar: 'inconclusive' });
    expect(report.error).toBeUndefined();
    for (const f of ['report.json', 'summary.md', 'report.html']) expect(existsSync(join(dir, f))).toBe(true);
  }, 60_000);
});

describe('the driver under an interrupt', () => {
  it('stops between batches: the batch after the signal is never sent', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const target: DrivenTarget = {
      call: async <T>(method: string) => {
        calls.push(method);
        if (method === 'units' && calls.filter((m) => m === 'units').length === 2) controller.abort(sigterm());
        return {} as T;
      },
      advanceClock: async () => ({ virtualNowMs: 0 }),
    };
    const sampler = { sample: async (meta: Partial<Sample>) => ({ ...meta }) as Sample } as unknown as Sampler;
    const driver = new ScenarioDriver(target, sampler, {
      unit: 'unit',
      sampleEveryUnits: 10,
      startedAtMs: Date.now(),
      onSample: () => undefined,
      signal: controller.signal,
    });
    driver.phase('churn');
    await expect(driver.units(100)).rejects.toBeInstanceOf(Interrupted);
    expect(calls.filter((m) => m === 'units')).toHaveLength(2);
    expect(driver.inFlight).toBeUndefined(); // both batches were answered
    expect(driver.work().unit).toBe(20);
    expect(driver.phaseName).toBe('churn');
    await expect(driver.sample()).rejects.toBeInstanceOf(Interrupted);
  });

  it('knows the batch the target was working on when the signal came, and the report says it was abandoned', async () => {
    let answer!: () => void;
    const target: DrivenTarget = {
      call: <T>() => new Promise<T>((resolve) => (answer = () => resolve({} as T))),
      advanceClock: async () => ({ virtualNowMs: 0 }),
    };
    const sampler = { sample: async (meta: Partial<Sample>) => ({ ...meta }) as Sample } as unknown as Sampler;
    const driver = new ScenarioDriver(target, sampler, {
      unit: 'unit',
      sampleEveryUnits: 40,
      startedAtMs: Date.now(),
      onSample: () => undefined,
    });
    const units = driver.units(100);
    await new Promise((r) => setImmediate(r));
    expect(driver.inFlight).toEqual({ unit: 'unit', count: 40 });
    expect(cutShortNotes(sigterm(), driver.inFlight)).toEqual([
      'A batch of 40 units in flight was abandoned (not counted in the work done).',
    ]);
    expect(driver.work().unit).toBeUndefined();
    answer();
    await new Promise((r) => setImmediate(r));
    expect(driver.work().unit).toBe(40);
    for (let i = 0; i < 3; i += 1) {
      answer();
      await new Promise((r) => setImmediate(r));
    }
    await units;
  });
});
