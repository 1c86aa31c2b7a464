// The command-line flags of local profiling, shared by `npm run scenario`: their parseArgs spec,
// and their translation into run options (with errors that say what was expected).
import type { ProfileMode } from './model.ts';
import { holdProblem } from './hold.ts';
import { END_PHASE } from './phases.ts';
import type { LocalProfilingOptions } from './watch.ts';

export const LOCAL_FLAGS = {
  profile: { type: 'boolean' },
  'profile-mode': { type: 'string' },
  'profile-interval': { type: 'string' },
  'snapshot-at': { type: 'string' },
  hold: { type: 'string' },
  'hold-file': { type: 'string' },
} as const;

export const LOCAL_USAGE = `  [--profile [--profile-mode retained|all] [--profile-interval BYTES]] [--snapshot-at <phase>[,<phase>...]]
  [--hold | --hold=<phase>] [--hold-file <path>]`;

/** `--hold` alone means "at the end"; parseArgs needs a value, so give it one. */
export function normaliseHoldFlag(argv: string[]): string[] {
  return argv.map((a) => (a === '--hold' ? `--hold=${END_PHASE}` : a));
}

export interface LocalFlagValues {
  profile?: boolean;
  'profile-mode'?: string;
  'profile-interval'?: string;
  'snapshot-at'?: string;
  hold?: string;
  'hold-file'?: string;
}

/** Run options from the flags, or a message saying what is wrong. */
export function localOptionsFromFlags(v: LocalFlagValues, stdinIsTTY: boolean): { options?: LocalProfilingOptions; problem?: string } {
  const options: LocalProfilingOptions = {};
  const mode = v['profile-mode'] ?? 'retained';
  if (mode !== 'retained' && mode !== 'all')
    return { problem: `--profile-mode ${mode}: expected retained (what stays) or all (every allocation)` };
  if ((v['profile-mode'] || v['profile-interval']) && !v.profile)
    return { problem: '--profile-mode and --profile-interval need --profile' };
  if (v.profile) {
    const interval = v['profile-interval'] === undefined ? undefined : Number(v['profile-interval']);
    if (interval !== undefined && !(Number.isInteger(interval) && interval >= 64))
      return { problem: `--profile-interval ${v['profile-interval']}: expected a whole number of bytes >= 64` };
    options.profile = { mode: mode as ProfileMode, ...(interval !== undefined ? { samplingIntervalBytes: interval } : {}) };
  }
  if (v['snapshot-at'] !== undefined) {
    const names = v['snapshot-at']
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.length === 0) return { problem: '--snapshot-at: expected one or more phase names, comma-separated' };
    options.snapshotAt = names;
  }
  if (v['hold-file'] && v.hold === undefined) return { problem: '--hold-file needs --hold' };
  if (v.hold !== undefined) {
    const problem = holdProblem({ file: v['hold-file'], stdinIsTTY });
    if (problem) return { problem };
    options.hold = {
      ...(v.hold && v.hold !== END_PHASE ? { phase: v.hold } : {}),
      ...(v['hold-file'] ? { file: v['hold-file'] } : {}),
      stdin: process.stdin,
    };
  }
  return Object.keys(options).length > 0 ? { options } : {};
}
