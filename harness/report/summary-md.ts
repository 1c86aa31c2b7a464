// summary.md: the run in a shape that fits a GitHub job summary ($GITHUB_STEP_SUMMARY):
// headline, expectations, growing collections, diagnosis, warnings, how to reproduce.
import { formatBytes } from '../core/units.ts';
import { runVerdictLabel } from '../core/outcome.ts';
import type { RunReport } from './model.ts';
import { renderLoadMd } from './load-section.ts';
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
  shortReason,
  workDoneText,
  stoppingText,
} from './format.ts';
import { profileMd } from './profile-sections.ts';
import { interruptedLines } from './interrupted.ts';
import { coverageMd } from './coverage-section.ts';

/** A table cell: no pipes or line breaks may escape it. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

export function renderSummaryMd(report: RunReport): string {
  return [
    ...headlineMd(report),
    ...errorMd(report),
    ...interruptedMd(report),
    ...observationMd(report),
    ...(report.load ? ['', ...renderLoadMd(report.load)] : []),
    ...expectationsMd(report),
    ...coverageMd(report),
    ...topCollectionsMd(report),
    ...(report.diagnosis ? ['', ...renderDiagnosisMd(report)] : []),
    ...profileMd(report),
    ...targetErrorsMd(report),
    ...warningsMd(report),
    ...reproduceMd(report),
  ].join('\n');
}

/** The verdict on the scenario and target, what the scenario does, how much work ran and why it stopped. */
function headlineMd(report: RunReport): string[] {
  const out = [`## ${RUN_ICON[report.verdict]} ${runVerdictLabel(report)} · ${code(report.scenario.name)} on ${code(report.target.label)}`];
  if (report.scenario.summary) out.push('', `> ${report.scenario.summary.replace(/\r?\n/g, ' ')}`);
  out.push(
    '',
    `**Work done:** ${workDoneText(report)} · ${groupDigits(report.timing.samples)} samples · ${formatDuration(report.timing.durationMs)} · exit code ${report.exitCode}`,
  );
  const stopped = stoppingText(report);
  if (stopped) out.push('', `**${stopped.replace(/^Stopped:/, 'Stopped:**')}`);
  return out;
}

function errorMd(report: RunReport): string[] {
  if (!report.error) return [];
  const out = ['', `### ❌ ${cell(report.error.kind)}`, '', report.error.message];
  if (report.error.stderrTail)
    out.push('', '<details><summary>stderr (last lines)</summary>', '', fenced(report.error.stderrTail), '', '</details>');
  return out;
}

function interruptedMd(report: RunReport): string[] {
  if (!report.interrupted) return [];
  const [facts, ...rest] = interruptedLines(report);
  return ['', '### ⏹️ Interrupted', '', `**${facts}**`, ...rest.flatMap((line) => ['', line])];
}

function observationMd(report: RunReport): string[] {
  if (report.observation?.by !== 'proc') return [];
  return ['', `> **Observed by RSS from /proc only** (no V8 inspector: no heap, census or handles). ${report.observation.notes.join(' ')}`];
}

function expectationsMd(report: RunReport): string[] {
  const out = ['', '### Expectations', ''];
  if (report.expectations.length === 0) return [...out, '_No expectation was evaluated._'];
  out.push(
    `| | Expectation | ${report.interrupted ? 'Verdict so far' : 'Verdict'} | Estimate | Limit | Why |`,
    '|---|---|---|---|---|---|',
  );
  for (const e of report.expectations) {
    out.push(
      `| ${expectationIcon(e)} | ${cell(e.description || e.id)} | ${e.verdict} | ${cell(estimateText(e))} | ${cell(limitText(e))} | ${cell(shortReason(e))} |`,
    );
  }
  return out;
}

function topCollectionsMd(report: RunReport): string[] {
  if (report.topCollections.length === 0) return [];
  const out = [
    '',
    '### Top growing collections',
    '',
    `| Collection | Kind | Entries (first → last) | Per ${report.unit} |`,
    '|---|---|---|---|',
  ];
  for (const c of report.topCollections) {
    out.push(
      `| ${code(collectionName(c))} | ${cell(c.kind)} | ${groupDigits(c.firstSize)} → ${groupDigits(c.lastSize)} | ${cell(c.entriesPerUnitText)} |`,
    );
  }
  return out;
}

function targetErrorsMd(report: RunReport): string[] {
  if (!(report.targetErrors && report.targetErrors.count > 0)) return [];
  const where = Object.entries(report.targetErrors.byWhere)
    .sort((a, b) => b[1] - a[1])
    .map(([w, n]) => `${w}: ${groupDigits(n)}`)
    .join(', ');
  return ['', `**Target errors:** ${groupDigits(report.targetErrors.count)} (${cell(where)})`];
}

function warningsMd(report: RunReport): string[] {
  const warnings = collectWarnings(report);
  if (warnings.length === 0) return [];
  return ['', '### Warnings', '', ...warnings.map((w) => `- ${w.replace(/\r?\n/g, ' ')}`)];
}

/** The command that runs it again, and the facts that place this run (id, time, machine, files). */
function reproduceMd(report: RunReport): string[] {
  return [
    '',
    '### Reproduce',
    '',
    fenced(reproduceCommand(report), 'sh'),
    '',
    `<sub>run ${code(report.runId)} · ${report.createdAt} · ${report.machine.platform}/${report.machine.arch} · Node ${report.machine.node} · files: ${[report.files.html, report.files.report, report.files.samples].map(code).join(', ')}</sub>`,
    '',
  ];
}

function renderDiagnosisMd(report: RunReport): string[] {
  const d = report.diagnosis;
  if (!d) return [];
  const out: string[] = [`### Diagnosis (${d.snapshots.length} heap snapshot${d.snapshots.length === 1 ? '' : 's'})`];
  for (const c of d.collections) {
    out.push('');
    if (!c.found) {
      out.push(`- ${code(collectionName(c))}: not found in the snapshot.`);
      continue;
    }
    const facts = [
      c.entries !== undefined ? `${groupDigits(c.entries)} entries` : '',
      c.retainedBytes ? `${formatBytes(c.retainedBytes)} retained` : '',
    ]
      .filter(Boolean)
      .join(', ');
    // The summary already carries entries and retained size; the facts stand in when it is missing.
    out.push(`**${cell(collectionName(c))}**: ${c.retainerSummary ? code(c.retainerSummary) : `${facts || c.kind}, no retainer path`}`);
    if (c.retainerPath.length > 0) {
      out.push('', '<details><summary>Retainer path from the GC root</summary>', '', fenced(c.retainerPath.join('\n')), '', '</details>');
    }
  }
  const growing = d.growingAcrossSnapshots;
  if (growing && growing.length > 0) {
    out.push(
      '',
      `Growing across snapshots (memlab unbound-collection):`,
      '',
      '| Collection | Held by | Table edges per snapshot | Steady |',
      '|---|---|---|---|',
    );
    for (const g of growing.slice(0, 10)) {
      out.push(
        `| ${cell(`${g.kind} ${g.id}`)}${g.suspect ? ' ⭐' : ''} | ${g.retainerSummary ? code(g.retainerSummary) : cell(g.name ?? '?')} | ${g.edgesHistory.map(groupDigits).join(' → ')} | ${g.monotonic ? 'yes' : 'no'} |`,
      );
    }
  }
  if (d.notes.length > 0) out.push('', ...d.notes.map((n) => `- ${n.replace(/\r?\n/g, ' ')}`));
  return out;
}
