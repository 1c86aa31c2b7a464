// Merging the gate directories of a CI matrix (one entry per job, each uploaded as an artifact)
// and plain run directories into one gate directory: one gate.json, one summary.md, one
// index.html. Each run's report.html, report.json and summary.md are copied in, so the merged
// directory is whole on its own and its links work once uploaded.
// (Lives with the gate rather than in harness/report/: it reads and writes gate.json.)
import fs from 'node:fs';
import path from 'node:path';
import { machineFacts } from '../report/machine.ts';
import type { RunReport } from '../report/model.ts';
import { readReport, RUN_FILES } from '../report/write.ts';
import { EXIT } from '../core/exit.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { GATE_SCHEMA_VERSION, type EntryResult, type GateReport } from './model.ts';
import { gateOutcome, interruptedHeadline } from './outcome.ts';
import { GATE_FILES, writeGate } from './run.ts';

/** Artifacts nest a few levels (download dir / artifact name / gate dir); deeper is not searched. */
const MAX_DEPTH = 5;

interface Found {
  gates: string[];
  runs: string[];
}

function find(dir: string, depth: number, found: Found): void {
  if (fs.existsSync(path.join(dir, GATE_FILES.gate))) {
    found.gates.push(dir);
    return; // its runs/ belong to it
  }
  if (fs.existsSync(path.join(dir, RUN_FILES.report))) {
    found.runs.push(dir);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (d.isDirectory()) find(path.join(dir, d.name), depth + 1, found);
  }
}

export function readGate(dir: string): GateReport {
  const file = path.join(dir, GATE_FILES.gate);
  const g = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<GateReport>;
  if (g.kind !== 'churnlab-gate' || g.schemaVersion !== GATE_SCHEMA_VERSION || !Array.isArray(g.entries)) {
    throw new BadInputError(`${file}: not a churnlab gate.json of schemaVersion ${GATE_SCHEMA_VERSION}.`);
  }
  return g as GateReport;
}

/** Copy the readable files of one run into the merged directory; returns the new relative dir. */
function copyRun(fromDir: string, outDir: string, entryId: string, runId: string): string {
  const rel = path.join(GATE_FILES.runs, entryId, runId);
  const to = path.join(outDir, rel);
  fs.mkdirSync(to, { recursive: true });
  for (const f of [RUN_FILES.html, RUN_FILES.report, RUN_FILES.summary]) {
    const src = path.join(fromDir, f);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(to, f));
  }
  return rel;
}

const STATUS_OF: Record<RunReport['verdict'], EntryResult['status']> = {
  pass: 'pass',
  leak: 'fail',
  inconclusive: 'inconclusive',
  error: 'error',
  interrupted: 'interrupted',
};

/** A plain run directory as an entry of its own: its verdict decides, no budgets. */
function entryFromRun(report: RunReport, dir: string): EntryResult {
  const failed = report.expectations.filter((e) => !e.passed);
  const first = failed[0];
  return {
    id: report.scenario.name,
    kind: report.load ? 'load' : 'scenario',
    scenario: report.scenario.name,
    summary: report.scenario.summary,
    target: report.target.label,
    unit: report.unit,
    verdicts: 'gate',
    status: STATUS_OF[report.verdict],
    exitCode: report.exitCode,
    headline: report.interrupted
      ? interruptedHeadline({ runId: report.runId, exitCode: report.exitCode, interrupted: report.interrupted })
      : report.error
        ? `${report.error.kind}: ${report.error.message.split('\n')[0]}`
        : first
          ? `${first.verdict}: ${first.description}${first.estimate ? ` (${first.estimate})` : ''}`
          : report.verdict,
    runs: [
      {
        runId: report.runId,
        dir,
        verdict: report.verdict,
        exitCode: report.exitCode,
        durationMs: report.timing.durationMs,
        failed: failed.map((e) => ({
          id: e.id,
          description: e.description,
          verdict: e.verdict,
          estimate: e.estimate,
          reason: e.reasons[0] ?? '',
        })),
        ...(report.error ? { error: { kind: report.error.kind, message: report.error.message } } : {}),
        ...(report.interrupted ? { interrupted: report.interrupted } : {}),
        budgets: [],
        speed: {},
        workDone: report.workDone,
        command:
          typeof report.scenario.params.command === 'string' ? report.scenario.params.command : `npm run scenario ${report.scenario.name}`,
      },
    ],
    speed: [],
    notes: ['A run directory, not a gate result: its own verdict decides; no budgets were checked.'],
  };
}

export interface MergeOptions {
  outDir: string;
  commandLine: string;
  /** Entry ids that must be present (the matrix): a missing one is an error, never a pass. */
  expect?: string[];
}

export function mergeGates(inputs: string[], o: MergeOptions): GateReport {
  if (inputs.length === 0)
    throw new BadInputError(
      'merge: no directories given; expected gate directories (with gate.json) or run directories (with report.json).',
    );
  const merging: Merging = { entries: [], used: new Set(), durationMs: 0, machine: undefined, interrupted: undefined };
  for (const input of inputs) {
    const found = foundUnder(input);
    for (const gateDir of found.gates) mergeGateDir(merging, gateDir, o.outDir);
    for (const runDir of found.runs) mergeRunDir(merging, runDir, o.outDir);
  }
  const { entries, durationMs, machine, interrupted } = merging;
  for (const id of o.expect ?? []) {
    if (!entries.some((e) => e.id === id)) entries.push(missingEntry(id));
  }
  const { exitCode, headline } = gateOutcome(entries, interrupted);
  const merged: GateReport = {
    schemaVersion: GATE_SCHEMA_VERSION,
    kind: 'churnlab-gate',
    createdAt: new Date().toISOString(),
    durationMs,
    command: o.commandLine,
    passed: exitCode === 0,
    exitCode,
    headline,
    entries,
    machine: machine ?? machineFacts(),
    mergedFrom: inputs,
    ...(interrupted ? { interrupted } : {}),
  };
  writeGate(o.outDir, merged);
  return merged;
}

/** What the merge has gathered so far, from the inputs read up to now. */
interface Merging {
  entries: EntryResult[];
  /** Entry ids taken: a second entry of the same id gets `<id>-2`, and so on. */
  used: Set<string>;
  durationMs: number;
  machine: GateReport['machine'] | undefined;
  interrupted: GateReport['interrupted'];
}

function uniqueId(used: Set<string>, id: string): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}

/** The gate and run directories under one input, which must be a directory holding at least one. */
function foundUnder(input: string): Found {
  const abs = path.resolve(input);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory())
    throw new BadInputError(`merge: ${input} is not a directory (looked for ${abs}).`);
  const found: Found = { gates: [], runs: [] };
  find(abs, 0, found);
  if (found.gates.length === 0 && found.runs.length === 0) {
    throw new BadInputError(
      `merge: nothing to merge under ${input}: expected gate.json (a gate directory) or report.json (a run directory) within ${MAX_DEPTH} levels.`,
    );
  }
  return found;
}

function mergeGateDir(merging: Merging, gateDir: string, outDir: string): void {
  const g = readGate(gateDir);
  merging.durationMs += g.durationMs;
  merging.machine ??= g.machine;
  // A matrix job that was interrupted: the merged gate says so, with the entries it never ran.
  if (g.interrupted)
    merging.interrupted = {
      signal: merging.interrupted?.signal ?? g.interrupted.signal,
      notRun: [...(merging.interrupted?.notRun ?? []), ...g.interrupted.notRun],
    };
  for (const e of g.entries) {
    const id = uniqueId(merging.used, e.id);
    merging.entries.push({ ...e, id, runs: e.runs.map((r) => ({ ...r, dir: copyRun(path.join(gateDir, r.dir), outDir, id, r.runId) })) });
  }
}

function mergeRunDir(merging: Merging, runDir: string, outDir: string): void {
  const report = readReport(path.join(runDir, RUN_FILES.report));
  merging.durationMs += report.timing.durationMs;
  merging.machine ??= report.machine;
  const id = uniqueId(merging.used, report.scenario.name);
  const entry = entryFromRun(report, copyRun(runDir, outDir, id, report.runId));
  merging.entries.push({ ...entry, id });
}

/** An expected entry no input had: an error, never a pass. */
function missingEntry(id: string): EntryResult {
  return {
    id,
    kind: 'scenario',
    scenario: '?',
    summary: '',
    target: '?',
    unit: 'unit',
    verdicts: 'gate',
    status: 'error',
    exitCode: EXIT.harnessError,
    headline: 'no result: no gate directory of this entry was found (did its CI job fail before writing gate.json?)',
    runs: [],
    speed: [],
    notes: [],
  };
}
