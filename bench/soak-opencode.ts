// The real `opencode serve` under a soak, measured from outside by RSS (/proc): sessions with
// long histories built mostly with `noReply: true` prompts plus a few real replies, and a check
// of whether that is representative (the same history size with every turn a real reply).
// Phases: idle-start, warmup, replies (all real replies), noreply (the soak's plan), soak (the
// rest of the sessions), idle-end (IDLE_S seconds without requests). RSS is polled every
// POLL_MS against messages and sessions done. Writes samples.ndjson, figures.json and rss.html
// (chart) under reports/soak-opencode-bench/<time>/.
//
//   npx tsx bench/soak-opencode.ts                               (full size: 200 x 200 messages)
//   SESSIONS=20 MESSAGES=50 COMPARE_SESSIONS=1 npx tsx bench/soak-opencode.ts   (a quick look)
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { readRss } from '../harness/observe/proc.ts';
import { startRealBackend } from '../harness/opencode-real/backend.ts';
import { runSessionLives, soakFigures, type RssSample, type SessionLifePlan } from '../harness/opencode-real/soak.ts';
import { renderLineChart } from '../harness/report/charts.ts';
import { REPO_ROOT } from '../harness/core/paths.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SESSIONS = num('SESSIONS', 200);
const MESSAGES = num('MESSAGES', 200);
const REPLIES = num('REPLIES', 3);
const COMPARE_SESSIONS = num('COMPARE_SESSIONS', 4);
const CONCURRENCY = num('CONCURRENCY', 4);
const POLL_MS = num('POLL_MS', 1000);
const IDLE_S = num('IDLE_S', 30);

const dir = join(REPO_ROOT, 'reports', 'soak-opencode-bench', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(dir, { recursive: true });
const samples: RssSample[] = [];
const started = Date.now();
let phase = 'idle-start';
let sessions = 0;
let messages = 0;

const backend = await startRealBackend();
const pid = backend.pid!;
const take = async () => {
  const rssBytes = await readRss(pid);
  if (rssBytes === undefined) return;
  const sample = { phase, sessions, messages, rssBytes, wallMs: Date.now() - started };
  samples.push(sample);
  appendFileSync(join(dir, 'samples.ndjson'), `${JSON.stringify(sample)}\n`);
};
const poller = setInterval(() => void take(), POLL_MS);
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const client = createOpencodeClient({ baseUrl: backend.url });
  log(
    `server pid ${pid}, started in ${backend.startMs} ms; ${SESSIONS} sessions x ${MESSAGES} messages (${REPLIES} real replies each), concurrency ${CONCURRENCY}`,
  );
  await sleep(3000);
  const life = (plan: SessionLifePlan, from: number, count: number, concurrency: number) =>
    runSessionLives(
      client,
      from,
      count,
      plan,
      concurrency,
      async () => {
        sessions += 1;
        if (sessions % 10 === 0)
          log(`${phase}: ${sessions} sessions, ${messages} messages, RSS ${((samples.at(-1)?.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
      },
      (added) => {
        messages += added;
      },
    );
  const soakPlan: SessionLifePlan = { messagesPerSession: MESSAGES, repliesPerSession: REPLIES, userTextBytes: 400 };
  let index = 0;
  phase = 'warmup';
  await life({ messagesPerSession: 20, repliesPerSession: 5, userTextBytes: 400 }, index, 4, CONCURRENCY);
  index += 4;
  // Representativeness: the same history size, every turn a real reply, then the soak's plan.
  phase = 'replies';
  await life({ ...soakPlan, repliesPerSession: Math.floor(MESSAGES / 2) }, index, COMPARE_SESSIONS, CONCURRENCY);
  index += COMPARE_SESSIONS;
  phase = 'noreply';
  await life(soakPlan, index, COMPARE_SESSIONS, CONCURRENCY);
  index += COMPARE_SESSIONS;
  phase = 'soak';
  await life(soakPlan, index, Math.max(0, SESSIONS - COMPARE_SESSIONS), CONCURRENCY);
  await take();
  phase = 'idle-end';
  await sleep(IDLE_S * 1000);
  await take();
} finally {
  clearInterval(poller);
  await backend.close();
}

const mib = (b: number | undefined) => (b === undefined ? undefined : Math.round((b / 2 ** 20) * 10) / 10);
const kib = (f: { bytesPerUnit: number; lower: number; upper: number } | undefined) =>
  f && {
    kibPerUnit: Math.round((f.bytesPerUnit / 1024) * 100) / 100,
    lower: Math.round((f.lower / 1024) * 100) / 100,
    upper: Math.round((f.upper / 1024) * 100) / 100,
  };
const phaseFigures = (name: string) => {
  const f = soakFigures(samples, name);
  return { perSession: kib(f.perSession), perMessage: kib(f.perMessage) };
};
const all = soakFigures(samples, 'soak');
const figures = {
  params: { SESSIONS, MESSAGES, REPLIES, COMPARE_SESSIONS, CONCURRENCY, POLL_MS, IDLE_S },
  startMs: backend.startMs,
  sessions,
  messages,
  wallS: Math.round((Date.now() - started) / 1000),
  rssMiB: {
    idleStart: mib(all.idleStartBytes),
    peak: mib(all.peakBytes),
    atEndOfWork: mib(samples.filter((s) => s.phase === 'soak').at(-1)?.rssBytes),
    idleEnd: mib(all.idleEndBytes),
  },
  soak: phaseFigures('soak'),
  replies: phaseFigures('replies'),
  noreply: phaseFigures('noreply'),
};
writeFileSync(join(dir, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
const chart = (x: 'sessions' | 'messages') =>
  renderLineChart({
    id: `rss-${x}`,
    title: `opencode serve RSS against ${x}`,
    xLabel: x,
    yKind: 'bytes',
    yLabel: 'RSS',
    series: ['warmup', 'replies', 'noreply', 'soak', 'idle-end'].map((p) => ({
      label: p,
      points: samples.filter((s) => s.phase === p).map((s) => ({ x: s[x], y: s.rssBytes })),
    })),
  });
writeFileSync(
  join(dir, 'rss.html'),
  `<!doctype html><meta charset="utf-8"><title>opencode serve soak</title><body style="font-family:sans-serif"><h1>opencode serve 1.18.33: RSS under a soak</h1><pre>${JSON.stringify(figures, null, 2)}</pre>${chart('messages')}${chart('sessions')}</body>`,
);
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n${dir}\n`);
