// Figures and words shared by the markdown, HTML and terminal renderings, so all three say
// the same thing the same way.
import { formatRate, formatValue, plural } from '../core/units.ts';
import type { WorkUnit } from '../core/types.ts';
import type { ExpectationResult, RunReport } from './model.ts';
import type { RunVerdict } from '../core/exit.ts';

export const RUN_ICON: Record<RunVerdict, string> = { pass: '✅', leak: '❌', inconclusive: '⚠️', error: '❌', interrupted: '⏹️' };

export function expectationIcon(e: ExpectationResult): string {
  if (e.verdict === 'error') return '❌';
  if (e.passed) return '✅';
  return e.verdict === 'inconclusive' ? '⚠️' : '❌';
}

/** "+1.9 KB per session", computed from the metric when the expectation carries no text. */
export function estimateText(e: ExpectationResult): string {
  if (e.estimate) return e.estimate;
  if (e.metric) return formatRate(e.metric.slopePerUnit, e.metric.valueKind, e.metric.unit);
  return '—';
}

/** "≤ +1 KB per session" for a slope limit, "≤ 2000 entries" for a cap. */
export function limitText(e: ExpectationResult): string {
  if (e.limit === undefined) return '—';
  const kind = e.metric?.valueKind ?? 'count';
  if (e.limitKind === 'absolute') return `≤ ${formatValue(e.limit, kind)}`;
  // A limit is a bound, not a change: no "+" sign ("≤ 256 B per session").
  if (e.metric) return `≤ ${formatRate(e.limit, kind, e.metric.unit).replace(/^\+/, '')}`;
  return `≤ ${formatValue(e.limit, kind)}`;
}

/** The first reason, cut to fit a table cell. */
export function shortReason(e: ExpectationResult, max = 120): string {
  const first = e.reasons[0] ?? e.metric?.reasons[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Every warning of the run, each once, with the expectation it came from. */
export function collectWarnings(report: RunReport): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of report.expectations) {
    for (const w of [...e.warnings, ...(e.metric?.warnings ?? [])]) {
      const line = `${e.id}: ${w}`;
      if (!seen.has(line)) {
        seen.add(line);
        out.push(line);
      }
    }
    if (!e.passed && e.metric?.suggestion) {
      const line = `${e.id}: ${e.metric.suggestion}`;
      if (!seen.has(line)) {
        seen.add(line);
        out.push(line);
      }
    }
  }
  for (const w of report.coverage?.warnings ?? []) out.push(`coverage: ${w}`);
  return out;
}

/** The command line that reruns the scenario (scenario.params.command, else a best guess). */
export function reproduceCommand(report: RunReport): string {
  const { params, name } = report.scenario;
  if (typeof params.command === 'string' && params.command.trim() !== '') return params.command;
  if (Array.isArray(params.argv) && params.argv.every((a) => typeof a === 'string')) return (params.argv as string[]).join(' ');
  return `npx churnlab run ${name} --target ${report.target.spec}`;
}

/** The collection's display name: "checkpointStates" or "Map @123". */
export function collectionName(c: { id: string; kind: string; name?: string }): string {
  return c.name ?? `${c.kind} ${c.id}`;
}

/** 850 -> "850 ms", 83_000 -> "1 min 23 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${Math.round(s % 60)} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** 12000 -> "12 000". */
export function groupDigits(n: number): string {
  const [int, frac] = String(Math.round(n * 100) / 100).split('.');
  return `${(int ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}${frac ? `.${frac}` : ''}`;
}

/** "Stopped: decided at 1 900 sessions (look 3 of 11, 99.5 % intervals): ..." or undefined without a main phase. */
export function stoppingText(report: RunReport): string | undefined {
  const s = report.stopping;
  if (!s) return undefined;
  return `Stopped: ${s.summary}`;
}

/** "3 000 sessions, 24 000 messages": the report's unit first. */
export function workDoneText(report: RunReport): string {
  const entries = Object.entries(report.workDone) as [WorkUnit, number][];
  entries.sort(([a], [b]) => Number(b === report.unit) - Number(a === report.unit));
  if (entries.length === 0) return `0 ${plural(report.unit)}`;
  return entries.map(([unit, n]) => `${groupDigits(n)} ${plural(unit, n)}`).join(', ');
}
