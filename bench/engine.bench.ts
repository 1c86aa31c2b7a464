// `npm run bench`: figures of the measurement engine on this machine, as medians of repeated runs.
//   1. time to verdict for a 1 KB/unit leak (smallest run length that says `leak`, and its wall time)
//   2. the smallest leak caught at the default run length (32, 16, 8, 4 B per unit)
//   3. false alarms over 20 runs of the empty control
//   4. observation overhead: the target's throughput with and without sampling
//   5. churn throughput through the plugin host on the reference plugin, and the cost of a sample
//      (bench/churn-throughput.ts; `--churn-only` runs just this part)
// Writes bench/results/engine.json (not committed) and prints a table. Not a test: nothing here
// asserts on time; the figures go into notes and reports.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes } from '../harness/core/units.ts';
import { createSampler } from '../harness/observe/sampler.ts';
import { runScenario } from '../harness/scenario/run.ts';
import { unitScenario } from '../harness/scenario/unit-scenario.ts';
import { launchTarget } from '../harness/target/launch.ts';
import { formatChurn, measureChurn, type ChurnFigures } from './churn-throughput.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'churnlab-bench-'));
const quick = process.argv.includes('--quick');
const churnOnly = process.argv.includes('--churn-only');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function runUnits(target: string, units: number, env?: Record<string, string>) {
  const scenario = unitScenario({ name: 'bench', summary: target, target: `fixtures/synthetic/${target}`, units, warmupUnits: 300 });
  const t0 = Date.now();
  const { report } = await runScenario(scenario, { sessions: units, outRoot: out, diagnose: false, launch: env ? { env } : undefined });
  const heap = report.expectations.find((e) => e.id === 'heap-bounded');
  return { verdict: report.verdict, heap, wallMs: Date.now() - t0 };
}

const timeToVerdict: { units: number; verdicts: string[]; medianWallMs: number }[] = [];
const sensitivity: { bytesPerUnit: number; verdicts: string[]; estimate: string }[] = [];
const controlVerdicts: string[] = [];
let overhead = { unobservedUnitsPerSec: NaN, observedUnitsPerSec: NaN, ratio: NaN, samplePauseMsMedian: NaN };
if (!churnOnly) {
  // 1. Time to verdict: the shortest run that calls the 1 KB/unit leak a leak, and its wall time.
  for (const units of [200, 400, 800, 1600]) {
    const runs = [];
    for (let i = 0; i < (quick ? 1 : 3); i += 1) runs.push(await runUnits('leak-1kb.ts', units));
    timeToVerdict.push({ units, verdicts: runs.map((r) => r.verdict), medianWallMs: median(runs.map((r) => r.wallMs)) });
    process.stderr.write(`time to verdict: ${units} units -> ${runs.map((r) => r.verdict).join(',')}\n`);
  }

  // 2. Smallest leak caught at the default run length (3000 units).
  for (const every of [1, 2, 4, 8]) {
    const runs = [];
    for (let i = 0; i < (quick ? 1 : 3); i += 1) runs.push(await runUnits('leak-every-n.ts', 3000, { CHURNLAB_LEAK_EVERY: String(every) }));
    sensitivity.push({
      bytesPerUnit: 32 / every,
      verdicts: runs.map((r) => r.verdict),
      estimate: runs.map((r) => r.heap?.estimate ?? '?').join(', '),
    });
    process.stderr.write(`sensitivity: ${32 / every} B/unit -> ${runs.map((r) => r.verdict).join(',')}\n`);
  }

  // 3. False alarms over 20 control runs.
  for (let i = 0; i < (quick ? 5 : 20); i += 1) {
    controlVerdicts.push((await runUnits('empty-control.ts', 3000)).verdict);
    process.stderr.write(`control run ${i + 1}: ${controlVerdicts[i]}\n`);
  }

  // 4. Observation overhead, two figures, interleaved runs of a CPU-bound target (noisy-buffers):
  //    - the target's throughput between samples, observed (inspector attached, sampled every 100
  //      units) versus not observed at all: what observation does to the code under test;
  //    - the pause one full sample imposes (settled post-GC heap, census, handles), in ms.
  async function throughput(sampled: boolean, units: number): Promise<{ unitsPerSec: number; pauseMs: number[] }> {
    const target = await launchTarget({ host: 'unit', target: join(ROOT, 'fixtures/synthetic/noisy-buffers.ts'), cwd: ROOT });
    try {
      const sampler = sampled ? createSampler(target, { census: true, handles: true }) : undefined;
      await target.call('units', { from: 0, count: 200 });
      let workMs = 0;
      const pauseMs: number[] = [];
      for (let done = 0, seq = 0; done < units; done += 100, seq += 1) {
        const t0 = performance.now();
        await target.call('units', { from: done, count: 100 });
        workMs += performance.now() - t0;
        if (sampler) pauseMs.push((await sampler.sample({ seq, phase: 'bench', work: { unit: done }, wallMs: 0 })).costMs ?? 0);
      }
      return { unitsPerSec: units / (workMs / 1000), pauseMs };
    } finally {
      await target.stop();
    }
  }
  const plain: number[] = [];
  const observed: number[] = [];
  const pauses: number[] = [];
  for (let i = 0; i < (quick ? 2 : 5); i += 1) {
    plain.push((await throughput(false, 2000)).unitsPerSec);
    const o = await throughput(true, 2000);
    observed.push(o.unitsPerSec);
    pauses.push(...o.pauseMs);
  }
  overhead = {
    unobservedUnitsPerSec: median(plain),
    observedUnitsPerSec: median(observed),
    ratio: median(observed) / median(plain),
    samplePauseMsMedian: median(pauses),
  };
}

// 5. Churn through the plugin host (the main scenario's session shape, the reference plugin).
const churnRuns: ChurnFigures[] = [];
for (let i = 0; i < (quick ? 1 : 3); i += 1) {
  churnRuns.push(await measureChurn());
  process.stderr.write(`churn run ${i + 1}: ${formatChurn(churnRuns[i]!)}\n`);
}
const churn = {
  sessionsPerSec: median(churnRuns.map((c) => c.sessionsPerSec)),
  targetCpuMsPerSession: median(churnRuns.map((c) => c.targetCpuMsPerSession)),
  harnessCpuMsPerSession: median(churnRuns.map((c) => c.harnessCpuMsPerSession)),
  sampleMs: median(churnRuns.map((c) => c.sampleMs)),
  sampleTargetCpuMs: median(churnRuns.map((c) => c.sampleTargetCpuMs)),
  runs: churnRuns,
};

const results = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
  timeToVerdict,
  sensitivity,
  falseAlarms: { runs: controlVerdicts.length, leak: controlVerdicts.filter((v) => v === 'leak').length, verdicts: controlVerdicts },
  overhead,
  churn,
};
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const resultsFile = churnOnly ? 'bench/results/engine-churn.json' : 'bench/results/engine.json';
writeFileSync(join(ROOT, resultsFile), `${JSON.stringify(churnOnly ? { machine: results.machine, churn } : results, null, 2)}\n`);

const first = timeToVerdict.find((t) => t.verdicts.every((v) => v === 'leak'));
const smallest = sensitivity.filter((s) => s.verdicts.every((v) => v === 'leak')).pop();
const churnLine = `  churn through the plugin host (reference plugin, main scenario's sessions): ${churn.sessionsPerSec.toFixed(0)} sessions/s between samples (median of ${churnRuns.length} runs); CPU per session: target ${churn.targetCpuMsPerSession.toFixed(2)} ms, harness ${churn.harnessCpuMsPerSession.toFixed(2)} ms; one sample ${churn.sampleMs.toFixed(0)} ms wall, ${churn.sampleTargetCpuMs.toFixed(0)} ms of the target's CPU`;
if (churnOnly) {
  process.stdout.write(`churnlab engine benchmark (medians)\n${churnLine}\n  written to ${resultsFile}\n`);
  process.exit(0);
}
process.stdout.write(
  [
    'churnlab engine benchmark (medians)',
    `  time to verdict, 1 KB/unit leak : ${first ? `${first.units} units, ${(first.medianWallMs / 1000).toFixed(1)} s wall (incl. start and priming)` : 'not reached'}`,
    ...timeToVerdict.map(
      (t) => `      ${String(t.units).padStart(5)} units: ${t.verdicts.join(', ')} (${(t.medianWallMs / 1000).toFixed(1)} s)`,
    ),
    `  smallest leak caught (3000 units): ${smallest ? `${formatBytes(smallest.bytesPerUnit)} per unit` : 'none'}`,
    ...sensitivity.map((s) => `      ${formatBytes(s.bytesPerUnit).padStart(6)}/unit: ${s.verdicts.join(', ')} (estimates ${s.estimate})`),
    `  false alarms: ${results.falseAlarms.leak} leak verdicts in ${results.falseAlarms.runs} control runs (${controlVerdicts.join(', ')})`,
    `  observation overhead: target throughput between samples ${overhead.observedUnitsPerSec.toFixed(0)} vs ${overhead.unobservedUnitsPerSec.toFixed(0)} units/s observed vs not (x${overhead.ratio.toFixed(2)}); one full sample pauses the target ${overhead.samplePauseMsMedian.toFixed(0)} ms (median)`,
    churnLine,
    `  written to ${resultsFile}`,
  ].join('\n') + '\n',
);
