// `npm run load -- --opencode-api`: autocannon on an OpenCode-compatible server's API (create,
// prompt, read, delete or abandon sessions) while the harness samples the server's heap. The
// reference server of seed leak 3: its leaky twin caches every session it ever saw.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSamples } from '../../harness/report/samples-writer.ts';
import { runLoad } from '../../harness/load/run.ts';
import type { LoadOptions } from '../../harness/load/options.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { explain, fixture, shortPrimed, testOut } from '../scenario/helpers.ts';

/** Target start, priming, warm-up, the load and the report, on a shared 2-core machine (see load-run.test.ts). */
const TEST_TIMEOUT_MS = 420_000;

const SMALL: Partial<LoadOptions> = {
  profile: 'opencode-api',
  // The LRU-capped server only has to stay under its cap of 100 sessions: 2000 requests fill it 5 times.
  maxRequests: 2000,
  // The request cap ends the load; the time cap is a backstop (see load-run.test.ts).
  durationMs: 240_000,
  samples: 24,
  connections: 4,
  minHeapBytesPerRequest: 256,
  primeSamples: 10,
  diagnose: false,
};

describe('npm run load -- --opencode-api on the session-cache server', () => {
  it(
    'fails the server whose session cache only grows, naming Map sessions',
    async () => {
      // A count fails it (a session per 4 requests), not the heap: a short priming does. On an idle
      // machine the load outruns the sampling: of 24 samples, 2000 requests got 12-18 and 1 run in
      // 17 came out inconclusive; 3000 get 18-20.
      const leaky = shortPrimed({ ...SMALL, maxRequests: 3000, target: fixture('targets/session-cache/leaky.ts') });
      const { exitCode, report } = await runLoad({ ...leaky, outRoot: testOut() });
      expect(report.error).toBeUndefined();
      expect(exitCode, explain(report)).toBe(EXIT.leak);
      expect(report.expectations.find((e) => e.id === 'collections-bounded')?.reasons.join('\n')).toMatch(/Map sessions: leak/);
      expect(report.load!.totals.non2xx).toBe(0);
      expect(report.load!.counts.sessionsCreated).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'never flags the LRU-capped server: its cache stays at or under 100 sessions at every sample',
    async () => {
      const { report, dir } = await runLoad({ ...SMALL, outRoot: testOut() });
      expect(report.error).toBeUndefined();
      expect(report.target.label).toBe('fixtures/targets/session-cache/fixed.ts');
      // A cache that sits at its cap scatters by an entry or two; 2000 requests do not always
      // narrow that to "bounded" (sometimes inconclusive), but never to a leak.
      for (const id of ['collections-bounded', 'heap-bounded'])
        expect(report.expectations.find((e) => e.id === id)?.verdict, id).not.toBe('leak');
      const sizes = readSamples(join(dir, report.files.samples)).flatMap((s) =>
        (s.collections ?? []).filter((c) => c.name === 'LruTtlCache.entries').map((c) => c.size),
      );
      expect(sizes.length).toBeGreaterThan(0);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
      expect(Math.max(...sizes)).toBeGreaterThan(50);
    },
    TEST_TIMEOUT_MS,
  );
});
