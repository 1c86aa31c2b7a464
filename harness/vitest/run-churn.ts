// runChurn: one churn run from inside a user's own vitest suite. It builds a small plugin
// scenario (session lives through the plugin host, on the mock OpenCode, in a separate target
// process on the virtual clock) and runs it through the same runner as `npm run scenario`, so
// the result carries the same verdicts, reasons and report directory. Like the command line, it
// is sequential unless `sessions` asks for a fixed run: a noisy plugin gets more sessions rather
// than an inconclusive verdict that fails the user's test.
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
  /**
   * A fixed run of exactly this many sessions in the judged phase, judged once at the end (like
   * --sessions). Without it the run is sequential: it stops once every expectation is decided.
   */
  sessions?: number;
  /** A sequential run's maximum (default DEFAULTS.sequentialMaxFactor × CHURN_DEFAULTS.nominalSessions). */
  maxSessions?: number;
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
  const sizes = churnSizes(options);
  for (const key of ['warmupSessions', 'turnsPerSession', 'sampleEverySessions'] as const) checkCount(key, o[key]);
  if (!(o.cleanEndShare >= 0 && o.cleanEndShare <= 1))
    throw new RangeError(`runChurn: cleanEndShare ${o.cleanEndShare}: expected a number from 0 to 1`);
  const looksLikePath = isAbsolute(o.target) || o.target.startsWith('.') || /\.(m|c)?[jt]sx?$/.test(o.target);
  const target = looksLikePath ? resolve(o.target) : o.target;
  const churn = { turnsPerSession: o.turnsPerSession, cleanEndShare: o.cleanEndShare, virtualMsPerSession: o.virtualMsPerSession };
  const scenario = defineScenario({
    name: 'vitest-churn',
    summary: `session lives through the plugin, ${Math.round(o.cleanEndShare * 100)} % ending cleanly`,
    kind: 'plugin',
    defaultTarget: target,
    unit: 'session',
    params: { sessions: sizes.nominal, seed: o.seed },
    sampleEveryUnits: o.sampleEverySessions,
    reply: o.reply ?? { toolCallsPerMessage: 1, toolOutputBytes: 512, textBytes: 200 },
    warmup: { sessions: o.warmupSessions },
    work: (run) => (sessions) => run.churn({ sessions, ...churn }),
    expect: o.expect ?? [
      expectCollectionsBounded(o.atMost === undefined ? {} : { atMost: o.atMost }),
      expectHeapBounded({ minBytesPerUnit: o.minHeapBytesPerSession }),
      expectHandlesBounded(),
    ],
  });
  return runScenario(scenario, {
    target,
    outRoot: o.outRoot ?? mkdtempSync(join(tmpdir(), 'churnlab-vitest-')),
    ...(sizes.fixed !== undefined ? { sessions: sizes.fixed } : {}),
    ...(sizes.max !== undefined ? { maxSessions: sizes.max } : {}),
    diagnose: o.diagnose ?? false,
    commandLine: `runChurn(${JSON.stringify({ ...options, signal: undefined })})`,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

function checkCount(key: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) throw new RangeError(`runChurn: ${key} ${value}: expected a whole number >= 1`);
}

/**
 * The judged phase's size: `sessions` is a fixed run; otherwise a sequential one whose nominal
 * size is the default, or `maxSessions` when that is smaller (a user's cap is never overruled).
 */
function churnSizes(options: ChurnOptions): { nominal: number; fixed?: number; max?: number } {
  const { sessions, maxSessions } = options;
  if (sessions !== undefined && maxSessions !== undefined)
    throw new RangeError('runChurn: sessions asks for a fixed run and maxSessions for a sequential one: give one of them');
  if (sessions !== undefined) {
    checkCount('sessions', sessions);
    return { nominal: sessions, fixed: sessions };
  }
  if (maxSessions === undefined) return { nominal: CHURN_DEFAULTS.nominalSessions };
  checkCount('maxSessions', maxSessions);
  return { nominal: Math.min(CHURN_DEFAULTS.nominalSessions, maxSessions), max: maxSessions };
}
