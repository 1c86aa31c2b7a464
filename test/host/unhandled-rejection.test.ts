// A plugin's unhandled rejection is what OpenCode makes of it: logged (here: counted as a target
// error), not the end of the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockOpenCode } from '../../harness/opencode/index.ts';
import { launchTarget } from '../../harness/target/launch.ts';
import { fixture } from '../scenario/helpers.ts';

let close: () => Promise<void>;
let url: string;
beforeAll(async () => {
  ({ url, close } = await createMockOpenCode({ seed: 4 }).listen());
});
afterAll(() => close());

describe('an unhandled rejection in a plugin', () => {
  it('is counted as a target error and the batch goes on', async () => {
    const t = await launchTarget({ host: 'plugin', target: fixture('targets/broken/rejects-unhandled.ts'), options: { opencodeUrl: url } });
    try {
      expect(
        await t.call('sessions.run', { startIndex: 0, count: 3, messagesPerSession: 2, cleanEndShare: 0, concurrency: 1 }),
      ).toMatchObject({ sessions: 3 });
      // Reports travel over IPC after the reply: give them a moment.
      await expect.poll(() => t.targetErrors().byWhere.unhandledRejection).toBe(6);
      expect(t.targetErrors().last?.error.message).toMatch(/API unreachable/);
    } finally {
      await t.stop(2_000);
    }
  }, 60_000);
});
