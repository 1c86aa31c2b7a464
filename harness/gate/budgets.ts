// Memory budgets against one run's figures: absolute ceilings, no baseline. Each result says the
// figure, the ceiling and, when breached, which collection or route carries it.
import type { Sample, WorkUnit } from '../core/types.ts';
import { formatRate, formatValue } from '../core/units.ts';
import type { RunReport } from '../report/model.ts';
import { failureText, percentText } from '../report/load-section.ts';
import { groupDigits } from '../report/format.ts';
import { bytesPerUnitOf, callsPerUnitOf, collectionGrowth } from './figures.ts';
import type { LoadBudget, MemoryBudget } from './suite.ts';

/** Budgets held against one run's own figures, no baseline: memory per unit, and a load's latency and throughput. */
export type AbsoluteBudget = MemoryBudget | LoadBudget;

export type BudgetResult =
  | {
      status: 'within' | 'breached';
      budget: AbsoluteBudget;
      label: string;
      value: number;
      valueText: string;
      limitText: string;
      reason: string;
    }
  /** The run does not report the figure (no heap expectation, no mock accounting, no such collection): a config error. */
  | { status: 'unavailable'; budget: AbsoluteBudget; label: string; limitText: string; reason: string };

const ceiling = (value: number, kind: 'bytes' | 'entries' | 'calls', unit: WorkUnit) =>
  `≤ ${formatRate(value, kind, unit).replace(/^\+/, '')}`;

type BudgetOf<K extends AbsoluteBudget['kind']> = Extract<AbsoluteBudget, { kind: K }>;

/** A figure the run does not report: the budget cannot be held, which is a config error. */
const unavailable = (budget: AbsoluteBudget, label: string, limitText: string, reason: string): BudgetResult => ({
  status: 'unavailable',
  budget,
  label,
  limitText,
  reason,
});

/** A load budget held against a run that sent no requests. */
const notLoadRun = (budget: AbsoluteBudget, label: string, limitText: string, report: RunReport, lacks: string): BudgetResult =>
  unavailable(budget, label, limitText, `The run of ${report.scenario.name} is not a load run: ${lacks}.`);

/** A figure against its budget, once it is known whether the figure breaches it. */
function verdictOf(
  breached: boolean,
  budget: AbsoluteBudget,
  label: string,
  value: number,
  valueText: string,
  limitText: string,
  subject: string,
): BudgetResult {
  return {
    status: breached ? 'breached' : 'within',
    budget,
    label,
    value,
    valueText,
    limitText,
    reason: breached ? `${subject}: ${valueText}, over the budget of ${limitText}.` : `${subject}: ${valueText}, within ${limitText}.`,
  };
}

function judged(
  budget: AbsoluteBudget,
  label: string,
  value: number,
  valueText: string,
  limit: number,
  limitText: string,
  subject: string,
  floor = false,
): BudgetResult {
  // A ceiling is breached above its limit; a floor (requests per second) below it.
  const breached = floor ? value < limit : value > limit;
  return verdictOf(breached, budget, label, value, valueText, limitText, subject);
}

/** Hold one memory budget against a run (its report and the samples of its verdict window). */
export function checkBudget(budget: AbsoluteBudget, report: RunReport, window: readonly Sample[]): BudgetResult {
  switch (budget.kind) {
    case 'p99-latency':
    case 'requests-per-second':
      return checkLatencyOrThroughput(budget, report);
    case 'error-rate':
      return checkErrorRate(budget, report);
    case 'heap-bytes-per-unit':
    case 'rss-bytes-per-unit':
      return checkBytesPerUnit(budget, report);
    case 'entries-per-unit':
      return checkEntriesPerUnit(budget, report.unit, window);
    case 'calls-per-unit':
      return checkCallsPerUnit(budget, window);
  }
}

function checkLatencyOrThroughput(budget: BudgetOf<'p99-latency' | 'requests-per-second'>, report: RunReport): BudgetResult {
  const p99 = budget.kind === 'p99-latency';
  const label = p99 ? 'p99 latency' : 'requests per second';
  const limitText = p99 ? `≤ ${budget.atMostMs} ms` : `≥ ${budget.atLeast} requests/s`;
  const totals = report.load?.totals;
  if (!totals) return notLoadRun(budget, label, limitText, report, 'it measured no request latency or throughput');
  if (p99)
    return judged(
      budget,
      label,
      totals.latencyMs.p99,
      `${totals.latencyMs.p99} ms over ${totals.requests} requests`,
      budget.atMostMs,
      limitText,
      'p99 latency',
    );
  const value = totals.requestsPerSec;
  return judged(
    budget,
    label,
    value,
    `${value.toFixed(1)} requests/s over ${totals.requests} requests`,
    budget.atLeast,
    limitText,
    'request throughput',
    true,
  );
}

function checkErrorRate(budget: BudgetOf<'error-rate'>, report: RunReport): BudgetResult {
  const label = 'unexpected request errors';
  const limitText = budget.atMostShare === 0 ? 'none' : `≤ ${percentText(budget.atMostShare)} of requests`;
  const errors = report.load?.errors;
  if (!errors) return notLoadRun(budget, label, limitText, report, 'it sent no requests to count errors of');
  const failed = failureText(errors, errors.requestTimeoutMs);
  const text = `${groupDigits(errors.unexpected)} of ${groupDigits(errors.requests)} requests (${percentText(errors.unexpectedRate)})${errors.unexpected > 0 ? `: ${failed}` : ''}`;
  // A share of exactly zero allows no error at all, however many requests there were.
  const breached = budget.atMostShare === 0 ? errors.unexpected > 0 : errors.unexpectedRate > budget.atMostShare;
  return verdictOf(breached, budget, label, errors.unexpectedRate, text, limitText, 'unexpected request errors');
}

function checkBytesPerUnit(budget: BudgetOf<'heap-bytes-per-unit' | 'rss-bytes-per-unit'>, report: RunReport): BudgetResult {
  const unit = report.unit;
  const heap = budget.kind === 'heap-bytes-per-unit';
  const label = `${heap ? 'heap' : 'RSS'} per ${unit}`;
  const limitText = ceiling(budget.atMostBytesPerUnit, 'bytes', unit);
  const figure = bytesPerUnitOf(report, heap ? 'heapUsedBytes' : 'rssBytes');
  if (!figure) {
    const why = heap
      ? `has no heap-bounded expectation (a command target is seen from /proc only: hold it to rss-bytes-per-unit)`
      : `has no rss-bounded expectation: RSS is judged for a service given as a command (command: '…'); a Node target is held to heap-bytes-per-unit`;
    return unavailable(
      budget,
      label,
      limitText,
      `The run of ${report.scenario.name} ${why}, so it carries no ${heap ? 'heap' : 'RSS'} growth estimate to hold against ${limitText}.`,
    );
  }
  const text = `${formatRate(figure.value, 'bytes', unit)} (95 % interval ${formatRate(figure.interval[0], 'bytes', unit).replace(` per ${unit}`, '')} .. ${formatRate(figure.interval[1], 'bytes', unit).replace(` per ${unit}`, '')})`;
  return judged(
    budget,
    label,
    figure.value,
    text,
    budget.atMostBytesPerUnit,
    limitText,
    heap ? 'used heap after GC' : 'RSS of the process tree',
  );
}

function checkEntriesPerUnit(budget: BudgetOf<'entries-per-unit'>, unit: WorkUnit, window: readonly Sample[]): BudgetResult {
  const label = budget.collection ? `${budget.collection} entries per ${unit}` : `entries per ${unit} (fastest-growing collection)`;
  const limitText = ceiling(budget.atMostEntriesPerUnit, 'entries', unit);
  const growers = collectionGrowth(window, unit);
  const pool = budget.collection ? growers.filter((g) => g.name === budget.collection) : growers;
  if (budget.collection && pool.length === 0) {
    const known = [...new Set(growers.flatMap((g) => (g.name ? [g.name] : [])))];
    return unavailable(
      budget,
      label,
      limitText,
      `No collection named "${budget.collection}" was followed by the census in this run. Named collections seen: ${known.length ? known.join(', ') : 'none'}.`,
    );
  }
  const top = pool[0];
  if (!top)
    return judged(budget, label, 0, '0 entries (no Map or Set was followed)', budget.atMostEntriesPerUnit, limitText, 'collections');
  const subject = `${top.kind} ${top.name ?? `${top.id} (unnamed)`}`;
  return judged(
    budget,
    label,
    top.slopePerUnit,
    formatRate(top.slopePerUnit, 'entries', unit),
    budget.atMostEntriesPerUnit,
    limitText,
    subject,
  );
}

function checkCallsPerUnit(budget: BudgetOf<'calls-per-unit'>, window: readonly Sample[]): BudgetResult {
  const label = `${budget.route} calls per ${budget.per}`;
  const limitText = `≤ ${formatValue(budget.atMostCallsPerUnit, 'calls')} per ${budget.per}`;
  const rate = callsPerUnitOf(window, budget.route, budget.per);
  if (!rate)
    return unavailable(
      budget,
      label,
      limitText,
      `No two samples of the verdict window carry OpenCode accounting counters with ${budget.per} work in between: the scenario does not talk to the mock OpenCode, or does no ${budget.per} work.`,
    );
  const text = `${rate.perUnit.toFixed(2)} calls per ${budget.per} (${rate.count} calls over ${rate.units} ${budget.per === 'tool call' ? 'tool calls' : `${budget.per}s`})`;
  return judged(budget, label, rate.perUnit, text, budget.atMostCallsPerUnit, limitText, budget.route);
}
