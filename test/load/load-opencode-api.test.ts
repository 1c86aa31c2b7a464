// `npm run load -- --opencode-api`: autocannon on an OpenCode-compatible server's API (create,
// prompt, read, delete or abandon sessions) while the harness samples the server's heap. The
// reference server of seed leak 3: its leaky twin caches every session it ever saw.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../harness/load/run.ts';
import type { LoadOptions } from '../../harness/load/options.ts';
import { EXIT } from '../../harness/scenario/run.ts';
import { fixture, testOut } from '../scenario/helpers.ts';

/** Target start, priming, warm-up, the load and the report, on a shared 2-core machine (see load-run.test.ts). */
const TEST_TIMEOUT_MS = 420_000;

const SMALL: Partial<LoadOptions> = {
  profile: 'opencode-api',
  maxRequests: 2000,
  // The request cap ends the load; the time cap is a backstop (see load-run.test.ts).
  durationMs: 240_000,
  samples: 16,
  connections: 4,
  minHeapBytesPerRequest: 256,
  primeSamples: 10,
  diagnose: false,
};

describe('npm run load -- --opencode-api on the session-cache server', () => {
  it('fails the server whose session cache only grows, naming Map sessions', async () => {
    const { exitCode, report } = await runLoad({ ...SMALL, target: fixture('targets/session-cache/leaky.ts'), outRoot: testOut() });
    expect(report.error).toBeUndefined();
    expect(exitCode).toBe(EXIT.leak);
    expect(report.expectations.find((e) => e.id === 'collections-bounded')?.reasons.join('\n')).toMatch(/Map sessions: leak/);
    expect(report.load!.totals.non2xx).toBe(0);
    expect(report.load!.counts.sessionsCreated).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);

  it('passes the collections of the LRU-capped server', async () => {
    const { report } = await runLoad({ ...SMALL, outRoot: testOut() });
    expect(report.error).toBeUndefined();
    expect(report.target.label).toBe('fixtures/targets/session-cache/fixed.ts');
    expect(report.expectations.find((e) => e.id === 'collections-bounded')?.verdict).toBe('bounded');
    expect(report.expectations.find((e) => e.id === 'heap-bounded')?.verdict).not.toBe('leak');
  }, TEST_TIMEOUT_MS);
});
