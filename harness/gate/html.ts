// index.html of a gate (or of a merge of CI matrix jobs): one self-contained page, no script,
// that lists every entry with its verdict, budgets and speed, and links each run's report.html.
import path from 'node:path';
import { formatPercent } from '../compare/index.ts';
import { esc } from '../report/escape.ts';
import { formatDuration } from '../report/format.ts';
import type { EntryResult, GateReport } from './model.ts';
import { STATUS_ICON, median, num } from './summary-md.ts';
import { gateWord } from './outcome.ts';

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; margin: 0 auto; padding: 24px; max-width: 1100px; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e6e6e6; }
th { background: #f6f6f6; } code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.s-pass { color: #14622c; } .s-fail, .s-error { color: #9b0b1c; } .s-inconclusive, .s-interrupted { color: #7a5300; } .muted { color: #666; } ul { margin: 4px 0; padding-left: 20px; }
`;

const href = (p: string) => esc(p.split(path.sep).join('/'));

function entrySection(e: EntryResult): string {
  const runs = e.runs
    .map((r) => {
      const problems = [
        ...(r.error ? [`<li>${esc(r.error.kind)}: ${esc(r.error.message.split('\n')[0])}</li>`] : []),
        ...(e.verdicts === 'gate'
          ? r.failed.map(
              (f) => `<li>${esc(f.verdict)}: ${esc(f.description)}${f.estimate ? ` <b>${esc(f.estimate)}</b>` : ''}. ${esc(f.reason)}</li>`,
            )
          : []),
        ...r.budgets
          .filter((b) => b.status !== 'within')
          .map((b) => `<li>budget ${esc(b.label)} (${esc(b.limitText)}): ${esc(b.reason)}</li>`),
      ];
      return `<tr><td><a href="${href(path.join(r.dir, 'report.html'))}"><code>${esc(r.runId)}</code></a></td><td>${esc(r.verdict)}</td><td>${r.exitCode}</td><td>${esc(formatDuration(r.durationMs))}</td><td>${r.speed.throughput !== undefined ? esc(num(r.speed.throughput)) : '—'}</td><td>${problems.length ? `<ul>${problems.join('')}</ul>` : '<span class="muted">—</span>'}<div class="muted"><code>${esc(r.command)}</code></div></td></tr>`;
    })
    .join('\n');
  const budgets = e.runs
    .flatMap((r) => r.budgets)
    .map(
      (b) =>
        `<li>${b.status === 'within' ? '✅' : '❌'} ${esc(b.label)}: ${esc(b.status === 'unavailable' ? b.reason : b.valueText)} (${esc(b.limitText)})</li>`,
    )
    .join('');
  const speed = e.speed
    .map(
      (s) =>
        `<li>${esc(s.line)}${s.comparison ? ` · ${esc(formatPercent(s.comparison.relativeChange))}` : ''} · baseline ${s.baseline ? `${esc(num(median(s.baseline)))} (${s.baseline.length} runs)` : 'none'}${s.advice ? `<br><span class="muted">${esc(s.advice)}</span>` : ''}</li>`,
    )
    .join('');
  return `<h3 id="${esc(e.id)}" class="s-${e.status}">${STATUS_ICON[e.status]} ${esc(e.id)}: ${esc(e.status)} (exit ${e.exitCode})</h3>
<p><code>${esc(e.scenario)}</code> on <code>${esc(e.target)}</code>, per ${esc(e.unit)}${e.verdicts === 'report-only' ? ' · verdicts not judged (speed entry)' : ''}<br>${esc(e.headline)}</p>
${budgets ? `<ul>${budgets}</ul>` : ''}${speed ? `<ul>${speed}</ul>` : ''}
<table><tr><th>Run (report)</th><th>Verdict</th><th>Exit</th><th>Time</th><th>Units/s</th><th>Problems · reproduce</th></tr>
${runs}
</table>
${e.notes.map((n) => `<p class="muted">${esc(n)}</p>`).join('')}`;
}

export function renderGateHtml(g: GateReport): string {
  const outcome = gateWord(g.exitCode);
  const word = outcome === 'passed' || outcome === 'inconclusive' ? outcome : `${outcome} (exit ${g.exitCode})`;
  const rows = g.entries
    .map(
      (e) =>
        `<tr class="s-${e.status}"><td>${STATUS_ICON[e.status]}</td><td><a href="#${esc(e.id)}">${esc(e.id)}</a></td><td><code>${esc(e.scenario)}</code></td><td><code>${esc(e.target)}</code></td><td>${e.runs.length}</td><td>${esc(e.headline)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>churnlab gate ${esc(word)}</title><style>${CSS}</style></head><body>
<h1>churnlab gate ${esc(word)}</h1>
<p class="muted">${g.entries.length} entries · ${esc(formatDuration(g.durationMs))} · ${esc(g.createdAt)} · ${g.machine.cpus} x ${esc(g.machine.cpuModel)} · Node ${esc(g.machine.node)}${g.mergedFrom ? ` · merged from ${g.mergedFrom.length} directories` : ''}</p>
<p>${esc(g.headline)}</p>
${g.interrupted ? `<p class="s-interrupted">Interrupted by ${esc(g.interrupted.signal)}.${g.interrupted.notRun.length ? ` Not run: ${esc(g.interrupted.notRun.join(', '))}.` : ''} An interrupted gate never passes.</p>` : ''}
<table><tr><th></th><th>Entry</th><th>Scenario</th><th>Target</th><th>Runs</th><th>Why</th></tr>
${rows}
</table>
<h2>Entries</h2>
${g.entries.map(entrySection).join('\n')}
<p class="muted"><code>${esc(g.command)}</code></p>
</body></html>
`;
}
