// How every rendering (terminal, summary.md, report.html, the gate's) says a run was interrupted:
// by which signal, how far it got, and what its samples said so far, never read as the verdict.
import type { WorkUnit } from '../core/types.ts';
import { plural } from '../core/units.ts';
import { formatDuration, groupDigits } from './format.ts';
import type { RunInterruption, RunReport } from './model.ts';

/** "1 200 sessions, 2 400 messages" (the run's own unit first), "no work" when nothing was done. */
export function workText(work: Partial<Record<WorkUnit, number>>, unit?: WorkUnit): string {
  const entries = (Object.entries(work) as [WorkUnit, number][]).filter(([, n]) => n > 0);
  entries.sort(([a], [b]) => Number(b === unit) - Number(a === unit));
  if (entries.length === 0) return 'no work done';
  return entries.map(([u, n]) => `${groupDigits(n)} ${plural(u, n)}`).join(', ');
}

/** "Interrupted by SIGTERM after 12.3 s, in phase churn: 1 200 units, 42 samples." */
export function interruptedFacts(i: RunInterruption, unit?: WorkUnit): string {
  return `Interrupted by ${i.signal} after ${formatDuration(i.afterMs)}, in phase ${i.phase}: ${workText(i.workDone, unit)}, ${groupDigits(i.samples)} ${i.samples === 1 ? 'sample' : 'samples'}.`;
}

/** "Verdict so far: pass (on the samples taken before the signal; an interrupted run never passes)." */
export function verdictSoFarText(i: RunInterruption): string {
  return `Verdict so far: ${i.verdictSoFar} (on the samples taken before the signal; not the run's verdict: an interrupted run never passes).`;
}

/** The lines that head an interrupted run's report, in plain text. */
export function interruptedLines(report: Pick<RunReport, 'interrupted' | 'unit'>): string[] {
  const i = report.interrupted;
  if (!i) return [];
  return [interruptedFacts(i, report.unit), verdictSoFarText(i), ...i.notes];
}
