// The gate's summary.md, shaped for a GitHub job summary: the verdict first, a table of entries,
// then for every entry that did not pass what failed and why (naming the collection or route),
// budgets, speed against the baseline, and how to reproduce each run.
import path from 'node:path';
import { formatPercent } from '../compare/index.ts';
import { formatDuration } from '../report/format.ts';
import { cell, code } from '../report/summary-md.ts';
import type { EntryResult, EntryStatus, GateReport } from './model.ts';
import { gateWord } from './outcome.ts';

export const STATUS_ICON: Record<EntryStatus, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️', error: '💥', interrupted: '⏹️' };

/** Median of the runs (mean of the middle two for an even count). */
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** A figure with 3 significant digits, whole above 100. */
export const num = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : 'n/a');
/** Forward slashes in links, whatever the OS. */
const link = (p: string) => p.split(path.sep).join('/');

function budgetCell(e: EntryResult): string {
  const all = e.runs.flatMap((r) => r.budgets);
  if (all.length === 0) return '—';
  const bad = all.filter((b) => b.status !== 'within').length;
  return bad ? `${bad} of ${all.length} not met` : `${all.length} within`;
}

function speedCell(e: EntryResult): string {
  if (e.speed.length === 0) return '—';
  return e.speed.map((s) => `${s.figure}: ${s.status}${s.status === 'regressed' ? ` (${s.fails ? 'fails' : 'warns'})` : ''}`).join(', ');
}

function entryDetails(e: EntryResult): string[] {
  const out = ['', `#### ${STATUS_ICON[e.status]} ${code(e.id)}: ${e.status} (exit ${e.exitCode})`, '', `${cell(e.headline)}`, ''];
  for (const r of e.runs) {
    const runFacts = `run ${code(r.runId)}: ${r.verdict}, exit ${r.exitCode}, ${formatDuration(r.durationMs)}`;
    out.push(`- ${runFacts} · [report](${link(path.join(r.dir, 'report.html'))}) · ${code(r.command)}`);
    if (r.error) out.push(`  - ❌ ${cell(r.error.kind)}: ${cell(r.error.message.split('\n').slice(0, 3).join(' '))}`);
    if (e.verdicts === 'gate') {
      for (const f of r.failed)
        out.push(
          `  - ${f.verdict === 'inconclusive' ? '⚠️' : '❌'} ${cell(f.description)}${f.estimate ? `: **${cell(f.estimate)}**` : ''}. ${cell(f.reason)}`,
        );
    }
    for (const b of r.budgets.filter((x) => x.status !== 'within'))
      out.push(`  - ❌ budget ${cell(b.label)} (${cell(b.limitText)}): ${cell(b.reason)}`);
  }
  for (const s of e.speed.filter((x) => x.fails)) out.push(`- ❌ ${cell(s.line)}`);
  for (const n of e.notes) out.push(`- ${cell(n)}`);
  return out;
}

export function renderGateSummaryMd(g: GateReport): string {
  const word = gateWord(g.exitCode);
  const icon = word === 'passed' ? '✅' : word === 'inconclusive' ? '⚠️' : word === 'interrupted' ? '⏹️' : '❌';
  const out: string[] = [
    `## ${icon} churnlab gate ${word}${g.exitCode ? ` (exit ${g.exitCode})` : ''} · ${g.entries.length} entr${g.entries.length === 1 ? 'y' : 'ies'} · ${formatDuration(g.durationMs)}`,
    '',
    `> ${cell(g.headline)}`,
    '',
    '| | Entry | Scenario on target | Runs | Verdict | Budgets | Speed |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const e of g.entries) {
    const verdicts = [...new Set(e.runs.map((r) => r.verdict))].join(', ') + (e.verdicts === 'report-only' ? ' (not judged)' : '');
    out.push(
      `| ${STATUS_ICON[e.status]} | ${code(e.id)} | ${code(e.scenario)} on ${code(e.target)} | ${e.runs.length} | ${cell(verdicts)} | ${budgetCell(e)} | ${cell(speedCell(e))} |`,
    );
  }

  if (g.interrupted) {
    const notRun = g.interrupted.notRun;
    out.push(
      '',
      `**⏹️ Interrupted by ${g.interrupted.signal}.** ${notRun.length ? `Not run: ${notRun.map(code).join(', ')}.` : 'Every entry had started.'} An interrupted gate never passes.`,
    );
  }

  const notPassing = g.entries.filter((e) => e.status !== 'pass');
  if (notPassing.length > 0) out.push('', '### What did not pass', ...notPassing.flatMap(entryDetails));

  const budgets = g.entries.flatMap((e) => e.runs.flatMap((r) => r.budgets.map((b) => ({ e, r, b }))));
  if (budgets.length > 0) {
    out.push('', '### Budgets', '', '| | Entry | Budget | Figure | Limit |', '|---|---|---|---|---|');
    for (const { e, b } of budgets) {
      const figure = b.status === 'unavailable' ? b.reason : b.valueText;
      out.push(`| ${b.status === 'within' ? '✅' : '❌'} | ${code(e.id)} | ${cell(b.label)} | ${cell(figure)} | ${cell(b.limitText)} |`);
    }
  }

  const speed = g.entries.flatMap((e) => e.speed.map((s) => ({ e, s })));
  if (speed.length > 0) {
    out.push(
      '',
      '### Speed against the baseline',
      '',
      '| | Entry | Figure | Baseline (median, runs) | This gate (median, runs) | Change | Outcome |',
      '|---|---|---|---|---|---|---|',
    );
    for (const { e, s } of speed) {
      const i =
        s.status === 'regressed' ? (s.fails ? '❌' : '⚠️') : s.status === 'inconclusive' || s.status === 'no-baseline' ? '⚠️' : '✅';
      const base = s.baseline ? `${num(median(s.baseline))} ${s.unitText} (${s.baseline.length})` : '—';
      const cur = `${num(median(s.current))} ${s.unitText} (${s.current.length})`;
      const change = s.comparison ? formatPercent(s.comparison.relativeChange) : '—';
      const outcome = s.status === 'regressed' ? `regressed, ${s.fails ? 'fails the gate' : 'warning only'}` : s.status;
      out.push(`| ${i} | ${code(e.id)} | ${s.figure} | ${base} | ${cur} | ${change} | ${cell(outcome)} |`);
    }
    const advice = speed.flatMap(({ e, s }) => (s.advice ? [`- ${code(e.id)} ${s.figure}: ${cell(s.advice)}`] : []));
    if (advice.length) out.push('', ...advice);
    out.push(
      '',
      '<details><summary>Why (rank test, interval, minimum effect)</summary>',
      '',
      ...speed.flatMap(({ e, s }) => [`**${e.id} ${s.figure}**`, '', ...s.reasons.map((r) => `- ${r}`), '']),
      '</details>',
    );
  }

  if (g.baselineUpdated)
    out.push(
      '',
      `**Baseline updated:** ${g.baselineUpdated.length ? g.baselineUpdated.map(code).join(', ') : 'nothing (no speed figure was recorded)'}`,
    );
  const from = g.mergedFrom?.length ? ` · merged from ${g.mergedFrom.length} director${g.mergedFrom.length === 1 ? 'y' : 'ies'}` : '';
  out.push(
    '',
    `<sub>${code(g.command)}${g.config ? ` · config ${code(g.config)}` : ''}${g.only ? ` · only ${g.only.map(code).join(', ')}` : ''}${from} · ${g.createdAt} · ${g.machine.cpus} x ${cell(g.machine.cpuModel)} · Node ${g.machine.node} · gate.json, index.html</sub>`,
    '',
  );
  return out.join('\n');
}
