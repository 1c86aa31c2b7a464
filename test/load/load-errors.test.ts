// Errors are verdicts under load: a service that answers every hook with 500, and one that never
// answers, fail with exit 1 and a reason that says what failed, however flat their memory; a
// correct daemon's run carries no unexpected error. Small loads: seconds each. Only the hanging
// service gets a 1 s timeout: the harness's own sampling pauses the target (a full GC and a census),
// which on a busy machine held requests in flight for over a second.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../harness/load/run.ts';
import type { LoadOptions } from '../../harness/load/options.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { explain, fixture, testOut } from '../scenario/helpers.ts';

const SMALL: Partial<LoadOptions> = {
  profile: 'hooks',
  maxRequests: 300,
  durationMs: 4000,
  connections: 2,
  samples: 12,
  primeSamples: 2,
  diagnose: false,
};

/** A failing service needs only its error path: 2 s of load (the hanging one's cap: ~4 timeouts) shows it. */
const FAILING: Partial<LoadOptions> = { ...SMALL, durationMs: 2000 };

describe('npm run load judges errors', () => {
  it('fails a service that answers every hook with HTTP 500: exit 1, "failed unexpectedly: … HTTP 500"', async () => {
    const { exitCode, report, dir } = await runLoad({ ...FAILING, target: fixture('targets/broken/answers-500.ts'), outRoot: testOut() });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const errors = report.expectations.find((e) => e.id === 'errors-within-budget')!;
    expect(errors.passed).toBe(false);
    // Failed requests read as a failed check with its count, never as a leak.
    expect(errors).toMatchObject({ kind: 'check', verdict: 'fail' });
    expect(readFileSync(join(dir, report.files.summary), 'utf8')).toMatch(/^## ❌ fail /m);
    expect(errors.reasons[0]).toMatch(/^(\d[\d ]*) of \1 requests \(100 %\) failed unexpectedly: \1 answered HTTP 500\. Allowed: none\./);
    expect(report.load!.errors).toMatchObject({ unexpectedRate: 1, maxUnexpectedRate: 0 });
    // Per window too, in every rendering of the report.
    expect(report.load!.windows.every((w) => w.errorRate === 1)).toBe(true);
    const summary = readFileSync(join(dir, report.files.summary), 'utf8');
    expect(summary).toMatch(/errors: [\d ]+ unexpected of [\d ]+ requests \(100 %; budget none\): [\d ]+ answered HTTP 500/);
    expect(summary).toMatch(/\| Non-2xx \| Timeouts \| No answer \| Error rate \|/);
    expect(readFileSync(join(dir, report.files.html), 'utf8')).toMatch(/Error rate/);
  }, 120_000);

  it('fails a service that never answers: exit 1, requests timed out, p99 and max at the timeout', async () => {
    const { exitCode, report } = await runLoad({
      ...FAILING,
      target: fixture('targets/broken/hangs-each-request.ts'),
      requestTimeoutS: 1,
      outRoot: testOut(),
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const errors = report.expectations.find((e) => e.id === 'errors-within-budget')!;
    expect(errors.passed).toBe(false);
    expect(errors.reasons[0]).toMatch(/failed unexpectedly: [\d ]+ timed out \(no answer within 1 s\)/);
    const t = report.load!.totals;
    expect(t.timeouts).toBeGreaterThan(0);
    expect(t.latencyMs.p99).toBe(1000);
    expect(t.latencyMs.max).toBe(1000);
  }, 120_000);

  it('finds no unexpected error on a daemon that accepts every hook', async () => {
    const { report } = await runLoad({ ...SMALL, outRoot: testOut() });
    expect(report.error).toBeUndefined();
    const errors = report.expectations.find((e) => e.id === 'errors-within-budget')!;
    expect(errors.passed, explain(report)).toBe(true);
    expect(report.load!.errors).toMatchObject({ unexpected: 0, non2xx: 0, timeouts: 0 });
    // Judged: the warm-up burst and the measured load.
    expect(report.load!.errors.requests).toBeGreaterThan(report.load!.totals.requests);
  }, 120_000);
});
