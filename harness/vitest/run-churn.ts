// runChurn: one churn run from inside a user's own vitest suite. It builds a small plugin
// scenario (session lives through the plugin host, on the mock OpenCode, in a separate target
// process on the virtual clock) and runs it through the same runner as `npm run scenario`, so
// the result carries the same verdicts, reasons and report directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { CHURN_DEFAULTS } from '../core/defaults.ts';
import { defineScenario } from '../scenario/define.ts';
import { expectCollectionsBounded, expectHandlesBounded, expectHeapBounded, type Expectation } from '../scenario/expect.ts';
import { runScenario, type RunResult } from '../scenario/run.ts';

export interface ChurnOptions {
  /** The plugin module under test: a path (absolute, or relative to the working directory) or a package name. */
  target: string;
  sessions?: number;
  warmupSessions?: number;
  turnsPerSession?: number;
  cleanEndShare?: number;
  virtualMsPerSession?: number;
  sampleEverySessions?: number;
  minHeapBytesPerSession?: number;
  /** A declared cap: every growing Map/Set must stay at or below it (a bounded cache). */
  atMost?: number;
  /** Replace the default expectations (heap, collections, ref'd handles). */
  expect?: Expectation[];
  /** Shape of the mock OpenCode's replies. */
  reply?: { toolCallsPerMessage: number; toolOutputBytes: number; textBytes?: number };
  seed?: number;
  /** Where the report directory goes (default: a fresh temp dir, never the repository). */
  outRoot?: string;
  /** Heap snapshot and retainer paths on a leak (default false: slower, and the reasons already name the collection). */
  diagnose?: boolean;
  /** Abort it (e.g. from a test's timeout) to stop the run: it reports `interrupted`, judged on the samples so far. */
  signal?: AbortSignal;
}

export type ChurnResult = RunResult;

export async function runChurn(options: ChurnOptions): Promise<ChurnResult> {
  if (typeof options?.target !== 'string' || options.target === '') {
    throw new TypeError('runChurn: options.target must name the plugin under test (a path or a package name)');
  }
  const o = {
    ...CHURN_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as typeof CHURN_DEFAULTS & ChurnOptions;
  for (const key of ['sessions', 'warmupSessions', 'turnsPerSession', 'sampleEverySessions'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`runChurn: ${key} ${o[key]}: expected a whole number >= 1`);
  }
  if (!(o.cleanEndShare >= 0 && o.cleanEndShare <= 1))
    throw new RangeError(`runChurn: cleanEndShare ${o.cleanEndShare}: expected a number from 0 to 1`);
  const looksLikePath = isAbsolute(o.target) || o.target.startsWith('.') || /\.(m|c)?[jt]sx?$/.test(o.target);
  const target = looksLikePath ? resolve(o.target) : o.target;
  const churn = { turnsPerSession: o.turnsPerSession, cleanEndShare: o.cleanEndShare, virtualMsPerSession: o.virtualMsPerSession };
  const scenario = defineScenario({
    name: 'vitest-churn',
    summary: `${o.sessions} sessions through the plugin, ${Math.round(o.cleanEndShare * 100)} % ending cleanly`,
    kind: 'plugin',
    defaultTarget: target,
    unit: 'session',
    params: { sessions: o.sessions, seed: o.seed },
    sampleEveryUnits: o.sampleEverySessions,
    reply: o.reply ?? { toolCallsPerMessage: 1, toolOutputBytes: 512, textBytes: 200 },
    async workload(run, p) {
      run.phase('warmup');
      await run.churn({ sessions: o.warmupSessions, ...churn });
      run.phase('churn');
      await run.churn({ sessions: p.sessions, ...churn });
    },
    expect: o.expect ?? [
      expectCollectionsBounded(o.atMost === undefined ? {} : { atMost: o.atMost }),
      expectHeapBounded({ minBytesPerUnit: o.minHeapBytesPerSession }),
      expectHandlesBounded(),
    ],
  });
  return runScenario(scenario, {
    target,
    outRoot: o.outRoot ?? mkdtempSync(join(tmpdir(), 'churnlab-vitest-')),
    diagnose: o.diagnose ?? false,
    commandLine: `runChurn(${JSON.stringify({ ...options, signal: undefined })})`,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
