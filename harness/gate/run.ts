// Runs a prepared suite: each entry's runs one after another (speed figures must not share the
// machine with the gate's own other runs), budgets per run, speed against the baseline per
// entry, then gate.json, summary.md and index.html in the gate directory.
import fs from 'node:fs';
import path from 'node:path';
import { plural } from '../core/units.ts';
import type { WorkUnit } from '../core/types.ts';
import { machineFacts } from '../report/machine.ts';
import { readSamples } from '../report/samples-writer.ts';
import { RUN_FILES } from '../report/write.ts';
import { runScenario, type RunOptions, type RunResult } from '../scenario/run.ts';
import { runLoad } from '../load/run.ts';
import { baselineKey, readBaseline, updateBaseline, type BaselineFigure } from './baseline.ts';
import { checkBudget } from './budgets.ts';
import { throughputOf, verdictWindow } from './figures.ts';
import { renderGateHtml } from './html.ts';
import { GATE_SCHEMA_VERSION, type EntryResult, type GateReport, type GateRun } from './model.ts';
import { entryOutcome, gateOutcome } from './outcome.ts';
import type { PreparedEntry } from './prepare.ts';
import { interruptOf } from '../core/interrupt.ts';
import { checkSpeed, speedDirection, type SpeedResult } from './speed.ts';
import { renderGateSummaryMd } from './summary-md.ts';
import type { Budget, LoadBudget, MemoryBudget, SpeedBudget, SpeedFigure } from './suite.ts';

export const GATE_FILES = { gate: 'gate.json', summary: 'summary.md', html: 'index.html', runs: 'runs' } as const;

export interface GateOptions {
  /** The gate directory (created): gate.json, summary.md, index.html, runs/. */
  dir: string;
  baselineFile: string;
  /** Record this run's speed figures as the baseline instead of comparing with it. */
  updateBaseline?: boolean;
  /** `--runs N`: runs of every entry that has a speed budget. */
  runsOverride?: number;
  configFile?: string;
  only?: string[];
  commandLine: string;
  /** Progress lines for people (stderr). */
  log?: (line: string) => void;
  /** Target process timeouts and flags (tests). */
  launch?: RunOptions['launch'];
  /** Aborted by an interrupt: the run in flight stops and reports, no further run starts (RunOptions.signal). */
  signal?: AbortSignal;
}

const unitsPerSecondText = (unit: WorkUnit) => `${plural(unit)}/s`;
const figureUnitText = (figure: SpeedFigure, unit: WorkUnit) =>
  figure === 'p99LatencyMs' ? 'ms' : figure === 'requestsPerSecond' ? 'requests/s' : unitsPerSecondText(unit);

/** The speed figures of one run: throughput of a scenario's verdict window, or a load's totals. */
function speedOf(report: RunResult['report'], window: Parameters<typeof throughputOf>[0]): Partial<Record<SpeedFigure, number>> {
  if (report.error) return {};
  if (report.load) return { p99LatencyMs: report.load.totals.latencyMs.p99, requestsPerSecond: report.load.totals.requestsPerSec };
  const tp = throughputOf(window, report.unit);
  return tp ? { throughput: tp.unitsPerSecond } : {};
}

/** Relative to `from` when inside it, else absolute: "../../tmp/x" reads worse than "/tmp/x". */
function displayPath(p: string, from: string = process.cwd()): string {
  const rel = path.relative(from, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function gateRun(result: RunResult, gateDir: string, prepared: PreparedEntry, command: string): GateRun {
  const { report, dir } = result;
  let samples: ReturnType<typeof readSamples> = [];
  try {
    samples = readSamples(path.join(dir, RUN_FILES.samples));
  } catch {
    // A run that failed before its first sample has none; its error already fails the entry.
  }
  const window = verdictWindow(samples, prepared.verdictPhases);
  const absolute = prepared.budgets.filter((b): b is MemoryBudget | LoadBudget => b.kind !== 'speed');
  // A run that errored or was interrupted has no figures worth holding against a budget; that decides.
  const budgets = report.error || report.interrupted ? [] : absolute.map((b) => checkBudget(b, report, window));
  return {
    runId: report.runId,
    dir: path.relative(gateDir, dir),
    verdict: report.verdict,
    exitCode: result.exitCode,
    durationMs: report.timing.durationMs,
    failed: report.expectations
      .filter((e) => !e.passed)
      .map((e) => ({ id: e.id, description: e.description, verdict: e.verdict, estimate: e.estimate, reason: e.reasons[0] ?? '' })),
    ...(report.error ? { error: { kind: report.error.kind, message: report.error.message } } : {}),
    ...(report.interrupted ? { interrupted: report.interrupted } : {}),
    budgets,
    speed: speedOf(report, window),
    workDone: report.workDone,
    command,
  };
}

/** The error-rate budget of a load entry (prepareSuite gives every load entry one). */
function loadErrorShare(budgets: readonly Budget[]): number {
  const b = budgets.find((x) => x.kind === 'error-rate');
  return b?.kind === 'error-rate' ? b.atMostShare : 0;
}

function reproduce(p: PreparedEntry): string {
  if (p.kind === 'load') {
    const e = p.entry;
    const args = ['npx churnlab load', `--profile ${e.profile ?? 'daemon'}`];
    if (p.target) args.push(`--target ${displayPath(p.target, process.cwd())}`);
    if (e.maxRequests) args.push(`--max-requests ${e.maxRequests}`);
    if (e.durationS) args.push(`--duration-s ${e.durationS}`);
    if (e.connections) args.push(`--connections ${e.connections}`);
    if (e.samples) args.push(`--samples ${e.samples}`);
    if (e.serviceOptions) args.push(`--scenario-options '${JSON.stringify(e.serviceOptions)}'`);
    const share = loadErrorShare(p.budgets);
    if (share > 0) args.push(`--max-error-rate ${share}`);
    return args.join(' ');
  }
  const args = [`npx churnlab run ${p.scenario.name}`];
  if (p.target) args.push(`--target ${displayPath(p.target, process.cwd())}`);
  if (p.entry.command !== undefined) args.push(`--command ${shellQuote(p.entry.command)}`);
  if (p.entry.sessions) args.push(`--sessions ${p.entry.sessions}`);
  if (p.entry.seed !== undefined) args.push(`--seed ${p.entry.seed}`);
  for (const [name, value] of Object.entries(p.entry.params ?? {})) args.push(`--param ${shellQuote(`${name}=${String(value)}`)}`);
  const line = args.join(' ');
  // The command runs where the config file is: say so when that is not here.
  return p.commandCwd && path.resolve(p.commandCwd) !== process.cwd()
    ? `(cd ${shellQuote(displayPath(p.commandCwd, process.cwd()))} && ${line})`
    : line;
}

/** One shell word: as is when it is plain, else in single quotes. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What every entry of one gate run reads or adds to. */
interface GateContext {
  o: GateOptions;
  log: (line: string) => void;
  baseline: ReturnType<typeof readBaseline>;
  machine: ReturnType<typeof machineFacts>;
  /** Figures to write to the baseline, by key. */
  recorded: Record<string, BaselineFigure>;
  total: number;
}

export async function runGate(entries: PreparedEntry[], o: GateOptions): Promise<GateReport> {
  const started = Date.now();
  fs.mkdirSync(path.join(o.dir, GATE_FILES.runs), { recursive: true });
  const ctx: GateContext = {
    o,
    log: o.log ?? (() => undefined),
    baseline: readBaseline(o.baselineFile),
    machine: machineFacts(),
    recorded: {},
    total: entries.length,
  };
  const results: EntryResult[] = [];
  let interrupted: GateReport['interrupted'];

  for (const [i, p] of entries.entries()) {
    const stopped = interruptOf(o.signal);
    if (stopped) {
      interrupted = { signal: stopped.signal, notRun: entries.slice(i).map((e) => e.id) };
      break;
    }
    results.push(await runEntry(ctx, i, p));
  }

  // An entry whose runs all ended before the signal came is whole; the one in flight says interrupted.
  const signalled = interruptOf(o.signal);
  if (signalled && !interrupted) interrupted = { signal: signalled.signal, notRun: [] };
  const baselineUpdated = interrupted ? [] : Object.keys(ctx.recorded);
  if (o.updateBaseline && baselineUpdated.length > 0) updateBaseline(o.baselineFile, ctx.recorded);
  const { exitCode, headline } = gateOutcome(results, interrupted);
  const report: GateReport = {
    schemaVersion: GATE_SCHEMA_VERSION,
    kind: 'churnlab-gate',
    createdAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    command: o.commandLine,
    ...(o.configFile ? { config: displayPath(o.configFile) } : {}),
    ...(o.only?.length ? { only: o.only } : {}),
    passed: exitCode === 0,
    exitCode,
    headline,
    entries: results,
    machine: ctx.machine,
    ...(o.updateBaseline ? { baselineUpdated } : {}),
    ...(interrupted ? { interrupted } : {}),
  };
  writeGate(o.dir, report);
  return report;
}

/** Runs one entry as many times as its speed budgets need, then judges its runs and speed figures. */
async function runEntry(ctx: GateContext, i: number, p: PreparedEntry): Promise<EntryResult> {
  const { o, log } = ctx;
  const speedBudgets = p.budgets.filter((b): b is SpeedBudget => b.kind === 'speed');
  const runs = speedBudgets.length > 0 && o.runsOverride ? o.runsOverride : p.runs;
  const command = reproduce(p);
  const gateRuns: GateRun[] = [];
  for (let r = 0; r < runs && !(r > 0 && o.signal?.aborted); r += 1) {
    log(`gate: [${i + 1}/${ctx.total}] ${p.id}: ${p.name}${runs > 1 ? ` run ${r + 1}/${runs}` : ''}`);
    const result = await runEntryOnce(o, p, command);
    const run = gateRun(result, o.dir, p, command);
    gateRuns.push(run);
    const figures = Object.entries(run.speed).map(([f, v]) => `${v.toFixed(1)} ${figureUnitText(f as SpeedFigure, result.report.unit)}`);
    log(
      `gate:   ${run.verdict} (exit ${run.exitCode}) in ${(run.durationMs / 1000).toFixed(1)} s${figures.length ? `, ${figures.join(', ')}` : ''}`,
    );
  }
  const unit = p.unit;
  const speed: SpeedResult[] = speedBudgets.map((b) => judgeSpeed(ctx, p, b, gateRuns));
  const verdicts = p.entry.verdicts ?? 'gate';
  const outcome = entryOutcome(gateRuns, speed, verdicts);
  const notes: string[] = [];
  if (verdicts === 'report-only')
    notes.push("The scenario's own verdicts are shown, not judged (verdicts: 'report-only'): its budgets and speed figures decide.");
  if (o.updateBaseline && speedBudgets.length > 0 && !speed.every((s) => s.status === 'recorded'))
    notes.push('Not recorded as the baseline: a run had no speed figure (it errored).');
  log(`gate:   ${p.id}: ${outcome.status} (exit ${outcome.exitCode})`);
  return {
    id: p.id,
    kind: p.kind,
    scenario: p.name,
    summary: p.summary,
    target:
      p.kind === 'scenario' && p.entry.command !== undefined
        ? `command: ${p.entry.command}`
        : p.target
          ? displayPath(p.target)
          : p.defaultTarget,
    unit,
    ...(p.kind === 'scenario' && p.entry.sessions ? { sessions: p.entry.sessions } : {}),
    verdicts,
    ...outcome,
    runs: gateRuns,
    speed,
    notes,
  };
}

/** One run of an entry: a load run or a scenario run, written under the gate's runs folder. */
function runEntryOnce(o: GateOptions, p: PreparedEntry, command: string) {
  const common = {
    target: p.target,
    seed: p.entry.seed,
    outRoot: path.join(o.dir, GATE_FILES.runs),
    commandLine: command,
    ...(o.launch ? { launch: o.launch } : {}),
    signal: o.signal,
  };
  return p.kind === 'load'
    ? runLoad({
        ...common,
        profile: p.entry.profile,
        maxRequests: p.entry.maxRequests,
        durationMs: p.entry.durationS === undefined ? undefined : p.entry.durationS * 1000,
        connections: p.entry.connections,
        ...(p.entry.samples !== undefined ? { samples: p.entry.samples } : {}),
        ...(p.entry.serviceOptions ? { serviceOptions: p.entry.serviceOptions } : {}),
        // The run's own error verdict holds the entry's error budget (errorRate(0) unless declared).
        maxUnexpectedErrorRate: loadErrorShare(p.budgets),
      })
    : runScenario(p.scenario, {
        ...common,
        sessions: p.entry.sessions,
        ...(p.entry.command !== undefined ? { command: p.entry.command, commandCwd: p.commandCwd } : {}),
        ...(p.entry.params ? { params: p.entry.params } : {}),
      });
}

/** A speed budget against the baseline, or its figures recorded as the new baseline. */
function judgeSpeed(ctx: GateContext, p: PreparedEntry, b: SpeedBudget, gateRuns: GateRun[]): SpeedResult {
  const { o, machine, recorded } = ctx;
  const key = baselineKey(p.id, b.figure);
  const values = gateRuns.flatMap((r) => (r.speed[b.figure] !== undefined ? [r.speed[b.figure]!] : []));
  const unitText = figureUnitText(b.figure, p.unit);
  if (o.updateBaseline && values.length === gateRuns.length && values.length > 0) {
    recorded[key] = {
      unitText,
      direction: speedDirection(b.figure),
      runs: values,
      recordedAt: new Date().toISOString(),
      machine: { cpuModel: machine.cpuModel, cpus: machine.cpus, node: machine.node, platform: machine.platform },
      command: o.commandLine,
    };
    return {
      key,
      figure: b.figure,
      unitText,
      direction: speedDirection(b.figure),
      onRegression: b.onRegression ?? 'warn',
      status: 'recorded',
      fails: false,
      current: values,
      line: `${b.figure}: ${values.length} runs recorded as the baseline`,
      reasons: [`Written to the baseline as ${key}.`],
    } satisfies SpeedResult;
  }
  return checkSpeed(b, key, unitText, values, ctx.baseline.figures[key], recorded[key]?.machine ?? machine);
}

/** gate.json, summary.md and index.html into `dir` (also what a merge writes). */
export function writeGate(dir: string, report: GateReport): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, GATE_FILES.gate), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, GATE_FILES.summary), renderGateSummaryMd(report));
  fs.writeFileSync(path.join(dir, GATE_FILES.html), renderGateHtml(report));
}
