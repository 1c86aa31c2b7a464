// What local profiling costs: throughput of the churn phase with and without --profile
// (interleaved runs, medians), and the wall time of --snapshot-at (two snapshots + diff).
// `npx tsx bench/profile-overhead.ts [runsPerSide] [sessions]`; prints one JSON line per figure.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import scenario from '../scenarios/leak-unclean-exit.ts';
import { runScenario } from '../harness/scenario/run.ts';
import { readSamples } from '../harness/report/samples-writer.ts';
import { runFigures } from '../harness/refs/figures.ts';

const runs = Number(process.argv[2] ?? 3);
const sessions = Number(process.argv[3] ?? 1000);
const target = join(import.meta.dirname, '..', 'fixtures/targets/unclean-exit/leaky.ts');
const out = mkdtempSync(join(tmpdir(), 'churnlab-bench-profile-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const tput: Record<'plain' | 'profile', number[]> = { plain: [], profile: [] };
for (let i = 0; i < runs; i += 1) {
  for (const side of i % 2 === 0 ? (['plain', 'profile'] as const) : (['profile', 'plain'] as const)) {
    const r = await runScenario(scenario, {
      target,
      sessions,
      outRoot: out,
      diagnose: false,
      ...(side === 'profile' ? { local: { profile: { mode: 'retained' as const } } } : {}),
    });
    const f = runFigures(readSamples(join(r.dir, r.report.files.samples)), 'session');
    tput[side].push(f.unitsPerSecond ?? Number.NaN);
    console.log(JSON.stringify({ side, sessionsPerSecond: f.unitsPerSecond, durationMs: r.report.timing.durationMs }));
  }
}
console.log(
  JSON.stringify({
    figure: 'throughput',
    plainMedian: median(tput.plain),
    profileMedian: median(tput.profile),
    ratio: median(tput.profile) / median(tput.plain),
    runs,
    sessions,
  }),
);

const t = Date.now();
const s = await runScenario(scenario, { target, sessions, outRoot: out, diagnose: false, local: { snapshotAt: ['churn'] } });
console.log(
  JSON.stringify({
    figure: 'snapshot-at',
    runMs: Date.now() - t,
    snapshotMs: s.report.localTiming?.snapshotMs,
    diffMs: s.report.localTiming?.diffMs,
    diffTiming: s.report.phaseDiff?.status === 'diffed' ? s.report.phaseDiff.timing : undefined,
  }),
);
