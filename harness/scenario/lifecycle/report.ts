// Step 7, report: report.json, summary.md and report.html in the run folder, from what the run
// got to (its verdict, or its failure, or how far it got before a signal) and the kind's sections.
import type { Sample } from '../../core/types.ts';
import { formatRate } from '../../core/units.ts';
import type { RunReport } from '../../report/model.ts';
import { machineFacts } from '../../report/machine.ts';
import { RUN_FILES, writeReport } from '../../report/write.ts';
import { rankGrowers } from '../../verdict/index.ts';
import { DIAGNOSIS_SNAPSHOT } from './diagnose.ts';
import { nodeTarget } from './launch.ts';
import type { KindReport, RunKind, RunResult, RunState } from './kind.ts';

/** How the run ended, as the report states it. */
export type RunEnd = Pick<RunReport, 'verdict' | 'exitCode' | 'expectations' | 'diagnosis' | 'interrupted' | 'error'>;

export function phasesOf(samples: Sample[]): RunReport['phases'] {
  const phases: RunReport['phases'] = [];
  for (const s of samples) {
    const last = phases[phases.length - 1];
    if (last && last.name === s.phase) last.toSeq = s.seq;
    else phases.push({ name: s.phase, fromSeq: s.seq, toSeq: s.seq });
  }
  return phases;
}

/**
 * Collections that changed, or that the census could name; static unnamed Maps of Node's own
 * (module caches and the like) would only crowd the table.
 */
function topCollections(samples: Sample[], unit: RunKind['unit']): RunReport['topCollections'] {
  return rankGrowers(samples, unit, 30)
    .filter((g) => g.lastSize !== g.firstSize || g.name !== undefined)
    .slice(0, 8)
    .map((g) => ({ ...g, entriesPerUnitText: formatRate(g.slopePerUnit, 'entries', unit) }));
}

function timingOf(run: RunState): RunReport['timing'] {
  const { samples, startedAt } = run;
  return {
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    samples: samples.length,
    meanSampleCostMs: samples.length ? samples.reduce((a, s) => a + (s.costMs ?? 0), 0) / samples.length : 0,
  };
}

function filesOf(end: RunEnd, parts: KindReport): RunReport['files'] {
  return {
    ...RUN_FILES,
    ...(end.diagnosis?.snapshots.length ? { diagnosis: [DIAGNOSIS_SNAPSHOT] } : {}),
    ...(parts.files?.length ? { local: parts.files } : {}),
  };
}

export async function writeRunReport(kind: RunKind, run: RunState, end: RunEnd): Promise<RunResult> {
  const parts = kind.report(run);
  const report: RunReport = {
    schemaVersion: 1,
    runId: run.runId,
    createdAt: new Date().toISOString(),
    scenario: parts.scenario,
    target: parts.target,
    unit: kind.unit,
    workDone: run.driver?.work() ?? {},
    verdict: end.verdict,
    exitCode: end.exitCode,
    expectations: end.expectations,
    phases: phasesOf(run.samples),
    topCollections: topCollections(parts.growersFrom, kind.unit),
    caps: parts.caps,
    diagnosis: end.diagnosis,
    ...parts.sections,
    ...(end.interrupted ? { interrupted: end.interrupted } : {}),
    error: end.error,
    targetErrors: nodeTarget(run)?.targetErrors(),
    machine: machineFacts(),
    timing: timingOf(run),
    files: filesOf(end, parts),
  };
  report.files = await writeReport(run.dir, report, run.samples);
  return { report, dir: run.dir, exitCode: end.exitCode };
}
