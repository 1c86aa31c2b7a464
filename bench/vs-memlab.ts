// `npm run bench:vs-memlab`: churnlab's main scenario against the memlab-alone pipeline
// (bench/memlab-alone.ts), on the same plugin and the same session lives, side by side and
// interleaved: for each target (the leaky gateway and its fixed twin) and each run, memlab alone,
// churnlab with its diagnosis, churnlab with --no-diagnose, in that order. Each is a child process
// tree; its wall time is process start to exit (a verdict), its peak RSS the largest sum of the
// tree's RSS polled from /proc every 50 ms. Prints medians and ranges, the ratios, and what each
// found; memlab flagging the fixed twin's capped collections counts as a false alarm.
//   npm run bench:vs-memlab [-- --runs 5] [--targets leaky,fixed]
// Not a test: nothing asserts on time. Absolute figures depend on the machine and its load.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readTreeRss } from '../harness/observe/proc-tree.ts';
import { median } from './churn-throughput.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TARGETS = {
  leaky: { path: 'fixtures/targets/unclean-exit/leaky.ts', truth: 'leak' },
  fixed: { path: 'fixtures/targets/unclean-exit/fixed.ts', truth: 'bounded' },
} as const;
type TargetName = keyof typeof TARGETS;
type Tool = 'memlab alone' | 'churnlab' | 'churnlab --no-diagnose';
const TOOLS: Tool[] = ['memlab alone', 'churnlab', 'churnlab --no-diagnose'];

interface Run {
  tool: Tool;
  target: TargetName;
  wallMs: number;
  peakRssBytes: number;
  verdict: 'leak' | 'bounded' | 'error';
  found: string;
  /** churnlab: the sessions of the main phase where the sequential run stopped. */
  stoppedAt?: number;
}

interface Child {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  peakRssBytes: number;
}

function runChild(args: string[]): Promise<Child> {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let polling = false;
    const poll = setInterval(() => {
      if (polling || !child.pid) return;
      polling = true;
      void readTreeRss(child.pid).then((r) => {
        if (r && r.rssBytes > peak) peak = r.rssBytes;
        polling = false;
      });
    }, 50);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolvePromise({ code, stdout, stderr, wallMs: performance.now() - t0, peakRssBytes: peak });
    });
  });
}

async function memlabAlone(target: TargetName): Promise<Run> {
  const c = await runChild(['bench/memlab-alone.ts', '--target', TARGETS[target].path]);
  const line = c.stdout.trim().split('\n').pop() ?? '';
  let parsed: { verdict: 'leak' | 'bounded'; flagged: { name: string; id: string; history: number[] }[] } | undefined;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  if (c.code !== 0 || !parsed)
    return {
      tool: 'memlab alone',
      target,
      wallMs: c.wallMs,
      peakRssBytes: c.peakRssBytes,
      verdict: 'error',
      found: c.stderr.trim().split('\n').slice(-3).join(' / '),
    };
  const found = parsed.flagged.map((f) => `${f.name} ${f.id}: ${f.history.join(' > ')}`).join('; ') || 'nothing flagged';
  return { tool: 'memlab alone', target, wallMs: c.wallMs, peakRssBytes: c.peakRssBytes, verdict: parsed.verdict, found };
}

async function churnlab(target: TargetName, diagnose: boolean, out: string): Promise<Run> {
  const tool: Tool = diagnose ? 'churnlab' : 'churnlab --no-diagnose';
  const c = await runChild([
    'harness/cli/scenario.ts',
    'leak-unclean-exit',
    '--target',
    TARGETS[target].path,
    '--out',
    out,
    ...(diagnose ? [] : ['--no-diagnose']),
  ]);
  const verdict = c.code === 1 ? 'leak' : c.code === 0 ? 'bounded' : 'error';
  // The verdict table's rows (FAIL/ok lines) and, with a diagnosis, the collections it names.
  const lines = c.stdout.split('\n').filter((l) => /^(FAIL|ok)\s/.test(l) || /→|->/.test(l));
  const found =
    verdict === 'error'
      ? `exit ${c.code}: ${c.stderr.trim().split('\n').slice(-2).join(' / ')}`
      : lines.map((l) => l.replace(/\s+/g, ' ').trim()).join('; ');
  // "Stopped: decided at 2 000 sessions (…)" or "Stopped: ran to the maximum 20 000 sessions (…)".
  const stop = /^Stopped: (?:decided at|ran to the maximum) ([\d\s]+) sessions/m.exec(c.stdout);
  const stoppedAt = stop ? Number(stop[1]!.replace(/\s/g, '')) : undefined;
  return {
    tool,
    target,
    wallMs: c.wallMs,
    peakRssBytes: c.peakRssBytes,
    verdict,
    found,
    ...(stoppedAt !== undefined ? { stoppedAt } : {}),
  };
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, targets: { type: 'string', default: 'leaky,fixed' } } });
const runs = Number(values.runs);
const targets = values.targets.split(',').map((t) => t.trim()) as TargetName[];
for (const t of targets)
  if (!(t in TARGETS)) throw new Error(`bench:vs-memlab: unknown target '${t}' (known: ${Object.keys(TARGETS).join(', ')})`);
const out = mkdtempSync(join(tmpdir(), 'churnlab-vs-memlab-'));
const results: Run[] = [];
try {
  for (let i = 0; i < runs; i += 1) {
    for (const target of targets) {
      for (const tool of TOOLS) {
        const r = tool === 'memlab alone' ? await memlabAlone(target) : await churnlab(target, tool === 'churnlab', out);
        results.push(r);
        process.stderr.write(
          `run ${i + 1}/${runs} ${target} · ${tool}: ${r.verdict} in ${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB` +
            `${r.stoppedAt !== undefined ? `, stopped at ${r.stoppedAt} sessions` : ''}\n`,
        );
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const range = (xs: number[], f: (x: number) => string) => `${f(Math.min(...xs))}-${f(Math.max(...xs))}`;
/** "2000 ×4, 3000 ×1": where churnlab's sequential runs stopped; "—" for memlab's fixed steps. */
const stops = (rs: Run[]): string => {
  const counts = new Map<number, number>();
  for (const r of rs) if (r.stoppedAt !== undefined) counts.set(r.stoppedAt, (counts.get(r.stoppedAt) ?? 0) + 1);
  return counts.size === 0
    ? '—'
    : [...counts]
        .sort((a, b) => a[0] - b[0])
        .map(([at, n]) => `${at} ×${n}`)
        .join(', ');
};
const lines = [
  `churnlab vs memlab alone: leak-unclean-exit's session lives, ${runs} interleaved runs each (medians, range)`,
  '| target | pipeline | verdict (correct/runs) | wall to verdict | peak RSS (all processes) | vs memlab alone (wall) | stopped at (sessions × runs) |',
  '|---|---|---|---|---|---|---|',
];
const findings: string[] = [];
for (const target of targets) {
  const truth = TARGETS[target].truth;
  const memlabWall = median(results.filter((r) => r.target === target && r.tool === 'memlab alone').map((r) => r.wallMs));
  for (const tool of TOOLS) {
    const rs = results.filter((r) => r.target === target && r.tool === tool);
    const correct = rs.filter((r) => r.verdict === truth).length;
    const verdicts = [...new Set(rs.map((r) => r.verdict))].join('/');
    const wall = rs.map((r) => r.wallMs);
    const label =
      tool === 'memlab alone' && target === 'fixed' && rs.some((r) => r.verdict === 'leak') ? `${verdicts} (false alarm)` : verdicts;
    const ratio = tool === 'memlab alone' ? '—' : `x${(memlabWall / median(wall)).toFixed(2)}`;
    lines.push(
      `| ${target} | ${tool} | ${label} (${correct}/${rs.length}) | ${s(median(wall))} (${range(wall, s)}) | ${mib(median(rs.map((r) => r.peakRssBytes)))} (${range(
        rs.map((r) => r.peakRssBytes),
        mib,
      )}) | ${ratio} | ${stops(rs)} |`,
    );
    findings.push(`${target} · ${tool}: ${rs[rs.length - 1]?.found ?? ''}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n\nWhat each found (last run):\n${findings.map((f) => `- ${f}`).join('\n')}\n`);
