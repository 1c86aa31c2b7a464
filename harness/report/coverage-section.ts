// The report's coverage section: what the run exercised in its target (hooks registered and
// called, errors per hook, Bun-only APIs; requests per route of a service), in the terminal,
// summary.md and report.html. A pass means nothing without it.
import type { Coverage, RunReport } from './model.ts';
import { esc } from './escape.ts';
import { groupDigits } from './format.ts';

type PluginCoverage = Extract<Coverage, { kind: 'plugin' }>;

/** One row per registered hook: calls, errors, and why it was never called. */
function hookRows(c: PluginCoverage): [string, string, string, string][] {
  const never = new Map(c.neverCalled.map((n) => [n.hook, n.reason]));
  return c.registered.map((h) => [h, groupDigits(c.calls[h] ?? 0), groupDigits(c.errors[h] ?? 0), never.get(h) ?? '']);
}

/** Terminal lines under the verdict table. */
export function coverageLines(report: RunReport): string[] {
  const c = report.coverage;
  if (!c) return [];
  const out = [`coverage: ${c.summary}`];
  if (c.kind === 'plugin') {
    for (const [hook, calls, errors] of hookRows(c))
      out.push(`  ${hook.padEnd(40)} ${calls.padStart(9)} calls${errors !== '0' ? `  ${errors} errors` : ''}`);
    for (const b of c.bun) out.push(`  ${b.shimmed ? 'shimmed' : 'NOT COVERED'} ${b.api} in ${b.hook}: ${groupDigits(b.count)}`);
  } else {
    for (const [route, r] of Object.entries(c.routes))
      out.push(
        `  ${route.padEnd(40)} ${groupDigits(r.requests).padStart(9)} requests${r.errors > 0 ? `  ${groupDigits(r.errors)} errors` : ''}`,
      );
  }
  for (const w of c.warnings ?? []) out.push(`warning: ${w}`);
  if (c.kind === 'plugin') for (const n of c.notes ?? []) out.push(`note: ${n}`);
  return out;
}

const mdCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function coverageMd(report: RunReport): string[] {
  const c = report.coverage;
  if (!c) return [];
  const out = ['', '### Coverage', '', `**${mdCell(c.summary)}**`];
  if (c.kind === 'plugin') {
    if (c.registered.length > 0) {
      out.push('', '| Hook | Calls | Errors | Never called because |', '|---|---|---|---|');
      for (const [hook, calls, errors, why] of hookRows(c)) out.push(`| \`${hook}\` | ${calls} | ${errors} | ${mdCell(why)} |`);
    }
    if (c.bun.length > 0) {
      out.push('', '| Bun API | Hook | Calls | Covered |', '|---|---|---|---|');
      for (const b of c.bun)
        out.push(`| \`${mdCell(b.api)}\` | ${mdCell(b.hook)} | ${groupDigits(b.count)} | ${b.shimmed ? 'shimmed' : 'no'} |`);
    }
    for (const n of c.notes ?? []) out.push('', `> ${mdCell(n)}`);
  } else if (Object.keys(c.routes).length > 0) {
    out.push('', '| Route | Requests | Errors |', '|---|---|---|');
    for (const [route, r] of Object.entries(c.routes))
      out.push(`| \`${mdCell(route)}\` | ${groupDigits(r.requests)} | ${groupDigits(r.errors)} |`);
  }
  return out;
}

export function coverageHtml(report: RunReport): string {
  const c = report.coverage;
  if (!c) return '';
  const parts = [`<section><h2>Coverage</h2><p><strong>${esc(c.summary)}</strong></p>`];
  if (c.kind === 'plugin') {
    if (c.registered.length > 0) {
      const rows = hookRows(c).map(
        ([h, n, e, why]) =>
          `<tr><td><code>${esc(h)}</code></td><td class="num">${n}</td><td class="num">${e}</td><td>${esc(why)}</td></tr>`,
      );
      parts.push(
        `<table><thead><tr><th>Hook</th><th>Calls</th><th>Errors</th><th>Never called because</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
      );
    }
    if (c.bun.length > 0) {
      const rows = c.bun.map(
        (b) =>
          `<tr><td><code>${esc(b.api)}</code></td><td>${esc(b.hook)}</td><td class="num">${groupDigits(b.count)}</td><td>${b.shimmed ? 'shimmed' : 'not covered'}</td></tr>`,
      );
      parts.push(
        `<h3>Bun-only APIs</h3><table><thead><tr><th>API</th><th>Hook</th><th>Calls</th><th>Covered</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
      );
    }
    if (c.notes?.length) parts.push(`<ul class="muted">${c.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  } else if (Object.keys(c.routes).length > 0) {
    const rows = Object.entries(c.routes).map(
      ([route, r]) =>
        `<tr><td><code>${esc(route)}</code></td><td class="num">${groupDigits(r.requests)}</td><td class="num">${groupDigits(r.errors)}</td></tr>`,
    );
    parts.push(`<table><thead><tr><th>Route</th><th>Requests</th><th>Errors</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}
