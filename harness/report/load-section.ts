// The load part of a report (`npm run load`): what autocannon measured (latency percentiles,
// throughput, errors) next to what the target's heap did, per window of the run, so a reader sees
// whether memory grows with requests and whether latency drifts with it.
import { formatBytes } from '../core/units.ts';
import { esc } from './escape.ts';
import { groupDigits } from './format.ts';
import type { ErrorCounts, LatencyFigures, LoadErrors, LoadSection, LoadWindow } from './load-model.ts';

/** "12 %", "1.5 %", "0.03 %". */
export function percentText(share: number): string {
  const pct = share * 100;
  return `${pct === 0 || pct >= 10 ? pct.toFixed(0) : pct >= 1 ? pct.toFixed(1) : pct.toFixed(2)} %`;
}

/** "2 990 answered HTTP 500, 10 timed out (no answer within 1 s)". */
export function failureText(c: ErrorCounts, requestTimeoutMs: number): string {
  const parts = Object.entries(c.non2xxByStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${groupDigits(n)} answered HTTP ${status}`);
  if (c.timeouts > 0) parts.push(`${groupDigits(c.timeouts)} timed out (no answer within ${requestTimeoutMs / 1000} s)`);
  if (c.requestErrors > 0) parts.push(`${groupDigits(c.requestErrors)} failed without an answer (connection refused or reset)`);
  return parts.join(', ') || 'none failed';
}

/** "errors: 0 unexpected of 22 000 requests (0 %)", with what failed and what was planned. */
export function errorsText(e: LoadErrors): string {
  const head = `errors: ${int(e.unexpected)} unexpected of ${int(e.requests)} requests (${percentText(e.unexpectedRate)}; budget ${e.maxUnexpectedRate === 0 ? 'none' : percentText(e.maxUnexpectedRate)})`;
  const failed = e.non2xx + e.timeouts + e.requestErrors > 0 ? `: ${failureText(e, e.requestTimeoutMs)}` : '';
  const planned = e.expected > 0 ? `; ${int(e.expected)} non-2xx expected (${e.planned})` : '';
  return `${head}${failed}${planned}`;
}

const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
const perK = (v: number | undefined) => (v === undefined ? '—' : `${v > 0 ? '+' : ''}${formatBytes(v)}`);
const int = (v: number) => groupDigits(Math.round(v));

function stoppedByText(l: LoadSection): string {
  if (l.stoppedBy === 'interrupted') return 'an interrupt, before either cap';
  return l.stoppedBy === 'duration' ? `the ${l.caps.durationMs / 1000} s cap` : `the ${int(l.caps.maxRequests)}-request cap`;
}

function headline(l: LoadSection): string {
  const t = l.totals;
  return (
    `${int(t.requests)} requests in ${(t.durationMs / 1000).toFixed(1)} s (${int(t.requestsPerSec)} req/s, ${l.connections} connections, ` +
    `stopped by ${stoppedByText(l)}) · ` +
    `latency p50 ${ms(t.latencyMs.p50)}, p90 ${ms(t.latencyMs.p90)}, p99 ${ms(t.latencyMs.p99)}, max ${ms(t.latencyMs.max)} · ` +
    `${errorsText(l.errors)} · heap ${perK(l.heapBytesPer1000Requests)} per 1000 requests`
  );
}

const HEAD = [
  'Window',
  'Requests',
  'req/s',
  'p50',
  'p90',
  'p99',
  'max',
  'Non-2xx',
  'Timeouts',
  'No answer',
  'Error rate',
  'Heap at end',
  'Heap per 1000 req',
];

function rowCells(w: LoadWindow): string[] {
  return [
    `${w.index + 1}`,
    `${int(w.fromRequest)}–${int(w.toRequest)}`,
    int(w.requestsPerSec),
    ms(w.latencyMs.p50),
    ms(w.latencyMs.p90),
    ms(w.latencyMs.p99),
    ms(w.latencyMs.max),
    int(w.non2xx),
    int(w.timeouts),
    int(w.errors - w.timeouts),
    percentText(w.errorRate),
    w.heapBytesAtEnd === undefined ? '—' : formatBytes(w.heapBytesAtEnd),
    perK(w.heapBytesPer1000Requests),
  ];
}

export function renderLoadMd(l: LoadSection): string[] {
  return [
    '### Load',
    '',
    `**${l.profile}**: ${l.description}. ${headline(l)}.`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...l.windows.map((w) => `| ${rowCells(w).join(' | ')} |`),
    '',
    ...l.verdictsPer1000Requests.map((v) => `- ${v}`),
  ];
}

export function renderLoadHtml(l: LoadSection): string {
  const rows = l.windows
    .map(
      (w) =>
        `<tr>${rowCells(w)
          .map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${esc(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<section><h2>Load</h2><p><b>${esc(l.profile)}</b>: ${esc(l.description)}.</p><p>${esc(headline(l))}.</p><table><thead><tr>${HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table><ul>${l.verdictsPer1000Requests.map((v) => `<li>${esc(v)}</li>`).join('')}</ul></section>`;
}

/** Plain-text table for the terminal. */
export function formatLoadTable(l: LoadSection): string {
  const rows = [HEAD, ...l.windows.map(rowCells)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    headline(l),
    line(HEAD),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    ...l.verdictsPer1000Requests,
  ].join('\n');
}
