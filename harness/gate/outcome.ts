// From runs, budgets and speed comparisons to an entry's status and the gate's exit code. An
// error is never a pass: it is a failure with its own exit code (3 bad input, 4 target error,
// 5 harness error), and it outranks a leak, which outranks an inconclusive verdict.
import { interruptExitCode, isInterruptExitCode } from '../core/interrupt.ts';
import { formatDuration } from '../report/format.ts';
import { workText } from '../report/interrupted.ts';
import { EXIT } from '../core/exit.ts';
import type { EntryResult, EntryStatus, GateReport, GateRun } from './model.ts';
import type { SpeedResult } from './speed.ts';

export interface EntryOutcome {
  status: EntryStatus;
  exitCode: number;
  headline: string;
}

const isError = (code: number) => code >= EXIT.badInput;

/** "Set bypassed: leak. Growth ..." -> "Set bypassed: leak" (a collection's reason starts with its name). */
function firstSentence(text: string): string {
  const end = text.search(/\.\s/);
  return (end > 0 ? text.slice(0, end) : text).replace(/\.$/, '');
}

/** "interrupted by SIGTERM after 12 s in churn (1 200 sessions), verdict so far: leak". */
export function interruptedHeadline(run: Pick<GateRun, 'runId' | 'exitCode' | 'interrupted'>): string {
  const i = run.interrupted;
  if (!i) return `interrupted in run ${run.runId} (exit ${run.exitCode})`;
  return `interrupted by ${i.signal} after ${formatDuration(i.afterMs)} in ${i.phase} (${workText(i.workDone)}), verdict so far: ${i.verdictSoFar}`;
}

/** The gate's outcome in one word: passed, inconclusive, interrupted or failed. */
export function gateWord(exitCode: number): 'passed' | 'inconclusive' | 'interrupted' | 'failed' {
  if (exitCode === EXIT.pass) return 'passed';
  if (exitCode === EXIT.inconclusive) return 'inconclusive';
  return isInterruptExitCode(exitCode) ? 'interrupted' : 'failed';
}

export function entryOutcome(runs: GateRun[], speed: SpeedResult[], verdicts: 'gate' | 'report-only'): EntryOutcome {
  if (runs.length === 0) return { status: 'error', exitCode: EXIT.harnessError, headline: 'no run was made' };
  const cut = runs.find((r) => isInterruptExitCode(r.exitCode));
  if (cut) return { status: 'interrupted', exitCode: cut.exitCode, headline: interruptedHeadline(cut) };
  const errored = runs.filter((r) => isError(r.exitCode));
  if (errored.length > 0) {
    const worst = errored.reduce((a, r) => (r.exitCode > a.exitCode ? r : a));
    const what = worst.error ? `${worst.error.kind}: ${worst.error.message.split('\n')[0]}` : `exit ${worst.exitCode}`;
    return { status: 'error', exitCode: worst.exitCode, headline: `error in run ${worst.runId}: ${what}` };
  }
  const unavailable = runs.flatMap((r) => r.budgets).find((b) => b.status === 'unavailable');
  if (unavailable)
    return { status: 'error', exitCode: EXIT.badInput, headline: `budget ${unavailable.label} cannot be checked: ${unavailable.reason}` };

  const failures: string[] = [];
  if (verdicts === 'gate') {
    for (const r of runs.filter((x) => x.verdict === 'leak')) {
      for (const f of r.failed.filter((x) => x.verdict !== 'inconclusive')) {
        failures.push(
          `${f.verdict}: ${f.description}${f.estimate ? ` (${f.estimate})` : ''}${f.reason ? `: ${firstSentence(f.reason)}` : ''}`,
        );
      }
    }
  }
  for (const b of runs.flatMap((r) => r.budgets)) if (b.status === 'breached') failures.push(`budget breached: ${b.reason}`);
  for (const s of speed) if (s.fails) failures.push(`speed regression: ${s.line}`);
  if (failures.length > 0) return { status: 'fail', exitCode: EXIT.leak, headline: [...new Set(failures)].join('; ') };

  if (verdicts === 'gate') {
    const unsure = runs.flatMap((r) => (r.verdict === 'inconclusive' ? r.failed : []));
    if (runs.some((r) => r.verdict === 'inconclusive')) {
      const first = unsure[0];
      return {
        status: 'inconclusive',
        exitCode: EXIT.inconclusive,
        headline: `inconclusive${first ? `: ${first.description}${first.estimate ? ` (${first.estimate})` : ''}` : ''}`,
      };
    }
  }
  const warned = speed.filter((s) => s.status === 'regressed').length;
  return {
    status: 'pass',
    exitCode: EXIT.pass,
    headline: warned ? `pass, with ${warned} speed warning${warned === 1 ? '' : 's'}` : 'pass',
  };
}

/**
 * The gate's exit code: the worst error code if any entry errored (an interrupt's 128 + signal
 * outranks them all), else 1 for any failure, else 2 for any inconclusive, else 0.
 */
export function gateExitCode(entries: Pick<EntryResult, 'exitCode'>[]): number {
  const codes = entries.map((e) => e.exitCode);
  const errors = codes.filter(isError);
  if (errors.length > 0) return Math.max(...errors);
  if (codes.includes(EXIT.leak)) return EXIT.leak;
  if (codes.includes(EXIT.inconclusive)) return EXIT.inconclusive;
  if (codes.length === 0) return EXIT.badInput;
  return EXIT.pass;
}

export function gateHeadline(entries: EntryResult[]): string {
  const code = gateExitCode(entries);
  const bad = entries.filter((e) => e.status !== 'pass');
  if (entries.length === 0) return 'no entry ran';
  if (code === EXIT.pass) return `passed: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`;
  return `${gateWord(code)} (exit ${code}): ${bad.map((e) => `${e.id}: ${e.headline}`).join(' · ')}`;
}

/**
 * Exit code and headline of a whole gate. An interrupted gate exits 128 + the signal's number even
 * when every entry it got to passed: the entries it never ran did not pass.
 */
export function gateOutcome(entries: EntryResult[], interrupted?: GateReport['interrupted']): { exitCode: number; headline: string } {
  if (!interrupted) return { exitCode: gateExitCode(entries), headline: gateHeadline(entries) };
  const notRun = interrupted.notRun.length ? `, not run: ${interrupted.notRun.join(', ')}` : '';
  return {
    exitCode: Math.max(gateExitCode(entries), interruptExitCode(interrupted.signal)),
    headline: `interrupted by ${interrupted.signal}${notRun}; so far: ${gateHeadline(entries)}`,
  };
}
