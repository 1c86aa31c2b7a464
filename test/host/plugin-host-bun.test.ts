// A Bun plugin in the Node host: shimmed Bun APIs work and are counted, `$` is refused and
// counted per hook, and the host's coverage says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockOpenCode } from '../../harness/opencode/index.ts';
import host from '../../harness/host/plugin-host.ts';
import type { BunUse } from '../../harness/host/bun.ts';
import { fixture } from '../scenario/helpers.ts';

let close: () => Promise<void>;
let url: string;
beforeAll(async () => {
  const mock = createMockOpenCode({ seed: 5, reply: { toolCallsPerMessage: 1, toolOutputBytes: 32 } });
  ({ url, close } = await mock.listen());
});
afterAll(async () => {
  await host.dispose?.();
  await close();
});

describe('a plugin written for Bun', () => {
  it('runs on the Bun.file/Bun.write shims, and every $ use is refused and counted in its hook', async () => {
    const errors: string[] = [];
    await host.load({
      target: fixture('targets/bun/notes-on-disk.ts'),
      options: { opencodeUrl: url },
      reportTargetError: (where) => errors.push(where),
    });
    await host.methods['sessions.run']!({ startIndex: 0, count: 2, messagesPerSession: 2, cleanEndShare: 1, concurrency: 1 });
    const coverage = (await host.methods.coverage!(undefined)) as { calls: Record<string, number>; bun: BunUse[] };
    expect(coverage.calls['chat.message']).toBe(4);
    const uses = Object.fromEntries(coverage.bun.map((b) => [`${b.hook} ${b.api}`, b]));
    expect(uses['chat.message Bun.write']).toMatchObject({ count: 4, shimmed: true });
    expect(uses['chat.message Bun.file']?.shimmed).toBe(true);
    // One tool call per reply, one reply per turn: 4 uses of $, each a hook error.
    expect(uses['tool.execute.after $']).toMatchObject({ count: 4, shimmed: false });
    expect(errors.filter((w) => w === 'tool.execute.after')).toHaveLength(4);
  });
});
