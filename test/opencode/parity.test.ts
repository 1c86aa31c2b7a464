// Parity: the same contract cases (parity-cases.ts) run against the mock and against the real
// `opencode serve` 1.18.33, and their observations must be equal. Needs the real server
// (`npm run opencode:install`); skipped with that command in the reason when it is missing.
// One real server for the whole file (start ~1.4-6 s here), a handful of prompts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { createOpencodeClient as createV1Client } from '@opencode-ai/sdk';
import { startMockBackend, type OpenCodeBackend } from '../../harness/opencode/backend.ts';
import type { MockEvent } from '../../harness/opencode/index.ts';
import { startRealBackend } from '../../harness/opencode-real/backend.ts';
import { findOpencodeBinary, INSTALL_COMMAND } from '../../harness/opencode-real/install.ts';
import { KNOWN_DIFFERENCES, PARITY_CASES, until, type CaseContext } from './parity-cases.ts';

const binary = findOpencodeBinary();
const skipReason = binary.found ? '' : ` (skipped: ${binary.reason}; install it with: ${INSTALL_COMMAND})`;

async function contextFor(backend: OpenCodeBackend): Promise<{ ctx: CaseContext; stop(): void }> {
  const v2 = createOpencodeClient({ baseUrl: backend.url });
  const v1 = createV1Client({ baseUrl: backend.url });
  const events: MockEvent[] = [];
  const aborter = new AbortController();
  const sub = await v2.event.subscribe({}, { signal: aborter.signal, sseMaxRetryAttempts: 1 });
  void (async () => {
    try {
      for await (const event of sub.stream) events.push(event as MockEvent);
    } catch {
      // aborted at the end
    }
  })();
  await until(() => events.length > 0, 'server.connected');
  return { ctx: { backend, v2, v1, events, schemaProblems: [] }, stop: () => aborter.abort() };
}

describe.skipIf(!binary.found)(`parity: mock vs opencode serve 1.18.33${skipReason}`, () => {
  const sides: Record<'mock' | 'real', { backend: OpenCodeBackend; ctx: CaseContext; stop(): void } | undefined> = {
    mock: undefined,
    real: undefined,
  };
  const matched: string[] = [];

  beforeAll(async () => {
    for (const [name, start] of [
      ['mock', () => startMockBackend({ seed: 7 })],
      ['real', () => startRealBackend()],
    ] as const) {
      const backend = await start();
      sides[name] = { backend, ...(await contextFor(backend)) };
    }
  }, 120_000);

  afterAll(async () => {
    for (const side of Object.values(sides)) {
      side?.stop();
      await side?.backend.close();
    }
    // What matched, for the reader of the test log (and docs/real-opencode.md).
    if (matched.length > 0)
      process.stdout.write(`parity with opencode serve 1.18.33 holds for:\n${matched.map((m) => `  - ${m}`).join('\n')}\n`);
  }, 60_000);

  for (const parity of PARITY_CASES) {
    it(`${parity.name} [${[...new Set(parity.routes)].join(', ')}${parity.events ? `; events ${parity.events.join(', ')}` : ''}]`, async () => {
      const mock = await parity.run(sides.mock!.ctx);
      const real = await parity.run(sides.real!.ctx);
      expect(mock).toEqual(real);
      expect(sides.real!.ctx.schemaProblems).toEqual([]);
      expect(sides.mock!.ctx.schemaProblems).toEqual([]);
      matched.push(parity.name);
    }, 90_000);
  }

  for (const diff of KNOWN_DIFFERENCES) {
    it(`known difference: ${diff.name} [${diff.routes.join(', ')}]`, async () => {
      expect(await diff.run(sides.mock!.ctx)).toEqual(diff.mock);
      expect(await diff.run(sides.real!.ctx)).toEqual(diff.real);
    }, 90_000);
  }
});
