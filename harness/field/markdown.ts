// docs/field.md from the field runs: one table row per plugin and scenario, then per plugin what a
// maintainer can act on (the leak's collection, its retainer path, the allocating file:line in
// the published code, confirmed by reading it: harness/field/findings.ts).
import type { Coverage, RunReport } from '../report/model.ts';
import type { FieldPluginResult, FieldRun } from './run.ts';
import type { PartialObservation } from './partial.ts';
import { describeStatus } from './run.ts';
import { FIELD_FINDINGS, FIELD_PREFACE } from './findings.ts';
import { SESSION_HOOK_NAMES } from '../host/hook-catalog.ts';

const SESSION_HOOK_SET: ReadonlySet<string> = new Set(SESSION_HOOK_NAMES);

/** report.json's `coverage` section for a plugin (absent when the churnlab that ran had none). */
type PluginCoverage = Extract<Coverage, { kind: 'plugin' }>;

const coverageOf = (report: RunReport | undefined): PluginCoverage | undefined => {
  const c = report?.coverage;
  return c?.kind === 'plugin' ? c : undefined;
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const mmss = (ms: number): string => `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;

function hooksCell(result: FieldPluginResult, run: FieldRun): string {
  const coverage = coverageOf(run.report);
  if (coverage) {
    if (coverage.registered.length === 0) return 'registered none: nothing was tested';
    const called = coverage.registered.filter((h) => (coverage.calls[h] ?? 0) > 0);
    const calls = called.map((h) => `${h} ${coverage.calls[h]}`).join(', ');
    const never = coverage.neverCalled.map((n) => `${n.hook} (${n.reason})`).join('; ');
    return `${called.length} of ${coverage.registered.length} called: ${calls || 'none'}${never ? `. Never called: ${never}` : ''}`;
  }
  if (result.probe.error) return `did not load: ${result.probe.error}`;
  const hooks = [...new Set(result.probe.plugins.flatMap((p) => p.hooks).filter((h) => SESSION_HOOK_SET.has(h)))];
  const tools = result.probe.plugins.flatMap((p) => p.tools);
  const reg = hooks.length > 0 ? hooks.join(', ') : 'no session hooks';
  return `${reg}${tools.length > 0 ? ` (+${tools.length} tools)` : ''}; calls not counted (no coverage in the report)`;
}

/** Errors per hook and Bun-only APIs used: what the verdict does not cover. */
function uncoveredCell(run: FieldRun): string {
  const coverage = coverageOf(run.report);
  if (!coverage) return '';
  const errors = Object.entries(coverage.errors)
    .filter(([, n]) => n > 0)
    .map(([h, n]) => `${h} ${n}`);
  const bun = coverage.bun.map((b) => `${b.api} in ${b.hook} ×${b.count}${b.shimmed ? ' (shimmed)' : ' (not available)'}`);
  // Errors outside any hook (an unhandled rejection, a timer callback) are in the run's target errors only.
  const outside = Object.entries(run.report?.targetErrors?.byWhere ?? {})
    .filter(([where, n]) => n > 0 && !(where in coverage.errors))
    .map(([w, n]) => `${w} ${n}`);
  return [
    errors.length ? `hook errors: ${errors.join(', ')}` : '',
    outside.length ? `other errors: ${outside.join(', ')}` : '',
    bun.length ? `Bun: ${bun.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function figuresCell(report: RunReport | undefined, partial?: PartialObservation): string {
  if (!report && partial) {
    const g = partial.grower
      ? `; grew: ${partial.grower.kind} ${partial.grower.name} ${partial.grower.from} → ${partial.grower.to} entries`
      : '';
    return `by the cap (${partial.sessions} sessions, no verdict): heap ${partial.heapBytesPerSession >= 0 ? '+' : ''}${Math.round(partial.heapBytesPerSession)} B per session, first to last churn sample${g}`;
  }
  if (!report) return '—';
  if (report.error) return `${report.error.kind}: ${report.error.message.split('\n')[0]!.replace(/^Target "[^"]*" \(plugin host\) /, '')}`;
  const parts = report.expectations.map((e) => `${e.id.replace(/-bounded$/, '')}: ${e.estimate ?? e.verdict}`);
  const top = report.topCollections[0];
  if (top) parts.push(`top: ${top.kind} ${top.name ?? top.id} ${top.lastSize} entries (${top.entriesPerUnitText})`);
  const errors = report.targetErrors?.count ?? 0;
  if (errors > 0 && !coverageOf(report))
    parts.push(
      `hook errors: ${Object.entries(report.targetErrors!.byWhere)
        .map(([w, n]) => `${w} ${n}`)
        .join(', ')}`,
    );
  return parts.join('; ');
}

/** Wall time, and the churn sessions the verdict was judged on (runs differ in size). */
function runTimeCell(run: FieldRun): string {
  const churned = run.report?.stopping?.stoppedAt ?? run.partial?.sessions;
  return `${mmss(run.durationMs)}${churned ? ` (${churned} sessions)` : ''}`;
}

function verdictCell(run: FieldRun): string {
  return describeStatus(run.status, run.report);
}

/** A file of an installed package as `<package>/<path>` (where the reader finds it), else as given. */
const inPackage = (file: string): string => file.replace(/^.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//u, '$1/');

function leakDetails(run: FieldRun): string[] {
  const r = run.report;
  if (!r || r.verdict !== 'leak') return [];
  const lines: string[] = [
    `- **${run.scenario}: leak.** ${r.expectations
      .filter((e) => !e.passed)
      .map((e) => `${e.description}: ${e.estimate ?? ''}`)
      .join('; ')}`,
  ];
  for (const c of r.diagnosis?.collections ?? []) {
    lines.push(`  - retained by: \`${c.retainerSummary ?? c.name ?? c.id}\``);
    if (c.retainerPath.length > 0) lines.push(`    path: \`${c.retainerPath.join(' → ')}\``);
  }
  const profile = r.profile?.status === 'profiled' ? r.profile : undefined;
  for (const site of (profile?.topUserSites.length ? profile.topUserSites : (profile?.topSites ?? [])).slice(0, 4)) {
    lines.push(
      `  - allocates what stays: \`${site.functionName || '(anonymous)'}\` at \`${inPackage(site.file)}:${site.line}\` (${site.perUnitText}${site.via?.length ? `, via ${site.via.join(', ')}` : ''})`,
    );
  }
  return lines;
}

/** A corpus run: its size (no `sessions`: sequential runs), cap per run, date and total time. */
export interface FieldMeta {
  sessions?: number;
  runCapMs: number;
  date: string;
  totalMs: number;
}

export function fieldMarkdown(results: readonly FieldPluginResult[], meta: FieldMeta & { machine: string }): string {
  const out: string[] = [];
  out.push('# Field corpus: published OpenCode plugins under churnlab');
  out.push('');
  out.push(`\`npm run field\` on ${meta.date}: ${results.length} plugins from npm (pinned in \`harness/field/plugins.ts\`), each through`);
  if (meta.sessions !== undefined) {
    out.push(
      `\`leak-unclean-exit\` (and \`leak-message-refetch\` where it reads histories) with \`--sessions ${meta.sessions} --profile\``,
    );
    out.push(
      `(larger where \`plugins.ts\` gives a plugin a size, with why), one run at a time, each capped at ${mmss(meta.runCapMs)} unless`,
    );
  } else {
    out.push('`leak-unclean-exit` (and `leak-message-refetch` where it reads histories) with `--profile`, each run');
    out.push('sequential: it stops at the first look where every expectation is decided (from the nominal size on,');
    out.push("at a failure), and goes on while one is not, up to 4× the scenario's nominal size. One run at a time,");
    out.push(`each capped at ${mmss(meta.runCapMs)} unless`);
  }
  out.push(`its size says otherwise. Machine: ${meta.machine}; the runs took ${mmss(meta.totalMs)} in all.`);
  out.push('Figures are per session of the churn phase (Theil-Sen slope; the report folder of each run has the interval and the chart).');
  out.push('');
  out.push('What a row covers, and what it does not:');
  out.push("- The plugin runs in Node under churnlab's plugin host, not in Bun: `$` (Bun's shell) and `Bun.*` are not there.");
  out.push('- The runs are offline: fetch to anything but loopback fails at once (`harness/field/offline.mjs`), so a');
  out.push("  plugin's cloud API, telemetry and update checks take their error paths.");
  out.push('- "hooks" is the run\'s coverage: every hook the plugin registered with its calls, and the registered');
  out.push('  hooks never called with why (the plugin host calls every session hook where OpenCode 1.18.33 does).');
  out.push('  A run without a report (stopped at its cap) lists what the plugin registered at load, uncounted.');
  if (meta.sessions !== undefined) {
    out.push('- A verdict needs 8 samples after the warm-up; at this size a bounded plugin may still be `inconclusive`');
    out.push('  (the growth interval straddles the +64 B-per-session floor). Re-run one plugin larger with');
    out.push('  `npm run field -- --only <name> --sessions 5000 --cap-min 40`.');
  } else {
    out.push('- "run time" gives the churn sessions where the run stopped. At its cap a run gets SIGTERM and reports');
    out.push('  what it found so far, never a pass; re-run one plugin with a longer cap: `npm run field -- --only <name> --cap-min 40`.');
  }
  out.push('');
  if (FIELD_PREFACE) out.push(FIELD_PREFACE, '');
  out.push('| plugin | version | kind | hooks (calls in the run) | scenario | verdict | per-session figures | errors, Bun | run time |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const result of results) {
    for (const run of result.runs) {
      out.push(
        `| ${cell(result.plugin.name)} | ${result.plugin.version} | ${result.plugin.kind} | ${cell(hooksCell(result, run))} | ${run.scenario} | ${cell(verdictCell(run))} | ${cell(figuresCell(run.report, run.partial))} | ${cell(uncoveredCell(run)) || '—'} | ${runTimeCell(run)} |`,
      );
    }
  }
  out.push('');
  out.push('## Per plugin');
  for (const result of results) {
    const { plugin } = result;
    out.push('');
    out.push(`### ${plugin.name}@${plugin.version} (${plugin.kind})`);
    out.push('');
    out.push(plugin.about);
    const env = Object.entries(plugin.env ?? {}).map(([k, v]) => `\`${k}\` (${v.why})`);
    const files = Object.entries(plugin.homeFiles ?? {}).map(([k, v]) => `\`~/${k}\` (${v.why})`);
    if (env.length + files.length > 0) out.push(`Run with: ${[...env, ...files].join('; ')}.`);
    const size = plugin.size;
    if (size)
      out.push(
        `Run larger: ${[size.sessions ? `\`--sessions ${size.sessions}\`` : '', size.runCapMs ? `a ${mmss(size.runCapMs)} cap` : ''].filter(Boolean).join(', ')} (${size.why}).`,
      );
    out.push('');
    if (result.runs.length === 0) out.push(`- not run: ${result.probe.error ?? 'no run recorded'}`);
    for (const run of result.runs) {
      const details = leakDetails(run);
      if (details.length > 0) out.push(...details);
      else {
        const stderr = run.stderrTail.trim();
        const showStderr = (run.status.kind !== 'finished' || !run.report) && stderr !== '';
        out.push(
          `- **${run.scenario}:** ${verdictCell(run)}${run.report || run.partial ? `; ${figuresCell(run.report, run.partial)}` : ''}${showStderr ? `\n  stderr: \`${cell(stderr.split('\n').slice(-3).join(' | ')).slice(0, 400)}\`` : ''}`,
        );
      }
    }
    const finding = FIELD_FINDINGS[plugin.name];
    if (finding) {
      out.push('');
      out.push(finding);
    }
  }
  out.push('');
  return out.join('\n');
}
