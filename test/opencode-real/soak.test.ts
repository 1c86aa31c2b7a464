// The soak's session lives (on the mock: fast, no binary) and the soak-opencode scenario end to
// end on the real server at a tiny size (skipped, with the install command, without the binary).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { startMockBackend, type OpenCodeBackend } from '../../harness/opencode/backend.ts';
import { replyTurns, runSessionLife, runSessionLives, soakFigures, type RssSample } from '../../harness/opencode-real/soak.ts';
import { findOpencodeBinary, INSTALL_COMMAND } from '../../harness/opencode-real/install.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { BadInputError } from '../../harness/scenario/target-spec.ts';
import soak from '../../scenarios/soak-opencode.ts';

describe('soak session lives', () => {
  let backend: OpenCodeBackend;
  beforeAll(async () => {
    backend = await startMockBackend({ seed: 5 });
  });
  afterAll(() => backend.close());

  it('spreads the real replies over the history, the first turn always one', () => {
    expect([...replyTurns({ messagesPerSession: 200, repliesPerSession: 3, userTextBytes: 10 })]).toEqual([0, 65, 131]);
    expect(replyTurns({ messagesPerSession: 10, repliesPerSession: 0, userTextBytes: 10 }).size).toBe(0);
    // More replies than fit: every turn a reply, two messages each.
    expect(replyTurns({ messagesPerSession: 10, repliesPerSession: 99, userTextBytes: 10 }).size).toBe(5);
  });

  it('builds a history of exactly messagesPerSession messages, with that many model calls', async () => {
    const client = createOpencodeClient({ baseUrl: backend.url });
    const before = backend.llm.total;
    const result = await runSessionLife(client, 0, { messagesPerSession: 21, repliesPerSession: 3, userTextBytes: 100 });
    expect(result).toMatchObject({ messages: 21, replies: 3 });
    const history = (await client.session.messages({ sessionID: result.sessionID })).data!;
    expect(history).toHaveLength(21);
    expect(history.filter((m) => m.info.role === 'assistant')).toHaveLength(3);
    expect(backend.llm.total - before).toBe(3);
  });

  it('runs lives side by side and reports each one once', async () => {
    const client = createOpencodeClient({ baseUrl: backend.url });
    const ended: string[] = [];
    let messages = 0;
    await runSessionLives(
      client,
      10,
      7,
      { messagesPerSession: 4, repliesPerSession: 1, userTextBytes: 10 },
      3,
      (r) => void ended.push(r.sessionID),
      (n) => (messages += n),
    );
    expect(new Set(ended).size).toBe(7);
    expect(messages).toBe(28);
  });

  it('fits RSS per session and per message of a phase, and finds idle and peak levels', () => {
    const samples: RssSample[] = [{ phase: 'idle-start', sessions: 0, messages: 0, rssBytes: 300e6, wallMs: 0 }];
    for (let i = 1; i <= 20; i += 1)
      samples.push({ phase: 'soak', sessions: i, messages: 200 * i, rssBytes: 500e6 + 1e6 * i + (i % 2) * 1000, wallMs: i });
    samples.push({ phase: 'idle-end', sessions: 20, messages: 4000, rssBytes: 450e6, wallMs: 99 });
    const f = soakFigures(samples, 'soak');
    expect(f.perSession!.bytesPerUnit).toBeCloseTo(1e6, -3);
    expect(f.perMessage!.bytesPerUnit).toBeCloseTo(5000, -1);
    expect([f.idleStartBytes, f.peakBytes, f.idleEndBytes]).toEqual([300e6, 520e6 + 0, 450e6]);
  });
});

describe('soak-opencode scenario', () => {
  it('refuses to run on the mock, saying to use --opencode real (bad input)', async () => {
    const error = await runScenario(soak, { opencode: 'mock' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toContain('--opencode real');
  });

  const binary = findOpencodeBinary();
  const skipReason = binary.found ? '' : ` (skipped: ${binary.reason}; install it with: ${INSTALL_COMMAND})`;
  it.skipIf(!binary.found)(
    `observes the real server by RSS only and judges its RSS per session${skipReason}`,
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'churnlab-soak-'));
      try {
        const { report, dir, exitCode } = await runScenario(soak, {
          opencode: 'real',
          outRoot: out,
          sessions: 36,
          params: { messagesPerSession: 6, repliesPerSession: 1, warmupSessions: 4, idleMs: 500 },
        });
        expect(report.error).toBeUndefined();
        expect(report.observation?.by).toBe('proc');
        expect(report.target.kind).toBe('opencode');
        expect(report.workDone).toMatchObject({ session: 40, message: 40 * 6 });
        expect(report.expectations.map((e) => e.id)).toEqual(['rss-bounded']);
        expect([0, 1, 2]).toContain(exitCode);
        expect(report.phases.map((p) => p.name)).toEqual(['prime', 'warmup', 'soak', 'idle']);
        // The server and its files are gone with the run.
        expect(existsSync(join(dir, 'opencode'))).toBe(false);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
