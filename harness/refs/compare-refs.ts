// Base vs head: one scenario against the user's target as it is at two git refs of their
// repository, runs interleaved (base, head, head, base, ...) so drift on the machine lands on
// both sides, then each per-unit figure compared with harness/compare (three-valued).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compareRuns, formatComparison, type Comparison, type CompareOutcome } from '../compare/index.ts';
import { PROFILE_DEFAULTS } from '../core/defaults.ts';
import { formatBytes } from '../core/units.ts';
import type { ScenarioDefinition } from '../scenario/define.ts';
import { runScenario, type RunOptions } from '../scenario/run.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { readSamples } from '../report/samples-writer.ts';
import { gitTopLevel } from '../profile/repo-root.ts';
import { addWorktree, RefError, resolveRef, type Worktree } from './worktree.ts';
import { runFigures, type RunFigures } from './figures.ts';
import { interruptExitCode, interruptOf, type InterruptSignal } from '../core/interrupt.ts';

/** Smallest changes that matter: below these a difference is never a regression. */
export const MIN_EFFECT = {
  /** Same floor as the scenarios' heap expectations (one leaked guard entry is ~70-100 B). */
  heapBytesPerUnit: 64,
  /** One entry per 20 units. */
  entriesPerUnit: 0.05,
} as const;

export interface CompareRefsOptions {
  /** Path of the target module as the user gave it (relative to cwd or absolute). */
  target: string;
  base: string;
  /** A ref; absent = the working tree as it is now (uncommitted changes included). */
  head?: string;
  scenario: ScenarioDefinition;
  runsPerSide?: number;
  sessions?: number;
  seed?: number;
  /** Significance level (default 0.01, as the CI gate; 0.05 decides with 4 runs per side). */
  alpha?: number;
  outDir: string;
  cwd?: string;
  onRun?(info: { side: 'base' | 'head'; index: number; of: number; exitCode: number; dir: string }): void;
  launch?: RunOptions['launch'];
  /** Aborted by an interrupt: the run in flight stops and reports, no further run starts (RunOptions.signal). */
  signal?: AbortSignal;
}

export interface MetricComparison {
  label: string;
  /** Whether this figure decides the exit code (throughput is shown, never gates). */
  gating: boolean;
  base: number[];
  head: number[];
  comparison: Comparison;
  /** "bytes per session: 1.2 KB -> 3.9 KB (+225 %, significant regression)". */
  line: string;
}

export type CompareRefsResult =
  | {
      status: 'compared';
      outcome: CompareOutcome;
      exitCode: number;
      repo: string;
      target: string;
      base: { ref: string; commit: string };
      head: { ref: string; commit?: string };
      runsPerSide: number;
      metrics: MetricComparison[];
      runDirs: { side: 'base' | 'head'; dir: string }[];
      wallMs: number;
      suggestion?: string;
    }
  | { status: 'run-failed'; exitCode: number; side: 'base' | 'head'; dir: string; message: string }
  | {
      status: 'interrupted';
      /** Never a comparison's verdict: what the runs so far said is in outcomeSoFar. */
      outcome: 'interrupted';
      signal: InterruptSignal;
      exitCode: number;
      runsDone: { base: number; head: number };
      runsPerSide: number;
      /** The figures of the runs that ended before the signal, compared (both sides need a run). */
      metrics: MetricComparison[];
      outcomeSoFar?: CompareOutcome;
      /** The run the signal cut short, when one was in flight (its own report says interrupted). */
      interruptedRunDir?: string;
      runDirs: { side: 'base' | 'head'; dir: string }[];
      wallMs: number;
    };

const perUnit = (unit: string) => `per ${unit}`;

/** The repository, the target inside it and the two commits, checked before anything runs. */
interface RefInputs {
  targetAbs: string;
  repo: string;
  rel: string;
  runsPerSide: number;
  baseCommit: string;
  headCommit: string | undefined;
}

type Side = 'base' | 'head';
type RunDir = { side: Side; dir: string };
/** The runs of both sides, or the result that ended them early (interrupted, or a run failed). */
type SideRuns =
  { kind: 'collected'; figures: Record<Side, RunFigures[]>; runDirs: RunDir[] } | { kind: 'ended'; result: CompareRefsResult };

export async function compareRefs(o: CompareRefsOptions): Promise<CompareRefsResult> {
  const started = Date.now();
  const inputs = resolveRefInputs(o);
  const trees: Worktree[] = [];
  try {
    const targets = checkOutSides(o, inputs, trees);
    const runs = await runSides(o, targets, inputs.runsPerSide, started);
    if (runs.kind === 'ended') return runs.result;
    const result = compared(o, inputs, runs.figures, runs.runDirs, started);
    mkdirSync(o.outDir, { recursive: true });
    writeFileSync(join(o.outDir, 'comparison.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(o.outDir, 'comparison.md'), comparisonMd(result));
    return result;
  } finally {
    for (const t of trees) t.remove();
  }
}

function resolveRefInputs(o: CompareRefsOptions): RefInputs {
  const cwd = o.cwd ?? process.cwd();
  const targetAbs = resolve(cwd, o.target);
  if (!existsSync(targetAbs))
    throw new BadInputError(
      `--target ${o.target}: no such file (looked for ${targetAbs}). Expected a path to the plugin module inside your git repository.`,
    );
  const repo = gitTopLevel(targetAbs);
  if (!repo)
    throw new BadInputError(
      `--target ${o.target}: not inside a git repository; compare checks the repository that holds the target out at --base and --head.`,
    );
  const rel = relative(repo, targetAbs);
  const runsPerSide = o.runsPerSide ?? PROFILE_DEFAULTS.compareRunsPerSide;
  if (!(Number.isInteger(runsPerSide) && runsPerSide >= 1)) throw new BadInputError(`--runs ${runsPerSide}: expected a whole number >= 1`);
  try {
    const baseCommit = resolveRef(repo, o.base, '--base');
    const headCommit = o.head === undefined ? undefined : resolveRef(repo, o.head, '--head');
    return { targetAbs, repo, rel, runsPerSide, baseCommit, headCommit };
  } catch (e) {
    if (e instanceof RefError) throw new BadInputError(e.message);
    throw e;
  }
}

/** Worktrees at --base (and --head, else the working tree), added to `trees` for removal; the target's path in each. */
function checkOutSides(o: CompareRefsOptions, inputs: RefInputs, trees: Worktree[]): Record<Side, string> {
  const { repo, rel, baseCommit, headCommit } = inputs;
  const baseTree = addWorktree(repo, baseCommit, 'base');
  trees.push(baseTree);
  const headTree = headCommit ? addWorktree(repo, headCommit, 'head') : undefined;
  if (headTree) trees.push(headTree);
  const targets = { base: join(baseTree.dir, rel), head: headTree ? join(headTree.dir, rel) : inputs.targetAbs };
  for (const side of ['base', 'head'] as const) {
    if (!existsSync(targets[side])) {
      const ref = side === 'base' ? o.base : o.head;
      throw new BadInputError(
        `--target ${rel} does not exist at --${side} ${ref} (commit ${(side === 'base' ? baseCommit : (headCommit ?? '')).slice(0, 12)}) of ${repo}`,
      );
    }
  }
  return targets;
}

async function runSides(o: CompareRefsOptions, targets: Record<Side, string>, runsPerSide: number, started: number): Promise<SideRuns> {
  const figures: Record<Side, RunFigures[]> = { base: [], head: [] };
  const runDirs: RunDir[] = [];
  for (let i = 0; i < runsPerSide; i += 1) {
    // ABBA order: a slow drift of the machine weighs on both sides alike.
    const order = i % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
    for (const side of order) {
      const stopped = interruptOf(o.signal);
      if (stopped) return { kind: 'ended', result: interruptedComparison(o, stopped.signal, figures, runDirs, runsPerSide, started) };
      const { report, dir, exitCode } = await runScenario(o.scenario, {
        target: targets[side],
        // Equal runs on both sides: a sequential run would stop where each side's evidence settles.
        ...(o.sessions ? { sessions: o.sessions } : { fixed: true }),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        outRoot: join(o.outDir, side),
        diagnose: false,
        ...(o.launch ? { launch: o.launch } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      runDirs.push({ side, dir });
      o.onRun?.({ side, index: figures[side].length + 1, of: runsPerSide, exitCode, dir });
      if (report.interrupted)
        return { kind: 'ended', result: interruptedComparison(o, report.interrupted.signal, figures, runDirs, runsPerSide, started, dir) };
      if (report.error)
        return {
          kind: 'ended',
          result: { status: 'run-failed', exitCode, side, dir, message: `${report.error.kind}: ${report.error.message}` },
        };
      figures[side].push(runFigures(readSamples(join(dir, report.files.samples)), o.scenario.unit, o.scenario.verdictPhases));
    }
  }
  return { kind: 'collected', figures, runDirs };
}

function compared(
  o: CompareRefsOptions,
  inputs: RefInputs,
  figures: Record<Side, RunFigures[]>,
  runDirs: RunDir[],
  started: number,
): Extract<CompareRefsResult, { status: 'compared' }> {
  const metrics = compareFigures(figures, o.scenario.unit, o.alpha ?? 0.01);
  const outcome = outcomeOf(metrics);
  const exitCode = outcome === 'regressed' ? EXIT.leak : outcome === 'inconclusive' ? EXIT.inconclusive : EXIT.pass;
  const most = Math.max(
    0,
    ...metrics.filter((m) => m.gating && m.comparison.outcome === 'inconclusive').map((m) => m.comparison.suggestedRunsPerSide ?? 0),
  );
  return {
    status: 'compared',
    outcome,
    exitCode,
    repo: inputs.repo,
    target: inputs.rel,
    base: { ref: o.base, commit: inputs.baseCommit },
    head: { ref: o.head ?? '(working tree)', ...(inputs.headCommit ? { commit: inputs.headCommit } : {}) },
    runsPerSide: inputs.runsPerSide,
    metrics,
    runDirs,
    wallMs: Date.now() - started,
    ...(outcome === 'inconclusive' && most > 0 ? { suggestion: `rerun with --runs ${most}` } : {}),
  };
}

/** Each per-unit figure of base against head (heap, every named collection, throughput). */
function compareFigures(figures: Record<'base' | 'head', RunFigures[]>, unit: string, alpha: number): MetricComparison[] {
  const metrics: MetricComparison[] = [];
  const add = (
    label: string,
    gating: boolean,
    pick: (f: RunFigures) => number | undefined,
    opts: { minAbsoluteEffect?: number; direction?: 'lower-is-better' | 'higher-is-better'; format: (v: number) => string },
  ) => {
    const base = figures.base.map(pick);
    const head = figures.head.map(pick);
    if (base.some((v) => v === undefined) || head.some((v) => v === undefined)) return;
    const comparison = compareRuns(base as number[], head as number[], {
      direction: opts.direction ?? 'lower-is-better',
      alpha,
      ...(opts.minAbsoluteEffect !== undefined ? { minAbsoluteEffect: opts.minAbsoluteEffect } : {}),
      format: opts.format,
    });
    metrics.push({
      label,
      gating,
      base: base as number[],
      head: head as number[],
      comparison,
      line: formatComparison(label, comparison, opts.format),
    });
  };
  add(`heap bytes ${perUnit(unit)}`, true, (f) => f.heapBytesPerUnit, {
    minAbsoluteEffect: MIN_EFFECT.heapBytesPerUnit,
    format: formatBytes,
  });
  const names = new Set([...figures.base, ...figures.head].flatMap((f) => Object.keys(f.entriesPerUnit)));
  // A collection the census did not list in a run stayed under its tracking threshold: 0 growth.
  for (const name of [...names].sort()) {
    add(`entries ${perUnit(unit)} (${name})`, true, (f) => f.entriesPerUnit[name] ?? 0, {
      minAbsoluteEffect: MIN_EFFECT.entriesPerUnit,
      format: (v) => String(Number(v.toPrecision(2))),
    });
  }
  add(`${unit}s per second (throughput, not gating)`, false, (f) => f.unitsPerSecond, {
    direction: 'higher-is-better',
    format: (v) => String(Number(v.toPrecision(3))),
  });
  return metrics;
}

/** The gating figures' outcome: a regression anywhere wins, then inconclusive, then improved. */
function outcomeOf(metrics: MetricComparison[]): CompareOutcome {
  const gating = metrics.filter((m) => m.gating).map((m) => m.comparison.outcome);
  return gating.includes('regressed')
    ? 'regressed'
    : gating.includes('inconclusive')
      ? 'inconclusive'
      : gating.includes('improved')
        ? 'improved'
        : 'unchanged';
}

/**
 * A compare a signal stopped: the runs that ended before it, compared when both sides have one
 * (shown as so far), comparison.json / comparison.md saying interrupted, exit 128 + the signal.
 */
function interruptedComparison(
  o: CompareRefsOptions,
  signal: InterruptSignal,
  figures: Record<'base' | 'head', RunFigures[]>,
  runDirs: { side: 'base' | 'head'; dir: string }[],
  runsPerSide: number,
  started: number,
  interruptedRunDir?: string,
): CompareRefsResult {
  const complete = figures.base.length > 0 && figures.head.length > 0;
  const metrics = complete ? compareFigures(figures, o.scenario.unit, o.alpha ?? 0.01) : [];
  const result: Extract<CompareRefsResult, { status: 'interrupted' }> = {
    status: 'interrupted',
    outcome: 'interrupted',
    signal,
    exitCode: interruptExitCode(signal),
    runsDone: { base: figures.base.length, head: figures.head.length },
    runsPerSide,
    metrics,
    ...(complete ? { outcomeSoFar: outcomeOf(metrics) } : {}),
    ...(interruptedRunDir ? { interruptedRunDir } : {}),
    runDirs,
    wallMs: Date.now() - started,
  };
  mkdirSync(o.outDir, { recursive: true });
  writeFileSync(join(o.outDir, 'comparison.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(o.outDir, 'comparison.md'), interruptedComparisonMd(result, o));
  return result;
}

/** "interrupted by SIGTERM after 2 base and 1 head runs of 5 per side". */
export function interruptedComparisonText(r: Extract<CompareRefsResult, { status: 'interrupted' }>): string {
  return `interrupted by ${r.signal} after ${r.runsDone.base} base and ${r.runsDone.head} head run${r.runsDone.head === 1 ? '' : 's'} of ${r.runsPerSide} per side`;
}

function interruptedComparisonMd(r: Extract<CompareRefsResult, { status: 'interrupted' }>, o: CompareRefsOptions): string {
  return [
    `## interrupted · \`${o.target}\`: ${o.base} -> ${o.head ?? '(working tree)'}`,
    '',
    `${interruptedComparisonText(r)} · ${Math.round(r.wallMs / 1000)} s · exit code ${r.exitCode}`,
    '',
    r.outcomeSoFar
      ? `So far (not a verdict: an interrupted compare never passes): **${r.outcomeSoFar}**`
      : 'No comparison so far: a side has no finished run.',
    '',
    ...r.metrics.map((m) => `- ${m.line}`),
    '',
  ].join('\n');
}

export function comparisonMd(r: Extract<CompareRefsResult, { status: 'compared' }>): string {
  const head = r.head.commit ? `${r.head.ref} (${r.head.commit.slice(0, 12)})` : r.head.ref;
  return [
    `## ${r.outcome} · \`${r.target}\`: ${r.base.ref} (${r.base.commit.slice(0, 12)}) -> ${head}`,
    '',
    `${r.runsPerSide} runs per side, interleaved · ${Math.round(r.wallMs / 1000)} s · exit code ${r.exitCode}`,
    '',
    ...r.metrics.map((m) => `- ${m.line}`),
    ...(r.suggestion ? ['', `Next: ${r.suggestion}.`] : []),
    '',
  ].join('\n');
}
