// Samples a target that has no inspector (a plain command: a Go/Python/Rust daemon, the real
// `opencode serve` under Bun): RSS of its process tree from /proc, plus whatever exact counters
// the caller adds. No heap, no census, no handles: reports say "observed by RSS from /proc only".
import type { Sample } from '../core/types.ts';
import { readTreeRss } from './proc-tree.ts';
import type { Sampler } from './sampler.ts';

export interface ProcSamplerOptions {
  /** Root pid of the process tree; read at every sample (a restarted server has a new pid). */
  pid(): number | undefined;
  /** Wall clock of the harness (injected for tests): virtualMs counts real time from the first sample. */
  nowMs?: () => number;
}

export function createProcSampler(opts: ProcSamplerOptions): Sampler {
  const now = opts.nowMs ?? Date.now;
  let startedMs: number | undefined;
  return {
    census: undefined,
    async sample(meta) {
      const t0 = performance.now();
      startedMs ??= now();
      const pid = opts.pid();
      const rss = pid === undefined ? undefined : await readTreeRss(pid);
      const sample: Sample = {
        seq: meta.seq,
        wallMs: meta.wallMs,
        // No virtual clock in a process we did not start with our preload: time is real time.
        virtualMs: now() - startedMs,
        phase: meta.phase,
        work: meta.work,
        ...(rss ? { rssBytes: rss.rssBytes, counters: { 'proc.processes': rss.processes } } : {}),
      };
      sample.costMs = performance.now() - t0;
      return sample;
    },
    async dispose() {},
  };
}
