// expect(result).toStayBounded(): passes when every expectation of a churn run held; otherwise
// its message is the verdict's own account: which expectation, the estimate per unit of work,
// and the reasons, which name the collection that grows ("Set continuityInjected: leak ...").
import type { RunReport } from '../report/model.ts';
import { estimateText, stoppingText } from '../report/format.ts';
import { interruptedLines } from '../report/interrupted.ts';
import type { ChurnResult } from './run-churn.ts';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function reportOf(received: unknown): RunReport | undefined {
  const r = received as { report?: RunReport; schemaVersion?: number } | undefined;
  if (r?.report && typeof r.report === 'object') return r.report;
  if (r?.schemaVersion === 1) return r as RunReport;
  return undefined;
}

/** The verdict's reasons as a message: failed expectations first, each with its estimate. */
export function describeVerdict(report: RunReport, dir?: string): string {
  const work = Object.entries(report.workDone)
    .map(([unit, n]) => `${n} ${unit}${n === 1 ? '' : 's'}`)
    .join(', ');
  const lines = [`churn run on ${report.target.label}: ${report.verdict} (${work || 'no work done'})`];
  const stopped = stoppingText(report);
  if (stopped) lines.push(`  ${stopped}`);
  // What the run exercised: a plugin whose hooks were never called is inconclusive, and this says why.
  if (report.coverage)
    lines.push(`  coverage: ${report.coverage.summary}`, ...(report.coverage.warnings ?? []).map((w) => `  coverage: ${w}`));
  if (report.error) lines.push(`  ${report.error.kind}: ${report.error.message.split('\n')[0]}`);
  if (report.interrupted) lines.push(...interruptedLines(report).map((line) => `  ${line}`));
  const ordered = [...report.expectations].sort((a, b) => Number(a.passed) - Number(b.passed));
  for (const e of ordered) {
    lines.push(`${e.passed ? '✓' : '✗'} ${e.description || e.id}: ${e.verdict}, ${estimateText(e)}`);
    if (!e.passed) {
      for (const reason of e.reasons) lines.push(`    ${reason}`);
      if (e.metric?.suggestion) lines.push(`    next: ${e.metric.suggestion}`);
    }
  }
  if (dir) lines.push(`report: ${dir}/${report.files.html}`);
  return lines.join('\n');
}

export function toStayBounded(received: ChurnResult | RunReport): MatcherResult {
  const report = reportOf(received);
  if (!report) {
    return { pass: false, message: () => `toStayBounded expects the result of runChurn() (or a report), got ${typeof received}` };
  }
  const dir = (received as Partial<ChurnResult>).dir;
  const pass = report.verdict === 'pass';
  return {
    pass,
    message: () =>
      pass
        ? `expected the churn run on ${report.target.label} not to stay bounded, but every expectation held:\n${describeVerdict(report, dir)}`
        : `expected the churn run on ${report.target.label} to stay bounded:\n${describeVerdict(report, dir)}`,
  };
}
