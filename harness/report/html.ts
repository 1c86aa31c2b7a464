// report.html: one self-contained file (inline CSS and SVG, no script, no external fetch) that
// reads on a laptop and prints: charts first, then expectations, diagnosis and run facts.
import type { Sample } from '../core/types.ts';
import { formatBytes, plural } from '../core/units.ts';
import { runVerdictLabel } from '../core/outcome.ts';
import type { RunReport } from './model.ts';
import { renderLineChart } from './charts.ts';
import { esc } from './escape.ts';
import { renderLoadHtml } from './load-section.ts';
import {
  RUN_ICON,
  collectWarnings,
  collectionName,
  estimateText,
  expectationIcon,
  formatDuration,
  groupDigits,
  limitText,
  reproduceCommand,
  workDoneText,
} from './format.ts';
import { profileHtml } from './profile-sections.ts';
import { interruptedLines } from './interrupted.ts';
import { coverageHtml } from './coverage-section.ts';
import { chartedCollections, collectionSeries, memorySeries, phaseBands } from './series.ts';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; margin: 0 auto; padding: 24px; max-width: 1040px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sub { color: #555; margin: 0; } .badge { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; margin-right: 8px; }
.v-pass { background: #e3f4e8; color: #14622c; } .v-leak, .v-error { background: #fbe4e6; color: #9b0b1c; } .v-inconclusive, .v-interrupted { background: #fff3d6; color: #7a5300; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 12px 0; color: #333; } .facts b { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e6e6e6; }
th { background: #f6f6f6; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; } pre { background: #f6f8fa; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
ul { margin: 4px 0; padding-left: 20px; } .muted { color: #666; } .error { border-left: 4px solid #b00020; background: #fff5f5; padding: 8px 12px; } .note { border-left: 4px solid #7a5300; background: #fffaf0; padding: 8px 12px; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 6px 0 2px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; } dt { color: #555; } dd { margin: 0; }
@media print { body { padding: 0; max-width: none; font-size: 11px; } svg.chart, table, pre { break-inside: avoid; } h2 { break-after: avoid; } }
`;

export function renderHtml(report: RunReport, samples: Sample[]): string {
  const title = `${report.verdict} · ${report.scenario.name} · churnlab`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
    header(report),
    report.error ? errorBlock(report) : '',
    report.interrupted ? interruptedBlock(report) : '',
    report.observation?.by === 'proc'
      ? `<section class="note"><p><b>Observed by RSS from /proc only</b> (no V8 inspector: no heap, census or handles). ${esc(report.observation.notes.join(' '))}</p></section>`
      : '',
    report.load ? renderLoadHtml(report.load) : '',
    memorySection(report, samples),
    collectionsSection(report, samples),
    expectationsSection(report),
    coverageHtml(report),
    report.diagnosis ? diagnosisSection(report) : '',
    profileHtml(report),
    factsSection(report),
    `<p class="muted">churnlab report · schema v${report.schemaVersion}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

function header(r: RunReport): string {
  return `<header>
<h1><span class="badge v-${r.verdict}">${RUN_ICON[r.verdict]} ${esc(runVerdictLabel(r))}</span>${esc(r.scenario.name)}</h1>
<p class="sub">${esc(r.target.label)} <span class="muted">(${esc(r.target.kind)}: <code>${esc(r.target.spec)}</code>)</span></p>
${r.scenario.summary ? `<p>${esc(r.scenario.summary)}</p>` : ''}
${r.stopping ? `<p class="stopped"><b>Stopped:</b> ${esc(r.stopping.summary)}</p>` : ''}
<div class="facts"><span><b>Work done</b> ${esc(workDoneText(r))}</span><span><b>Samples</b> ${groupDigits(r.timing.samples)}</span><span><b>Duration</b> ${esc(formatDuration(r.timing.durationMs))}</span><span><b>Exit code</b> ${r.exitCode}</span><span><b>Run</b> <code>${esc(r.runId)}</code></span></div>
</header>`;
}

function interruptedBlock(r: RunReport): string {
  const [facts, ...rest] = interruptedLines(r);
  return `<section class="note"><h2>Interrupted</h2><p><b>${esc(facts ?? '')}</b></p>${rest.map((line) => `<p>${esc(line)}</p>`).join('')}<p class="muted">The charts show the samples taken before the signal; the expectations below are judged on them.</p></section>`;
}

function errorBlock(r: RunReport): string {
  const e = r.error!;
  return `<section class="error"><h2>${esc(e.kind)}</h2><p>${esc(e.message)}</p>${
    e.stderrTail ? `<details open><summary>stderr (last lines)</summary><pre>${esc(e.stderrTail)}</pre></details>` : ''
  }<p class="muted">The charts show the samples taken before the error.</p></section>`;
}

function memorySection(r: RunReport, samples: Sample[]): string {
  const { heap, rss } = memorySeries(samples, r.unit);
  const byteCaps = r.caps.filter((c) => c.valueKind === 'bytes').map((c) => ({ label: c.label, value: c.value }));
  const isRssCap = (c: { label: string }) => /\bRSS\b/i.test(c.label);
  const common = {
    xLabel: `${plural(r.unit)} done`,
    yKind: 'bytes' as const,
    yLabel: 'bytes',
    bands: phaseBands(r.phases, samples, r.unit),
  };
  // Heap and RSS on separate charts: RSS is often ten times the heap, and on a shared axis a
  // heap leak of a few MB would draw as a flat line at the bottom.
  const heapChart = renderLineChart({
    ...common,
    id: 'chart-heap',
    title: `Used heap (post-GC, excluding compiled code) against ${plural(r.unit)} done`,
    series: [{ label: 'used heap (post-GC, excl. code)', points: heap }],
    caps: byteCaps.filter((c) => !isRssCap(c)),
  });
  const rssChart = rss.length
    ? renderLineChart({
        ...common,
        id: 'chart-rss',
        title: `Resident set size against ${plural(r.unit)} done`,
        series: [{ label: 'RSS', points: rss }],
        caps: byteCaps.filter(isRssCap),
      })
    : '';
  // A target observed from /proc only has no heap: RSS is its memory chart.
  if (r.observation?.by === 'proc') return rssChart ? `<section><h2>RSS against work done</h2>${rssChart}</section>` : '';
  return `<section><h2>Heap against work done</h2>${heapChart}</section>${rssChart ? `<section><h2>RSS against work done</h2>${rssChart}</section>` : ''}`;
}

function collectionsSection(r: RunReport, samples: Sample[]): string {
  const charted = chartedCollections(r.topCollections, samples);
  const bySeries = collectionSeries(
    samples,
    r.unit,
    charted.map((c) => c.id),
  );
  const chart = renderLineChart({
    id: 'chart-collections',
    title: `Sizes of the top growing collections against ${plural(r.unit)} done`,
    xLabel: `${plural(r.unit)} done`,
    yKind: 'entries',
    yLabel: 'entries',
    series: charted.map((c) => ({ label: `${collectionName(c)} (${c.kind})`, points: bySeries.get(c.id) ?? [] })),
    caps: r.caps.filter((c) => c.valueKind === 'entries').map((c) => ({ label: c.label, value: c.value })),
    bands: phaseBands(r.phases, samples, r.unit),
  });
  const rows = r.topCollections
    .map(
      (c) =>
        `<tr><td><code>${esc(collectionName(c))}</code></td><td>${esc(c.kind)}</td><td class="num">${groupDigits(c.firstSize)} → ${groupDigits(c.lastSize)}</td><td>${esc(c.entriesPerUnitText)}</td><td class="muted">${esc(c.id)}</td></tr>`,
    )
    .join('\n');
  const table = rows
    ? `<table><thead><tr><th>Collection</th><th>Kind</th><th>Entries (first → last)</th><th>Per ${esc(r.unit)}</th><th>Heap id</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="muted">No collection was tracked in this run.</p>';
  return `<section><h2>Top growing collections</h2>${chart}${table}</section>`;
}

function expectationsSection(r: RunReport): string {
  const rows = r.expectations
    .map((e) => {
      const reasons = e.reasons.length > 0 ? `<ul>${e.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '';
      const warnings = [...e.warnings, ...(e.metric?.warnings ?? [])];
      const warn = warnings.length > 0 ? `<ul class="muted">${warnings.map((x) => `<li>⚠️ ${esc(x)}</li>`).join('')}</ul>` : '';
      const suggestion = e.metric?.suggestion ? `<p class="muted">Next: ${esc(e.metric.suggestion)}</p>` : '';
      return `<tr><td>${expectationIcon(e)}</td><td><b>${esc(e.description || e.id)}</b><br><span class="muted">${esc(e.metric?.label ?? e.id)}</span></td><td>${esc(e.verdict)}</td><td class="num">${esc(estimateText(e))}</td><td class="num">${esc(limitText(e))}</td><td>${reasons}${warn}${suggestion}</td></tr>`;
    })
    .join('\n');
  const table = rows
    ? `<table><thead><tr><th></th><th>Expectation</th><th>${r.interrupted ? 'Verdict so far' : 'Verdict'}</th><th>Estimate</th><th>Limit</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="muted">No expectation was evaluated.</p>';
  const warnings = collectWarnings(r);
  return `<section><h2>Expectations</h2>${table}${warnings.length > 0 ? `<h3>Warnings</h3><ul>${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}</section>`;
}

function diagnosisSection(r: RunReport): string {
  const d = r.diagnosis!;
  const parts: string[] = [
    `<section><h2>Diagnosis</h2><p class="muted">${d.snapshots.length} heap snapshot(s), taken after the verdict.</p>`,
  ];
  for (const c of d.collections) {
    if (!c.found) {
      parts.push(`<p><code>${esc(collectionName(c))}</code>: not found in the snapshot.</p>`);
      continue;
    }
    const facts = [
      c.entries !== undefined ? `${groupDigits(c.entries)} entries` : '',
      c.retainedBytes ? `${formatBytes(c.retainedBytes)} retained` : '',
    ]
      .filter(Boolean)
      .join(', ');
    parts.push(
      `<h3>${esc(collectionName(c))} <span class="muted">${esc(c.kind)} ${esc(c.id)}${facts ? ` · ${esc(facts)}` : ''}</span></h3>`,
      c.retainerSummary ? `<p><code>${esc(c.retainerSummary)}</code></p>` : '',
      c.retainerPath.length > 0
        ? `<details><summary>Retainer path from the GC root</summary><pre>${esc(c.retainerPath.join('\n'))}</pre></details>`
        : '',
    );
  }
  const growing = d.growingAcrossSnapshots ?? [];
  if (growing.length > 0) {
    const rows = growing
      .map(
        (g) =>
          `<tr><td>${esc(g.kind)} <span class="muted">${esc(g.id)}</span>${g.suspect ? ' ⭐' : ''}</td><td>${g.retainerSummary ? `<code>${esc(g.retainerSummary)}</code>` : esc(g.name ?? '?')}</td><td class="num">${g.edgesHistory.map(groupDigits).join(' → ')}</td><td>${g.monotonic ? 'yes' : 'no'}</td></tr>`,
      )
      .join('\n');
    parts.push(
      `<h3>Growing across snapshots</h3><p class="muted">memlab unbound-collection check; sizes are edges of each collection's backing table. ⭐ = a suspect of this run.</p>`,
      `<table><thead><tr><th>Collection</th><th>Held by</th><th>Per snapshot</th><th>Steady growth</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  if (d.notes.length > 0) parts.push(`<ul class="muted">${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  parts.push('</section>');
  return parts.join('\n');
}

function factsSection(r: RunReport): string {
  const m = r.machine;
  const otherCaps = r.caps.filter((c) => c.valueKind !== 'bytes' && c.valueKind !== 'entries');
  const rows: [string, string][] = [
    ['Reproduce', `<pre>${esc(reproduceCommand(r))}</pre>`],
    ['Created', esc(r.createdAt)],
    ['Started', esc(r.timing.startedAt)],
    ['Duration', esc(formatDuration(r.timing.durationMs))],
    ['Samples', `${groupDigits(r.timing.samples)} (mean cost ${r.timing.meanSampleCostMs.toFixed(1)} ms)`],
    ['Work done', esc(workDoneText(r))],
    ['Target', `${esc(r.target.label)} · ${esc(r.target.kind)} · <code>${esc(r.target.spec)}</code>`],
    ['Scenario parameters', `<pre>${esc(JSON.stringify(r.scenario.params, null, 2))}</pre>`],
    ['Phases', r.phases.map((p) => `${esc(p.name)} (samples ${p.fromSeq}–${p.toSeq})`).join(', ') || '—'],
    ['Caps', r.caps.map((c) => esc(`${c.label}: ${c.value} ${c.valueKind}`)).join('; ') || '—'],
    ['Machine', esc(`${m.platform}/${m.arch} · ${m.cpus} × ${m.cpuModel} · ${formatBytes(m.totalMemBytes)} RAM · Node ${m.node}`)],
    [
      'Files',
      [r.files.samples, r.files.report, r.files.summary, r.files.html, ...(r.files.diagnosis ?? [])]
        .map((f) => `<code>${esc(f)}</code>`)
        .join(' '),
    ],
  ];
  if (otherCaps.length > 0) rows.push(['Caps not charted', otherCaps.map((c) => esc(c.label)).join('; ')]);
  if (r.targetErrors && r.targetErrors.count > 0) {
    const where = Object.entries(r.targetErrors.byWhere)
      .map(([w, n]) => `${w}: ${groupDigits(n)}`)
      .join(', ');
    rows.push(['Target errors', esc(`${groupDigits(r.targetErrors.count)} (${where})`)]);
  }
  return `<section><h2>Run facts</h2><dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('\n')}</dl></section>`;
}
