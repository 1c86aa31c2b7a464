// The glue between the runner and local profiling: input checks before a run starts, and the
// report fields after it. Kept here so harness/scenario/run.ts only calls two functions.
import { PROFILE_DEFAULTS } from '../core/defaults.ts';
import { BUILT_IN_PHASES, declaredPhases, END_PHASE, unknownPhases } from './phases.ts';
import type { LocalProfilingOptions, LocalResults } from './watch.ts';

/** A problem with the phase names given, or undefined. */
export function localOptionsProblem(
  options: LocalProfilingOptions,
  scenario: { name: string; workload?: (...args: never[]) => unknown; mainPhase?: string },
): string | undefined {
  // A step scenario's phases are the runner's: the built-in ones and its main phase.
  const known = scenario.workload
    ? declaredPhases(scenario.workload)
    : [...BUILT_IN_PHASES, ...(scenario.mainPhase ? [scenario.mainPhase] : [])];
  const list = `phases of ${scenario.name}: ${[...known, END_PHASE].join(', ')}`;
  const badSnap = unknownPhases(options.snapshotAt ?? [], known);
  if (badSnap.length > 0)
    return `--snapshot-at ${badSnap.join(',')}: not a phase of this scenario (${list}). A snapshot is taken at the START of each named phase; '${END_PHASE}' means after the workload.`;
  const holdPhase = options.hold?.phase;
  if (holdPhase !== undefined && unknownPhases([holdPhase], known).length > 0)
    return `--hold ${holdPhase}: not a phase of this scenario (${list}).`;
  return undefined;
}

/** Extra time a held target may live before the run's hard limit kills it. */
export function holdAllowanceMs(options: LocalProfilingOptions | undefined): number {
  return options?.hold ? (options.hold.maxMs ?? PROFILE_DEFAULTS.holdMaxMs) : 0;
}

/** Fields of report.json; absent when the run used no local profiling. */
export function localReportFields(r: LocalResults | undefined): {
  profile?: LocalResults['profile'];
  snapshots?: LocalResults['snapshots'];
  phaseDiff?: LocalResults['phaseDiff'];
  holds?: LocalResults['holds'];
  localTiming?: LocalResults['timing'];
} {
  if (!r) return {};
  return {
    ...(r.profile ? { profile: r.profile } : {}),
    ...(r.snapshots?.length ? { snapshots: r.snapshots } : {}),
    ...(r.phaseDiff ? { phaseDiff: r.phaseDiff } : {}),
    ...(r.holds?.length ? { holds: r.holds } : {}),
    ...(r.files.length ? { localTiming: r.timing } : {}),
  };
}
