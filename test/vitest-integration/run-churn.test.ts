// churnlab used from a vitest suite exactly as a user would: imported through the package's
// exports map ('churnlab/vitest'), a small churn against a plugin, then one matcher.
import { describe, expect, it } from 'vitest';
import { runChurn } from 'churnlab/vitest';

/** A target process, priming and 500 session lives, on a shared 2-core machine. */
const CHURN_TIMEOUT_MS = 240_000;

describe('churnlab/vitest', () => {
  it(
    'a plugin that forgets each session on session.deleted stays bounded when sessions end cleanly',
    async () => {
      // An unmodified third-party plugin in plain JavaScript, as OpenCode's docs show plugins.
      const result = await runChurn({ target: 'fixtures/targets/third-party/session-notes.js', sessions: 400, cleanEndShare: 1 });
      expect(result).toStayBounded();
      expect(result.report.workDone.session).toBeGreaterThanOrEqual(400);
    },
    CHURN_TIMEOUT_MS,
  );

  it(
    'fails toStayBounded on a leaky plugin with the verdict reasons, naming the collection that grows',
    async () => {
      // The gateway of seed leak 4 before its fix: per-session guards pruned only on a clean end.
      const result = await runChurn({ target: 'fixtures/targets/unclean-exit/leaky.ts', sessions: 400, cleanEndShare: 0 });
      expect(result).not.toStayBounded();
      // The failure message a user would see: the expectation, its estimate per session, and the named Set.
      expect(() => expect(result).toStayBounded()).toThrow(
        /to stay bounded:\n.*: leak \([\s\S]*✗ every growing collection is bounded: leak, \+[\d.]+ entr(y|ies) per session\n\s+Set continuityInjected: leak\. Set continuityInjected grew/,
      );
    },
    CHURN_TIMEOUT_MS,
  );

  it('says what it expected when handed something that is not a churn result', () => {
    expect(() => expect({ nope: true }).toStayBounded()).toThrow(
      /toStayBounded expects the result of runChurn\(\) \(or a report\), got object/,
    );
  });
});
