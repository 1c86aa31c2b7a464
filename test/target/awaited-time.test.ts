// Virtual time passes while a call waits on virtual timers only, to the next due timer and no
// further; while real I/O is in flight it stands still, so a timeout never beats an answer.
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../harness/core/defaults.ts';
import { launchTarget, type TargetProcess } from '../../harness/target/launch.ts';
import { realWorkInFlight } from '../../harness/target/child/awaited-time.ts';
import { fixture } from './helpers.ts';

const started: TargetProcess[] = [];
async function launch(): Promise<TargetProcess> {
  const t = await launchTarget({ host: 'unit', target: fixture('awaits-timers.ts') });
  started.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop(2_000)));
});

// A server in the test's process that answers after 1.5 s of real time.
let server: Server;
let slowUrl = '';
beforeAll(async () => {
  server = createServer((_req, res) => void setTimeout(() => res.end('answer'), 1_500));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  slowUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const now = async (t: TargetProcess): Promise<number> => (await t.call<{ virtualNowMs: number }>('clock.now')).virtualNowMs;

describe('awaited virtual time', () => {
  it('resumes a call that sleeps, moving virtual time by exactly the sleep and firing no later timer', async () => {
    const t = await launch();
    expect(await t.call('invoke', { name: 'nap', args: [50] })).toBe(50);
    expect(await now(t)).toBe(DEFAULTS.virtualEpochMs + 50);
    expect(await t.call('invoke', { name: 'sweepCount' })).toBe(0);
  });

  it('runs a chain of backoffs one due timer at a time', async () => {
    const t = await launch();
    expect(await t.call('invoke', { name: 'backoffs' })).toEqual([100, 200, 400]);
    expect(await now(t)).toBe(DEFAULTS.virtualEpochMs + 700);
  });

  it('fires the timers a long wait passes, as real time would', async () => {
    const t = await launch();
    expect(await t.call('invoke', { name: 'nap', args: [130_000] })).toBe(130_000);
    expect(await t.call('invoke', { name: 'sweepCount' })).toBe(2);
  });

  it('keeps the harness advancing time between calls as before', async () => {
    const t = await launch();
    expect(await t.advanceClock(120_000)).toEqual({ virtualNowMs: DEFAULTS.virtualEpochMs + 120_000, timersFired: 2 });
    expect(await t.call('invoke', { name: 'sweepCount' })).toBe(2);
  });

  it('does not fire a timeout while a real HTTP answer is on its way', async () => {
    const t = await launch();
    const result = await t.call('invoke', { name: 'fetchWithTimeout', args: [slowUrl] });
    expect(result).toEqual({ body: 'answer', timedOut: false, virtualMs: 0 });
    expect(await now(t)).toBe(DEFAULTS.virtualEpochMs);
  });
});

describe('real work in flight', () => {
  it("counts requests, connected sockets and immediates beyond the harness's own, not standing servers or watchers", () => {
    const baseline = { PipeWrap: 1, TTYWrap: 2 };
    expect(realWorkInFlight(baseline, ['PipeWrap', 'TTYWrap', 'TTYWrap'])).toBe(false);
    expect(realWorkInFlight(baseline, ['PipeWrap', 'TCPServerWrap', 'FSEventWrap', 'Timeout', 'SignalWrap'])).toBe(false);
    expect(realWorkInFlight(baseline, ['PipeWrap', 'TCPSocketWrap'])).toBe(true);
    expect(realWorkInFlight(baseline, ['FSReqCallback'])).toBe(true);
    expect(realWorkInFlight(baseline, ['PipeWrap', 'PipeWrap'])).toBe(true);
    expect(realWorkInFlight(baseline, ['Immediate'])).toBe(true);
  });
});
