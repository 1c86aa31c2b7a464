// Figures of the real `opencode serve` behind churnlab's backend (needs `npm run opencode:install`):
//   start           startRealBackend() to "listening" (server start) over START_RUNS starts
//   prompt          POST /session/{id}/message round trip, through the proxy and direct to the
//                   server, interleaved, PROMPTS each (after a first prompt, which is 1-1.5 s)
//   noReply prompt  the same with `noReply: true` (the server stores the user message only)
//   install         ensureOpencodeInstalled() into a fresh dir (npm's cache is warm): INSTALL=1
// Medians are printed and written to reports/bench/real-opencode.json.
//
//   npx tsx bench/real-opencode.bench.ts            (about 30 s on 2 cores)
//   INSTALL=1 npx tsx bench/real-opencode.bench.ts  (+ an install of ~355 MiB into a temp dir)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { startRealBackend } from '../harness/opencode-real/backend.ts';
import { ensureOpencodeInstalled } from '../harness/opencode-real/install.ts';
import { REPO_ROOT } from '../harness/core/paths.ts';

const START_RUNS = Number(process.env.START_RUNS ?? 5);
const PROMPTS = Number(process.env.PROMPTS ?? 20);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const result: Record<string, unknown> = { when: new Date().toISOString() };

if (process.env.INSTALL === '1') {
  const dir = mkdtempSync(join(tmpdir(), 'churnlab-install-'));
  const installed = await ensureOpencodeInstalled({ dir, log: (l) => process.stderr.write(`${l}\n`) });
  rmSync(dir, { recursive: true, force: true });
  if (!installed.ok) throw new Error(installed.reason);
  result.installMs = installed.durationMs;
}

const starts: number[] = [];
const backend = await startRealBackend();
try {
  starts.push(backend.startMs);
  for (let i = 1; i < START_RUNS; i += 1) {
    await backend.restart({ keepState: false });
    starts.push(backend.startMs);
  }
  const viaProxy = createOpencodeClient({ baseUrl: backend.url });
  const direct = createOpencodeClient({ baseUrl: backend.serverUrl });
  const session = (await viaProxy.session.create({ title: 'bench' })).data!;
  const first = await timed(() => viaProxy.session.prompt({ sessionID: session.id, parts: [{ type: 'text', text: 'first' }] }));
  const proxied: number[] = [];
  const straight: number[] = [];
  const noReplyProxied: number[] = [];
  const noReplyStraight: number[] = [];
  for (let i = 0; i < PROMPTS; i += 1) {
    const parts = [{ type: 'text' as const, text: `turn ${i}` }];
    proxied.push(await timed(() => viaProxy.session.prompt({ sessionID: session.id, parts })));
    straight.push(await timed(() => direct.session.prompt({ sessionID: session.id, parts })));
    noReplyProxied.push(await timed(() => viaProxy.session.prompt({ sessionID: session.id, noReply: true, parts })));
    noReplyStraight.push(await timed(() => direct.session.prompt({ sessionID: session.id, noReply: true, parts })));
  }
  Object.assign(result, {
    startMsMedian: median(starts),
    startMs: starts,
    firstPromptMs: round(first),
    promptMsMedian: { proxy: round(median(proxied)), direct: round(median(straight)) },
    noReplyPromptMsMedian: { proxy: round(median(noReplyProxied)), direct: round(median(noReplyStraight)) },
    prompts: PROMPTS,
  });
} finally {
  await backend.close();
}
const out = join(REPO_ROOT, 'reports', 'bench');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'real-opencode.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
