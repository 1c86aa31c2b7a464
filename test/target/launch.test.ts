import { afterEach, describe, expect, it } from 'vitest';
import { launchTarget, TargetCallError, TargetError, type TargetProcess } from '../../harness/target/launch.ts';
import { fixture, isAlive, synthetic } from './helpers.ts';

const started: TargetProcess[] = [];
async function launch(...args: Parameters<typeof launchTarget>): Promise<TargetProcess> {
  const t = await launchTarget(...args);
  started.push(t);
  return t;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop(2_000)));
});

/** The rejection of a promise that must reject, as a TargetError. */
async function targetError(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

describe('launchTarget', () => {
  it('starts a unit target, answers calls and stops it cleanly', async () => {
    const t = await launch({ host: 'unit', target: synthetic('empty-control.ts') });
    expect(t.pid).toBeGreaterThan(0);
    expect(t.inspectorUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
    await expect(t.call('units', { from: 0, count: 10 })).resolves.toEqual({ done: 10 });
    await expect(t.stop()).resolves.toEqual({ kind: 'stopped' });
    expect(isAlive(t.pid)).toBe(false);
    // Idempotent, and calls after the end reject with the outcome.
    await expect(t.stop()).resolves.toEqual({ kind: 'stopped' });
    await expect(t.call('units', { from: 0, count: 1 })).rejects.toBeInstanceOf(TargetError);
  });

  it('reports a target that throws at load as load-error, naming the target, with its stack on stderr', async () => {
    const error = await targetError(launchTarget({ host: 'unit', target: fixture('throws-at-load.ts') }));
    expect(error.outcome.kind).toBe('load-error');
    expect(error.message).toContain('throws-at-load.ts');
    expect(error.message).toContain('failed to load');
    expect(error.message).toContain('config file missing');
    expect(error.stderrTail).toContain('config file missing');
    expect(error.pid).toBeGreaterThan(0);
    expect(isAlive(error.pid!)).toBe(false);
  });

  it('reports process.exit in the middle of a call as exited with its code, rejecting the pending call', async () => {
    const t = await launch({ host: 'unit', target: fixture('exits-mid-run.ts') });
    const error = await targetError(t.call('units', { from: 0, count: 10 }));
    expect(error.outcome).toMatchObject({ kind: 'exited', code: 3 });
    expect(error.message).toContain('exits-mid-run.ts');
    expect(error.message).toContain("'units'");
    expect(await t.outcome).toMatchObject({ kind: 'exited', code: 3 });
    expect(isAlive(t.pid)).toBe(false);
  });

  it('reports an uncaught exception as crashed with its cause and the stack in the stderr tail', async () => {
    const t = await launch({ host: 'unit', target: fixture('crashes-uncaught.ts') });
    const error = await targetError(t.call('units', { from: 0, count: 5 }));
    expect(error.outcome).toMatchObject({ kind: 'crashed', code: 1, signal: null });
    expect(error.message).toContain('crashes-uncaught.ts');
    expect(error.message).toContain('kaboom in a callback');
    expect(error.stderrTail).toContain('kaboom in a callback');
    expect(t.targetErrors().byWhere.uncaughtException).toBe(1);
    expect(isAlive(t.pid)).toBe(false);
  });

  it('reports an abort as crashed by SIGABRT', async () => {
    const t = await launch({ host: 'unit', target: fixture('aborts.ts') });
    const error = await targetError(t.call('units', { from: 0, count: 3 }));
    expect(error.outcome).toMatchObject({ kind: 'crashed', signal: 'SIGABRT' });
    expect(error.message).toContain('aborts.ts');
    expect(error.message).toContain('SIGABRT');
    expect(isAlive(t.pid)).toBe(false);
  });

  it('reports a call that never answers as hung and kills the target', async () => {
    const t = await launch({ host: 'unit', target: fixture('hangs.ts'), callTimeoutMs: 1_500 });
    const error = await targetError(t.call('units', { from: 0, count: 10 }));
    expect(error.outcome).toMatchObject({ kind: 'hung', method: 'units', afterMs: 1_500 });
    expect(error.message).toContain('hangs.ts');
    expect(error.message).toContain("call 'units' got no answer within 1500 ms");
    expect(isAlive(t.pid)).toBe(false);
  });

  it('reports a target spinning on its main thread as hung too', async () => {
    const t = await launch({ host: 'unit', target: fixture('spins.ts'), callTimeoutMs: 1_500 });
    const error = await targetError(t.call('units', { from: 0, count: 1 }));
    expect(error.outcome.kind).toBe('hung');
    expect(isAlive(t.pid)).toBe(false);
  });

  it('reports running out of heap as oom, with V8 last words in the stderr tail', async () => {
    const t = await launch({ host: 'unit', target: fixture('ooms.ts'), execArgv: ['--max-old-space-size=32'] });
    const error = await targetError(t.call('units', { from: 0, count: 1 }));
    expect(error.outcome.kind).toBe('oom');
    expect(error.message).toContain('ooms.ts');
    expect(error.message).toContain('ran out of memory');
    expect(error.stderrTail).toMatch(/heap out of memory|Reached heap limit/);
    expect(isAlive(t.pid)).toBe(false);
  });

  it('ends a run that exceeds runTimeoutMs as timeout', async () => {
    const t = await launch({ host: 'unit', target: fixture('hangs.ts'), runTimeoutMs: 3_000, callTimeoutMs: 60_000 });
    const error = await targetError(t.call('units', { from: 0, count: 10 }));
    expect(error.outcome).toMatchObject({ kind: 'timeout', afterMs: 3_000 });
    expect(error.message).toContain('hangs.ts');
    expect(error.message).toContain('limit of 3000 ms');
    expect(isAlive(t.pid)).toBe(false);
  });

  it('rejects a method that throws with TargetCallError and keeps the target alive', async () => {
    const t = await launch({ host: 'unit', target: synthetic('empty-control.ts') });
    const error = await t.call('invoke', { name: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetCallError);
    expect((error as Error).message).toContain("does not export a function 'nope'");
    await expect(t.call('no.such.method')).rejects.toThrow(/unknown method 'no.such.method'/);
    await expect(t.call('units', { from: 0, count: 1 })).resolves.toEqual({ done: 1 });
    expect(isAlive(t.pid)).toBe(true);
  });

  it('runs setup with the scenario options, and teardown on stop (the host.dispose step)', async () => {
    const logs: string[] = [];
    const t = await launch({
      host: 'unit',
      target: fixture('with-setup.ts'),
      options: { mockUrl: 'http://127.0.0.1:1234' },
      onLog: (e) => logs.push(`${e.level}: ${e.message}`),
    });
    expect(t.hostInfo).toMatchObject({ host: 'unit', exports: expect.arrayContaining(['unit', 'setup', 'teardown']) });
    await t.call('units', { from: 0, count: 7 });
    expect(await t.call('invoke', { name: 'stats' })).toEqual({ options: { mockUrl: 'http://127.0.0.1:1234' }, units: 7 });
    expect(await t.stop()).toEqual({ kind: 'stopped' });
    expect(t.stderrTail()).toContain('teardown ran after 7 units');
    expect(logs).toContain('stdout: setup ran');
    expect(logs).toContain('stderr: teardown ran after 7 units');
  });

  it("starts the target with Node's resource-timing buffer full, so fetches add no entries, unless the target sizes it", async () => {
    const t = await launch({ host: 'unit', target: fixture('fetches.ts') });
    await t.call('units', { from: 0, count: 20 });
    expect(await t.call('invoke', { name: 'resourceEntries' })).toBe(0);
    await t.call('invoke', { name: 'keepResourceTimings', args: [5] });
    await t.call('units', { from: 20, count: 10 });
    expect(await t.call('invoke', { name: 'resourceEntries' })).toBe(5);
  });

  it('collects garbage on heap.collect without handing the target a gc function or natives syntax', async () => {
    const t = await launch({ host: 'unit', target: fixture('sees-gc.ts') });
    await t.call('units', { from: 0, count: 5 });
    await expect(t.call('heap.collect')).resolves.toEqual({});
    expect(await t.call('invoke', { name: 'gcVisible' })).toEqual({ main: 'undefined', newContext: 'undefined', nativesSyntax: false });
  });

  it('collects garbage on heap.collect after V8 flushed the bytecode of its collector', async () => {
    // --stress-flush-code flushes the bytecode of every function not running at each collection,
    // as V8 does to one that has not run for a while: the next call compiles it again from source.
    const t = await launch({ host: 'unit', target: fixture('sees-gc.ts'), execArgv: ['--stress-flush-code'] });
    for (let i = 0; i < 3; i += 1) {
      await t.call('units', { from: 5 * i, count: 5 });
      await expect(t.call('heap.collect')).resolves.toEqual({});
      await t.cdp.send('HeapProfiler.collectGarbage');
    }
    expect(await t.call('invoke', { name: 'gcVisible' })).toMatchObject({ nativesSyntax: false });
  });

  it('leaves a target started with --allow-natives-syntax its natives syntax', async () => {
    const t = await launch({ host: 'unit', target: fixture('sees-gc.ts'), execArgv: ['--allow-natives-syntax'] });
    await t.call('heap.collect');
    expect(await t.call('invoke', { name: 'gcVisible' })).toMatchObject({ nativesSyntax: true });
  });

  it('counts a timer callback that throws during advanceClock as a target error, and the run goes on', async () => {
    const seen: string[] = [];
    const t = await launch({ host: 'unit', target: fixture('throwing-timer.ts'), onTargetError: (e) => seen.push(e.where) });
    expect(t.targetErrors()).toEqual({ count: 0, byWhere: {} });
    await t.call('units', { from: 0, count: 1 });
    const clock = await t.advanceClock(2_000);
    expect(clock.timersFired).toBe(1);
    expect(t.targetErrors()).toEqual({
      count: 1,
      byWhere: { timer: 1 },
      last: { where: 'timer', error: { name: 'Error', message: 'timer 0 failed' } },
    });
    expect(seen).toEqual(['timer']);
    await expect(t.call('units', { from: 1, count: 1 })).resolves.toEqual({ done: 1 });
  });
});
