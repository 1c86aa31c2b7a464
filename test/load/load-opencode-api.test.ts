// `npm run load -- --opencode-api`: autocannon on an OpenCode-compatible server's API (create,
// prompt, read, delete or abandon sessions) while the harness samples the server's heap. The
// reference server of seed leak 3: its leaky twin caches every session it ever saw.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../harness/load/run.ts';
import type { LoadOptions } from '../../harness/load/options.ts';
import { EXIT } from '../../harness/scenario/run.ts';
import { fixture, testOut } from '../scenario/helpers.ts';

/** Target start, priming, warm-up, 40 s of load and the report, on a shared 2-core machine. */
const TEST_TIMEOUT_MS = 240_000;

const SMALL: Partial<LoadOptions> = {
  profile: 'opencode-api',
  maxRequests: 2000,
  // Both caps: on a loaded machine the time cap ends the load first, with fewer requests.
  durationMs: 40_000,
  samples: 20,
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
