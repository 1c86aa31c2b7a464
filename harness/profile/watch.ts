// Local profiling of one run, driven by phase boundaries: the sampling heap profiler over the
// phases after 'warmup', heap snapshots at the start of chosen phases and their diff, and holds
// for a person with DevTools. The runner calls onPhase() at each phase start and finish() after
// the workload; everything here talks to the target over its inspector only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE_DEFAULTS } from '../core/defaults.ts';
import type { WorkUnit } from '../core/types.ts';
import type { CdpSession } from '../wire/cdp.ts';
import { takeHeapSnapshot } from '../diagnose/snapshot.ts';
import { diffSnapshots, type PhaseDiff, type SnapshotAt } from '../diagnose/phase-diff.ts';
import type { HoldInfo, ProfileMode, ProfileSummary } from './model.ts';
import { parsedScripts, startSampling, type RunningProfile } from './sampling.ts';
import { summarizeProfile } from './summary.ts';
import { holdTarget, type HoldOptions } from './hold.ts';
import { BUILT_IN_PHASES, END_PHASE } from './phases.ts';

export const PROFILE_FILE = 'churn.heapprofile';

export interface LocalProfilingOptions {
  profile?: { mode: ProfileMode; samplingIntervalBytes?: number };
  /** Phases at whose start a heap snapshot is taken; 'end' = after the workload. */
  snapshotAt?: string[];
  /** Hold at the start of `phase`, or at the end of the run when absent. */
  hold?: Omit<HoldOptions, 'write'> & { phase?: string; write?(text: string): void };
}

export interface WatchTarget {
  readonly cdp: CdpSession;
  readonly inspectorUrl: string;
}

export interface WatchContext {
  dir: string;
  unit: WorkUnit;
  /** churnlab's harness/ directory (its frames are labelled as the harness's). */
  harnessDir: string;
  /** The user's repository or target directory, for relative file names. */
  userRoot: string;
}

export interface LocalResults {
  profile?: ProfileSummary;
  snapshots?: SnapshotAt[];
  phaseDiff?: PhaseDiff;
  holds?: HoldInfo[];
  /** Files written into the run dir (relative names). */
  files: string[];
  timing: { snapshotMs: number[]; diffMs?: number };
}

const NOT_PROFILED = new Set<string>(BUILT_IN_PHASES);

export class PhaseWatch {
  private running: RunningProfile | undefined;
  /** The process the profile runs in; a restarted target (run.restartTarget) is another one. */
  private profiledTarget: WatchTarget | undefined;
  private readonly current: () => WatchTarget;
  private profileStartUnits = 0;
  private readonly profiledPhases: string[] = [];
  private readonly seenPhases = new Set<string>();
  private readonly results: LocalResults = { files: [], timing: { snapshotMs: [] } };

  constructor(
    /** The target, or a getter when the run may relaunch it. */
    target: WatchTarget | (() => WatchTarget),
    private readonly ctx: WatchContext,
    private readonly options: LocalProfilingOptions,
  ) {
    this.current = typeof target === 'function' ? target : () => target;
  }

  private get target(): WatchTarget {
    return this.current();
  }

  private units(work: Partial<Record<WorkUnit, number>>): number {
    return work[this.ctx.unit] ?? 0;
  }

  /** At the start of a phase, before any of its work. */
  async onPhase(name: string, work: Partial<Record<WorkUnit, number>>): Promise<void> {
    const first = !this.seenPhases.has(name);
    this.seenPhases.add(name);
    if (this.options.profile && !NOT_PROFILED.has(name)) {
      if (!this.running) {
        this.profiledTarget = this.target;
        this.running = await startSampling(this.target.cdp, {
          mode: this.options.profile.mode,
          samplingIntervalBytes: this.options.profile.samplingIntervalBytes ?? PROFILE_DEFAULTS.samplingIntervalBytes,
        });
        this.profileStartUnits = this.units(work);
      }
      if (!this.profiledPhases.includes(name)) this.profiledPhases.push(name);
    }
    if (first && this.options.snapshotAt?.includes(name)) await this.snapshot(name, work);
    if (first && this.options.hold?.phase === name) await this.hold(`at the start of phase "${name}"`);
  }

  /** After the workload: stop the profiler, the 'end' snapshot, the diff. */
  async finish(work: Partial<Record<WorkUnit, number>>): Promise<void> {
    if (this.options.profile) await this.stopProfile(work);
    const wanted = this.options.snapshotAt ?? [];
    const notes: string[] = [];
    for (const name of wanted)
      if (name !== END_PHASE && !this.seenPhases.has(name))
        notes.push(`phase "${name}" never started; seen: ${[...this.seenPhases].join(', ')}`);
    if (wanted.length > 0 && (wanted.includes(END_PHASE) || this.snapshots().length === 1)) await this.snapshot(END_PHASE, work);
    const snaps = this.snapshots();
    if (snaps.length >= 2) {
      const t = performance.now();
      this.results.phaseDiff = await diffSnapshots(this.ctx.dir, snaps[0]!, snaps[snaps.length - 1]!);
      this.results.timing.diffMs = Math.round(performance.now() - t);
    } else if (wanted.length > 0) {
      this.results.phaseDiff = {
        status: 'failed',
        reason: `fewer than two snapshots were taken (${notes.join('; ') || 'nothing to compare'})`,
      };
    }
    if (this.results.phaseDiff?.status === 'diffed') this.results.phaseDiff.notes.push(...notes);
  }

  /** At the very end (after verdicts and any diagnosis), when --hold named no phase. */
  async holdAtEnd(): Promise<void> {
    if (this.options.hold && (this.options.hold.phase === undefined || this.options.hold.phase === END_PHASE))
      await this.hold('at the end of the run');
  }

  result(): LocalResults {
    return this.results;
  }

  private snapshots(): SnapshotAt[] {
    return (this.results.snapshots ??= []);
  }

  private async snapshot(phase: string, work: Partial<Record<WorkUnit, number>>): Promise<void> {
    const file = `at-${phase.replace(/[^A-Za-z0-9._-]+/g, '-')}.heapsnapshot`;
    const t = performance.now();
    await takeHeapSnapshot(this.target.cdp, join(this.ctx.dir, file));
    this.results.timing.snapshotMs.push(Math.round(performance.now() - t));
    this.snapshots().push({ phase, file, units: this.units(work) });
    this.results.files.push(file);
  }

  private async stopProfile(work: Partial<Record<WorkUnit, number>>): Promise<void> {
    if (!this.running) {
      this.results.profile = {
        status: 'not-profiled',
        reason: `the workload started no phase after ${BUILT_IN_PHASES.join('/')} (phases seen: ${[...this.seenPhases].join(', ')})`,
      };
      return;
    }
    if (this.profiledTarget !== this.target) {
      this.running = undefined;
      this.results.profile = {
        status: 'not-profiled',
        reason: 'the target process was restarted during the profiled phases; its profile went with it',
      };
      return;
    }
    const profile = await this.running.stop();
    this.running = undefined;
    writeFileSync(join(this.ctx.dir, PROFILE_FILE), JSON.stringify(profile));
    this.results.files.push(PROFILE_FILE);
    const ids = new Set<string>();
    const walk = [profile.head];
    while (walk.length > 0) {
      const n = walk.pop()!;
      ids.add(n.callFrame.scriptId);
      walk.push(...n.children);
    }
    const scripts = await parsedScripts(this.target.cdp, ids);
    this.results.profile = summarizeProfile({
      profile,
      scripts,
      mode: this.options.profile!.mode,
      samplingIntervalBytes: this.options.profile!.samplingIntervalBytes ?? PROFILE_DEFAULTS.samplingIntervalBytes,
      unit: this.ctx.unit,
      unitsProfiled: this.units(work) - this.profileStartUnits,
      phases: this.profiledPhases,
      harnessDir: this.ctx.harnessDir,
      userRoot: this.ctx.userRoot,
      file: PROFILE_FILE,
      topN: PROFILE_DEFAULTS.topSites,
    });
  }

  private async hold(at: string): Promise<void> {
    const { phase: _phase, write, ...rest } = this.options.hold!;
    const info = await holdTarget(this.target.inspectorUrl, at, { ...rest, write: write ?? ((t) => process.stderr.write(t)) });
    (this.results.holds ??= []).push(info);
  }
}
