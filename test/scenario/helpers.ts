import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../harness/report/model.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';

/**
 * Priming rounds of a run whose asserted verdicts do not rest on a flat heap: a leak far above the
 * harness's own tier-up in the target (a few KB, which DEFAULTS.primeSamples rounds of a sample
 * each keep out of heap verdicts), or counts (collections, counters) that priming does not touch.
 * Runs that must come out `bounded` on the heap keep the full priming.
 */
export const SHORT_PRIME_SAMPLES = 3;

/** The scenario with a short priming (SHORT_PRIME_SAMPLES). */
export const shortPrimed = <S extends object>(scenario: S): S => ({ ...scenario, primeSamples: SHORT_PRIME_SAMPLES });

/** Reports of test runs go to a temp dir, never into the repository's reports/. */
export const testOut = (): string => mkdtempSync(join(tmpdir(), 'churnlab-test-'));

export const fixture = (path: string): string => join(REPO_ROOT, 'fixtures', path);

export function collectionsByName(report: RunReport): Map<string, RunReport['topCollections'][number]> {
  return new Map(report.topCollections.filter((c) => c.name).map((c) => [c.name!, c]));
}

/** Largest size any sample saw for each named collection (the cap must hold at every sample). */
export function maxSizes(samples: { collections?: { name?: string; size: number }[] }[]): Map<string, number> {
  const max = new Map<string, number>();
  for (const s of samples) for (const c of s.collections ?? []) if (c.name) max.set(c.name, Math.max(max.get(c.name) ?? 0, c.size));
  return max;
}

/** [id, verdict] of every expectation, in the report's order. */
export const verdictTable = (report: RunReport): [string, string][] => report.expectations.map((e) => [e.id, e.verdict]);

/**
 * Every expectation's verdict with its reasons (and the run's error), as the message of a verdict
 * assertion: a verdict that flips on a CI runner then says why, not only "expected leak".
 */
export function explain(report: RunReport): string {
  const lines = report.expectations.map((e) => `${e.id}: ${e.verdict}\n    ${e.reasons.join('\n    ')}`);
  if (report.error) lines.push(`error: ${JSON.stringify(report.error)}`);
  return lines.join('\n');
}

/** Whether python3 runs here (the Python twin of the hook daemon needs it; tests skip without). */
export const hasPython: boolean = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
