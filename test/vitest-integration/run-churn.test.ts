// churnlab used from a vitest suite exactly as a user would: imported through the package's
// exports map ('churnlab/vitest'), a small churn against a plugin, then one matcher.
import { describe, expect, it } from 'vitest';
import { runChurn } from 'churnlab/vitest';

/** A target process, priming and up to a sequential run's maximum of session lives, on a shared 2-core machine. */
const CHURN_TIMEOUT_MS = 240_000;

describe('churnlab/vitest', () => {
  it(
    'a plugin that forgets each session on session.deleted stays bounded when sessions end cleanly, in a run that stops once decided',
    async () => {
      // An unmodified third-party plugin in plain JavaScript, as OpenCode's docs show plugins.
      const result = await runChurn({ target: 'fixtures/targets/third-party/session-notes.js', cleanEndShare: 1 });
      expect(result).toStayBounded();
      // No `sessions`: sequential, so a noisy heap gets more sessions instead of failing the test as inconclusive.
      expect(result.report.stopping).toMatchObject({ mode: 'sequential', outcome: 'decided' });
    },
    CHURN_TIMEOUT_MS,
  );

  it(
    'fails toStayBounded on a leaky plugin with the verdict reasons, naming the collection that grows',
    async () => {
      // The gateway of seed leak 4 before its fix: per-session guards pruned only on a clean end.
      const result = await runChurn({ target: 'fixtures/targets/unclean-exit/leaky.ts', cleanEndShare: 0 });
      expect(result).not.toStayBounded();
      // The failure message a user would see: where the run stopped, the expectation, its estimate per session, and the named Set.
      expect(() => expect(result).toStayBounded()).toThrow(
        /to stay bounded:\n.*: leak \(.*\)\n  Stopped: decided at [\d ]+ sessions.*\n  coverage: \d+ of \d+ registered hooks called[\s\S]*✗ every growing collection is bounded: leak, \+[\d.]+ entr(y|ies) per session\n\s+Set continuityInjected: leak\. Set continuityInjected grew/,
      );
    },
    CHURN_TIMEOUT_MS,
  );

  it(
    'runs exactly `sessions` session lives as a fixed run when asked',
    async () => {
      const result = await runChurn({
        target: 'fixtures/targets/unclean-exit/leaky.ts',
        sessions: 300,
        warmupSessions: 50,
        cleanEndShare: 0,
      });
      expect(result.report.stopping).toMatchObject({ mode: 'fixed', stoppedAt: 300 });
      expect(result.report.workDone.session).toBe(350);
    },
    CHURN_TIMEOUT_MS,
  );

  it('refuses sessions and maxSessions together, and a size that is not a whole number, before starting anything', async () => {
    const target = 'fixtures/targets/unclean-exit/leaky.ts';
    await expect(runChurn({ target, sessions: 300, maxSessions: 900 })).rejects.toThrow(
      /runChurn: sessions asks for a fixed run and maxSessions for a sequential one/,
    );
    await expect(runChurn({ target, maxSessions: 2.5 })).rejects.toThrow(/runChurn: maxSessions 2.5: expected a whole number >= 1/);
  });

  it('says what it expected when handed something that is not a churn result', () => {
    expect(() => expect({ nope: true }).toStayBounded()).toThrow(
      /toStayBounded expects the result of runChurn\(\) \(or a report\), got object/,
    );
  });
});
