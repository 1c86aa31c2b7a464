// The 'service' target kind: a service module runs inside the observed target process, the
// harness learns its URL, drives it over loopback and samples its own counters.
import { describe, expect, it } from 'vitest';
import { launchTarget, TargetError } from '../../harness/target/launch.ts';
import { evaluateExpectations, expectCounterAtMost } from '../../harness/scenario/expect.ts';
import type { Sample } from '../../harness/core/types.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import { fixture } from '../scenario/helpers.ts';

describe('service host', () => {
  it('starts the service on loopback with the scenario options and reports its stats', async () => {
    const target = await launchTarget({
      host: 'service',
      target: fixture('targets/service-echo/echo.ts'),
      options: { greeting: 'hi' },
      cwd: REPO_ROOT,
    });
    try {
      const url = (target.hostInfo as { url: string }).url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const body = (await (await fetch(`${url}/hooks/session-start`)).json()) as { greeting: string };
      expect(body.greeting).toBe('hi');
      expect(await target.call('stats')).toEqual({ requests: 1 });
      await fetch(`${url}/hooks/ses_0123456789abcdefABCD/tool`);
      // The coverage section's counts: every request the service answered, ids folded out of the route.
      expect(await target.call('coverage')).toEqual({
        requests: 2,
        routes: { 'GET /hooks/session-start': { requests: 1, errors: 0 }, 'GET /hooks/:id/tool': { requests: 1, errors: 0 } },
      });
    } finally {
      await target.stop();
    }
  });

  it('refuses a module without start() and names what it expected', async () => {
    const error = await launchTarget({ host: 'service', target: fixture('synthetic/empty-control.ts'), cwd: REPO_ROOT }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetError);
    expect(String((error as Error).message)).toMatch(/not a service module: expected an exported async start/);
  });
});

describe('counter expectations', () => {
  const sample = (seq: number, value: number): Sample => ({
    seq,
    wallMs: 0,
    virtualMs: 0,
    phase: 'churn',
    work: { cycle: seq },
    heapUsedBytes: 0,
    heapTotalBytes: 0,
    counters: { 'service.expensivePathForBypassed': value },
  });
  const expectation = expectCounterAtMost('service.expensivePathForBypassed', 0, 'no hook of a bypassed session takes the expensive path');

  it('fails at the first sample over the limit, naming it', () => {
    const [result] = evaluateExpectations([expectation], [sample(1, 0), sample(2, 3), sample(3, 5)], 'cycle').results;
    expect(result?.verdict).toBe('leak');
    expect(result?.reasons[0]).toMatch(/reached 3 at sample #2 \(allowed: at most 0\); 5 at the end/);
    expect(result?.estimate).toBe('max 5');
  });

  it('passes when the counter never exceeds the limit, and is inconclusive when nothing reports it', () => {
    expect(evaluateExpectations([expectation], [sample(1, 0), sample(2, 0)], 'cycle').results[0]?.verdict).toBe('bounded');
    const missing = { ...sample(1, 0), counters: {} };
    expect(evaluateExpectations([expectation], [missing], 'cycle').results[0]?.verdict).toBe('inconclusive');
  });
});
