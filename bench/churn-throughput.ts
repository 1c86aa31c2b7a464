// Churn throughput through the plugin host, and what one sample costs, on the main scenario's
// session shape (leak-unclean-exit: its reply shape, turns, clean-end share, virtual time per
// session) against a plugin (default: the reference gateway, fixtures/targets/unclean-exit/fixed.ts).
// Batches of `sampleEveryUnits` sessions, a full sample after each, as a run does; sessions/s is
// measured over the batches only (work between samples), CPU per session from /proc (target) and
// process.cpuUsage (harness: the mock OpenCode, IPC, driver).
//   npx tsx bench/churn-throughput.ts [--target <path>] [--batches N] [--runs N]
// Used by bench/engine.bench.ts. Nothing asserts on time: the figures go into notes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startMockBackend } from '../harness/opencode/backend.ts';
import { createSampler } from '../harness/observe/sampler.ts';
import { launchTarget } from '../harness/target/launch.ts';
import scenario from '../scenarios/leak-unclean-exit.ts';
import { DEFAULTS } from '../harness/core/defaults.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WARMUP_BATCHES = 3;

export interface ChurnFigures {
  target: string;
  sessionsPerBatch: number;
  batches: number;
  /** Median over batches of sessions / wall time of the batch (sessions.run + clock advance). */
  sessionsPerSec: number;
  targetCpuMsPerSession: number;
  harnessCpuMsPerSession: number;
  /** Median wall time of one full sample (settled heap, memory, handles, census). */
  sampleMs: number;
  /** Mean CPU of the target during one sample (GCs, heap walks of the census), in ms. */
  sampleTargetCpuMs: number;
  /** Samples whose census looked for new collections (queryObjects), of `batches`. */
  discoveries: number;
}

/** CPU time (user + system) of a process from /proc, in ms; undefined where /proc is absent. */
function cpuMsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function measureChurn(opts: { target?: string; batches?: number; discoverEvery?: number } = {}): Promise<ChurnFigures> {
  const target = opts.target ?? join(ROOT, scenario.defaultTarget);
  const batches = opts.batches ?? 20;
  const p = scenario.params;
  const perBatch = scenario.sampleEveryUnits;
  const backend = await startMockBackend({ seed: p.seed, reply: scenario.reply });
  try {
    const launched = await launchTarget({ host: 'plugin', target, cwd: ROOT, options: { opencodeUrl: backend.url } });
    try {
      const sampler = createSampler(launched, {
        census: true,
        handles: true,
        ...(opts.discoverEvery ? { censusOptions: { discoverEvery: opts.discoverEvery } } : {}),
      });
      const rates: number[] = [];
      const sampleMs: number[] = [];
      let targetCpu = 0;
      let harnessCpu = 0;
      let sampleCpu = 0;
      let sessions = 0;
      let discoveries = 0;
      for (let b = 0; b < WARMUP_BATCHES + batches; b += 1) {
        const measured = b >= WARMUP_BATCHES;
        const t0 = performance.now();
        const c0 = cpuMsOf(launched.pid) ?? 0;
        const h0 = selfCpuMs();
        await launched.call('sessions.run', {
          startIndex: b * perBatch,
          count: perBatch,
          messagesPerSession: p.turnsPerSession,
          cleanEndShare: p.cleanEndShare,
          concurrency: DEFAULTS.sessionsInFlight,
        });
        await launched.advanceClock(Math.max(p.virtualMsPerSession * perBatch, performance.now() - t0));
        if (measured) {
          rates.push(perBatch / ((performance.now() - t0) / 1000));
          targetCpu += (cpuMsOf(launched.pid) ?? 0) - c0;
          harnessCpu += selfCpuMs() - h0;
          sessions += perBatch;
        }
        const s0 = cpuMsOf(launched.pid) ?? 0;
        const sample = await sampler.sample({ seq: b, phase: 'bench', work: { session: (b + 1) * perBatch }, wallMs: 0 });
        if (measured) {
          sampleMs.push(sample.costMs ?? 0);
          sampleCpu += (cpuMsOf(launched.pid) ?? 0) - s0;
          if (sampler.census?.lastCost()?.discovered) discoveries += 1;
        }
      }
      await sampler.dispose();
      return {
        target,
        sessionsPerBatch: perBatch,
        batches,
        sessionsPerSec: median(rates),
        targetCpuMsPerSession: targetCpu / sessions,
        harnessCpuMsPerSession: harnessCpu / sessions,
        sampleMs: median(sampleMs),
        sampleTargetCpuMs: sampleCpu / batches,
        discoveries,
      };
    } finally {
      await launched.stop();
    }
  } finally {
    await backend.close();
  }
}

export function formatChurn(f: ChurnFigures): string {
  return `${f.sessionsPerSec.toFixed(0)} sessions/s between samples (target ${f.targetCpuMsPerSession.toFixed(2)} ms CPU per session, harness ${f.harnessCpuMsPerSession.toFixed(2)} ms); one sample ${f.sampleMs.toFixed(0)} ms wall, ${f.sampleTargetCpuMs.toFixed(0)} ms of the target's CPU (${f.discoveries} of ${f.batches} samples looked for new collections)`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      batches: { type: 'string' },
      runs: { type: 'string', default: '1' },
      'discover-every': { type: 'string' },
    },
  });
  for (let i = 0; i < Number(values.runs); i += 1) {
    const f = await measureChurn({
      ...(values.target ? { target: join(process.cwd(), values.target) } : {}),
      ...(values.batches ? { batches: Number(values.batches) } : {}),
      ...(values['discover-every'] ? { discoverEvery: Number(values['discover-every']) } : {}),
    });
    process.stdout.write(`churn: ${formatChurn(f)}\n`);
  }
}
