// The report sections of local profiling (--profile, --snapshot-at, --hold): markdown lines for
// summary.md and an HTML section for report.html, from the fields in report.json.
import { formatBytes, formatRate, formatValue } from '../core/units.ts';
import type { AllocationSite } from '../profile/model.ts';
import type { RunReport } from './model.ts';
import { esc } from './escape.ts';
import { groupDigits } from './format.ts';

const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function siteName(s: AllocationSite): string {
  return `${s.functionName}${s.via?.length ? ` (via ${s.via.join(', ')})` : ''}`;
}

function where(s: AllocationSite): string {
  return s.line > 0 ? `${s.file}:${s.line}` : s.file;
}

export function profileMd(r: RunReport): string[] {
  const out: string[] = [];
  const p = r.profile;
  if (p?.status === 'profiled') {
    out.push(
      '',
      `### Allocation profile (${p.mode === 'retained' ? 'what stays' : 'all allocations'}, phases ${p.phases.join(', ')})`,
      '',
      `${formatRate(p.bytesPerUnit, 'bytes', p.unit)} over ${groupDigits(p.unitsProfiled)} ${p.unit}s · file \`${p.file}\` (Chrome DevTools Memory tab → Load, or speedscope)`,
      '',
      `| Function | Where | Origin | Per ${p.unit} | Samples |`,
      '|---|---|---|---|---|',
    );
    for (const s of p.topSites)
      out.push(`| ${cell(siteName(s))} | \`${cell(where(s))}\` | ${s.origin} | ${cell(s.perUnitText)} | ${s.samples} |`);
    out.push('', ...p.notes.map((n) => `- ${n}`));
  } else if (p) {
    out.push('', `### Allocation profile`, '', `Not profiled: ${p.reason}`);
  }
  const d = r.phaseDiff;
  if (d?.status === 'diffed') {
    out.push(
      '',
      `### Retained between "${d.from.phase}" and "${d.to.phase}" (${groupDigits(d.unitsBetween)} ${r.unit}s)`,
      '',
      `| Class | Count (before → after) | Bytes added | Per ${r.unit} |`,
      '|---|---|---|---|',
    );
    for (const c of d.classes) {
      out.push(
        `| ${cell(c.className)} | ${groupDigits(c.countBefore)} → ${groupDigits(c.countAfter)} | ${formatBytes(c.bytesAdded)} | ${cell(`${formatValue(c.countPerUnit, 'count', true)} objects, ${formatRate(c.bytesPerUnit, 'bytes', r.unit)}`)} |`,
      );
    }
    for (const c of d.classes.filter((x) => x.retainers?.length)) {
      const top = c.retainers![0]!;
      out.push(
        '',
        `<details><summary>${esc(c.className)}: ${top.instances} of ${c.pathsSampled} new instances held by</summary>`,
        '',
        '```',
        top.path.join('\n'),
        '```',
        '',
        '</details>',
      );
    }
    if (d.growingCollections.length > 0) {
      out.push('', 'Growing collections (memlab unbound-collection):', '');
      for (const g of d.growingCollections.slice(0, 8))
        out.push(
          `- ${g.kind} ${g.id}${g.name ? ` \`${g.name}\`` : ''}: ${g.edgesHistory.map(groupDigits).join(' → ')}${g.retainerSummary ? ` · \`${g.retainerSummary}\`` : ''}`,
        );
    }
    out.push('', ...d.notes.map((n) => `- ${n}`));
  } else if (d) {
    out.push('', '### Snapshot diff', '', `Failed: ${d.reason}`);
  }
  for (const h of r.holds ?? []) out.push('', `Held ${h.at} for ${Math.round(h.heldMs / 1000)} s (ended by ${h.resumedBy}).`);
  return out;
}

export function profileHtml(r: RunReport): string {
  const parts: string[] = [];
  const p = r.profile;
  if (p?.status === 'profiled') {
    const rows = p.topSites
      .map(
        (s) =>
          `<tr><td><code>${esc(siteName(s))}</code></td><td><code>${esc(where(s))}</code></td><td>${esc(s.origin)}</td><td class="num">${esc(s.perUnitText)}</td><td class="num">${s.samples}</td></tr>`,
      )
      .join('\n');
    parts.push(
      `<section><h2>Allocation profile</h2><p>${esc(p.mode === 'retained' ? 'What stays' : 'All allocations')} during ${esc(p.phases.join(', '))}: ${esc(formatRate(p.bytesPerUnit, 'bytes', p.unit))} over ${groupDigits(p.unitsProfiled)} ${esc(p.unit)}s. File <code>${esc(p.file)}</code> opens in Chrome DevTools (Memory → Load) and speedscope.</p>`,
      `<table><thead><tr><th>Function</th><th>Where</th><th>Origin</th><th>Per ${esc(p.unit)}</th><th>Samples</th></tr></thead><tbody>${rows}</tbody></table>`,
      `<ul class="muted">${p.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`,
    );
  } else if (p) {
    parts.push(`<section><h2>Allocation profile</h2><p>Not profiled: ${esc(p.reason)}</p></section>`);
  }
  const d = r.phaseDiff;
  if (d?.status === 'diffed') {
    const rows = d.classes
      .map(
        (c) =>
          `<tr><td><code>${esc(c.className)}</code></td><td class="num">${groupDigits(c.countBefore)} → ${groupDigits(c.countAfter)}</td><td class="num">${esc(formatBytes(c.bytesAdded))}</td><td class="num">${esc(formatRate(c.bytesPerUnit, 'bytes', r.unit))}</td></tr>`,
      )
      .join('\n');
    const paths = d.classes
      .filter((c) => c.retainers?.length)
      .map(
        (c) =>
          `<details><summary><code>${esc(c.className)}</code>: ${c.retainers![0]!.instances} of ${c.pathsSampled} new instances held by</summary><pre>${esc(c.retainers![0]!.path.join('\n'))}</pre></details>`,
      )
      .join('\n');
    const growing = d.growingCollections.length
      ? `<h3>Growing collections (memlab)</h3><ul>${d.growingCollections
          .slice(0, 8)
          .map(
            (g) =>
              `<li>${esc(g.kind)} ${esc(g.id)} ${g.name ? `<code>${esc(g.name)}</code>` : ''}: ${g.edgesHistory.map(groupDigits).join(' → ')}${g.retainerSummary ? ` · <code>${esc(g.retainerSummary)}</code>` : ''}</li>`,
          )
          .join('')}</ul>`
      : '';
    parts.push(
      `<section><h2>Retained between "${esc(d.from.phase)}" and "${esc(d.to.phase)}"</h2><p class="muted">Heap snapshots ${esc(d.from.file)} and ${esc(d.to.file)}, ${groupDigits(d.unitsBetween)} ${esc(r.unit)}s apart.</p>`,
      `<table><thead><tr><th>Class</th><th>Count (before → after)</th><th>Bytes added</th><th>Per ${esc(r.unit)}</th></tr></thead><tbody>${rows}</tbody></table>`,
      paths,
      growing,
      `<ul class="muted">${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`,
    );
  } else if (d) {
    parts.push(`<section><h2>Snapshot diff</h2><p>Failed: ${esc(d.reason)}</p></section>`);
  }
  return parts.join('\n');
}
