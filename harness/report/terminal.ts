// What the terminal shows: one live progress line while the run goes, a short fixed-width
// verdict table at the end. Plain text (no colour codes) so logs and CI consoles stay clean.
import type { Sample, WorkUnit } from '../core/types.ts';
import { formatBytes, plural } from '../core/units.ts';
import type { RunReport } from './model.ts';
import { runVerdictLabel } from '../core/outcome.ts';
import { RUN_ICON, collectionName, estimateText, groupDigits, limitText, stoppingText } from './format.ts';
import { interruptedLines } from './interrupted.ts';
import { coverageLines } from './coverage-section.ts';

function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length > width) return `${chars.slice(0, width - 1).join('')}…`;
  return text + ' '.repeat(width - chars.length);
}

/** A short table: expectation, verdict, estimate, limit; headed by the run's verdict. */
export function formatVerdictTable(report: RunReport): string {
  const head = ['Expectation', report.interrupted ? 'So far' : 'Verdict', 'Estimate', 'Limit'];
  const rows = report.expectations.map((e) => [
    `${e.passed ? 'ok  ' : 'FAIL'} ${e.description || e.id}`,
    e.verdict,
    estimateText(e),
    limitText(e),
  ]);
  const widths = head.map((h, i) => Math.min(i === 0 ? 44 : 26, Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => fit(c, widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [
    `${RUN_ICON[report.verdict]} ${runVerdictLabel(report).toUpperCase()}  ${report.scenario.name} on ${report.target.label}`,
    ...interruptedLines(report),
    line(head),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
  if (rows.length === 0) out.push('(no expectation evaluated)');
  out.push(...coverageLines(report));
  const stopped = stoppingText(report);
  if (stopped) out.push(stopped);
  if (report.observation?.by === 'proc') out.push(`observed by RSS from /proc only: ${report.observation.notes.join(' ')}`);
  if (report.error) out.push(`error: ${report.error.kind}: ${report.error.message}`);
  return out.join('\n');
}

export interface ProgressInfo {
  sample: Sample;
  unit: WorkUnit;
  /** Planned work in `unit`, when known: shows "1 200/3 000 sessions". */
  totalWork?: number;
  samples: number;
  /** Cut the line to this many characters (the terminal width). */
  width?: number;
}

/** "[churn] 1 200/3 000 sessions · heap 12.3 MB · checkpointStates 1 200 · 48 samples". */
export function formatProgress(p: ProgressInfo): string {
  const done = p.sample.work[p.unit] ?? 0;
  const work =
    p.totalWork !== undefined
      ? `${groupDigits(done)}/${groupDigits(p.totalWork)} ${plural(p.unit, p.totalWork)}`
      : `${groupDigits(done)} ${plural(p.unit, done)}`;
  const memory =
    p.sample.heapUsedBytes !== undefined ? `heap ${formatBytes(p.sample.heapUsedBytes)}` : `rss ${formatBytes(p.sample.rssBytes ?? 0)}`;
  const parts = [`[${p.sample.phase}] ${work}`, memory];
  const top = [...(p.sample.collections ?? [])].sort((a, b) => b.size - a.size)[0];
  if (top) parts.push(`${collectionName(top)} ${groupDigits(top.size)}`);
  parts.push(`${groupDigits(p.samples)} ${p.samples === 1 ? 'sample' : 'samples'}`);
  const text = parts.join(' · ');
  return p.width !== undefined && [...text].length > p.width ? `${[...text].slice(0, Math.max(1, p.width - 1)).join('')}…` : text;
}
