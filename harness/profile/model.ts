// What --profile, --snapshot-at and --hold add to a run, in our own typed shapes (report.json
// carries them; the renderers in harness/report/profile-sections.ts print them).
import type { WorkUnit } from '../core/types.ts';
import type { PhaseDiff } from '../diagnose/phase-diff.ts';

export type { PhaseDiff } from '../diagnose/phase-diff.ts';

/** Who a frame belongs to, so the user's code stands out from ours, Node's and libraries'. */
export type FrameOrigin = 'user' | 'harness' | 'node' | 'dependency';

/**
 * retained: only allocations still alive when sampling stopped (after a full GC): who allocates
 * what stays. all: every sampled allocation, collected or not: who allocates, full stop.
 */
export type ProfileMode = 'retained' | 'all';

export interface AllocationSite {
  functionName: string;
  /** Relative to the target's repository (or its directory) when inside it; else as V8 saw it. */
  file: string;
  /** 1-based line of the function's start, mapped through the source map when there is one. */
  line: number;
  origin: FrameOrigin;
  /** Bytes allocated by this function itself (V8's estimate from the samples). */
  selfBytes: number;
  bytesPerUnit: number;
  /** "+1.2 KB per session". */
  perUnitText: string;
  /** Samples behind the figure: below ~10, treat it as rough. */
  samples: number;
  /** Builtins the function allocated through (new Set, Map.prototype.set ...), counted here. */
  via?: string[];
}

export type ProfileSummary =
  | {
      status: 'profiled';
      mode: ProfileMode;
      samplingIntervalBytes: number;
      /** Phases the profile covered (the ones after 'warmup'). */
      phases: string[];
      unit: WorkUnit;
      /** Work done while sampling ran, in the scenario's unit. */
      unitsProfiled: number;
      totalBytes: number;
      /** Bytes of sites outside the harness (user, Node, dependencies), per unit. */
      bytesPerUnit: number;
      /** Top sites, the harness's own frames excluded (they are counted in harnessBytes). */
      topSites: AllocationSite[];
      /** Top sites in the user's own code only (origin 'user'). */
      topUserSites: AllocationSite[];
      harnessBytes: number;
      /** File name of the .heapprofile in the run dir (Chrome DevTools, speedscope). */
      file: string;
      notes: string[];
    }
  | { status: 'not-profiled'; reason: string };

export interface HoldInfo {
  at: string;
  devtoolsUrl: string;
  inspectorUrl: string;
  /** What ended the hold: Enter, SIGUSR2, the file, or the time limit. */
  resumedBy: 'enter' | 'signal' | 'file' | 'time-limit';
  heldMs: number;
}
