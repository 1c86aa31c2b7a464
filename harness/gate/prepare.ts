// Checking a suite before anything runs: every entry's kind, scenario, target, counts and budgets,
// with errors that name the entry and say what was expected (an unknown scenario lists the known).
import type { ScenarioDefinition } from '../scenario/define.ts';
import { BadInputError, resolveTarget } from '../scenario/target-spec.ts';
import { GATE_DEFAULTS } from './defaults.ts';
import { entryId, type Budget, type GateSuite, type ScenarioEntry } from './suite.ts';

export interface PreparedEntry {
  id: string;
  entry: ScenarioEntry;
  scenario: ScenarioDefinition;
  /** Absolute path or resolved package entry; undefined: the scenario's own default. */
  target?: string;
  runs: number;
  budgets: Budget[];
}

const ENTRY_KINDS = ['scenario'] as const;
const BUDGET_KINDS = ['heap-bytes-per-unit', 'entries-per-unit', 'calls-per-unit', 'speed'] as const;
const SPEED_FIGURES = ['throughput'] as const;

function wholePositive(where: string, name: string, v: unknown): void {
  if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0)) throw new BadInputError(`${where}: ${name} is ${JSON.stringify(v)}; expected a whole number > 0.`);
}

function checkBudget(where: string, b: Budget): void {
  const kind = (b as { kind?: unknown })?.kind;
  if (!BUDGET_KINDS.includes(kind as never)) {
    throw new BadInputError(`${where}: unknown budget kind ${JSON.stringify(kind)}; expected one of ${BUDGET_KINDS.join(', ')}.`);
  }
  const limit = (name: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BadInputError(`${where}: ${b.kind}.${name} is ${JSON.stringify(v)}; expected a number >= 0.`);
  };
  switch (b.kind) {
    case 'heap-bytes-per-unit':
      return limit('atMostBytesPerUnit', b.atMostBytesPerUnit);
    case 'entries-per-unit':
      return limit('atMostEntriesPerUnit', b.atMostEntriesPerUnit);
    case 'calls-per-unit':
      if (typeof b.route !== 'string' || !b.route) throw new BadInputError(`${where}: calls-per-unit.route must name an OpenCode route, e.g. 'session.messages'.`);
      return limit('atMostCallsPerUnit', b.atMostCallsPerUnit);
    case 'speed':
      if (!SPEED_FIGURES.includes(b.figure)) throw new BadInputError(`${where}: speed figure ${JSON.stringify(b.figure)}; expected one of ${SPEED_FIGURES.join(', ')}.`);
      if (b.onRegression !== undefined && b.onRegression !== 'fail' && b.onRegression !== 'warn') {
        throw new BadInputError(`${where}: speed.onRegression is ${JSON.stringify(b.onRegression)}; expected 'fail' or 'warn'.`);
      }
      if (b.minRelativeEffect !== undefined) limit('minRelativeEffect', b.minRelativeEffect);
      if (b.alpha !== undefined && !(b.alpha > 0 && b.alpha < 1)) throw new BadInputError(`${where}: speed.alpha is ${b.alpha}; expected 0 < alpha < 1.`);
  }
}

export interface PrepareOptions {
  /** Where the suite was declared, for messages ("churnlab.config.ts"). */
  source: string;
  /** Relative targets resolve from here (the config file's directory). */
  baseDir: string;
  scenarios: ScenarioDefinition[];
  /** Default target per scenario name from the config (absolute paths or package names). */
  defaultTargets?: Record<string, string>;
  /** `--only`: run just these entry ids. */
  only?: string[];
  /** Budgets of the config that apply to every entry, before the entry's own. */
  budgets?: Budget[];
}

export function prepareSuite(suite: GateSuite, o: PrepareOptions): PreparedEntry[] {
  if (!suite || !Array.isArray(suite.entries) || suite.entries.length === 0) {
    throw new BadInputError(`${o.source}: the gate suite has no entries; expected gate: { entries: [{ kind: 'scenario', scenario: '<name>' }, ...] }.`);
  }
  const known = o.scenarios.map((s) => `  ${s.name.padEnd(24)} ${s.summary}`).join('\n');
  const ids = new Set<string>();
  const prepared: PreparedEntry[] = [];
  suite.entries.forEach((entry, i) => {
    const kind = (entry as { kind?: unknown })?.kind;
    const where = `${o.source}: gate entry ${i + 1}${typeof entry?.scenario === 'string' ? ` (${entry.scenario})` : ''}`;
    if (!ENTRY_KINDS.includes(kind as never)) throw new BadInputError(`${where}: unknown kind ${JSON.stringify(kind)}; expected one of ${ENTRY_KINDS.join(', ')}.`);
    const scenario = o.scenarios.find((s) => s.name === entry.scenario);
    if (!scenario) throw new BadInputError(`${where}: unknown scenario "${String(entry.scenario)}". Known scenarios:\n${known}`);
    const id = entryId(entry);
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new BadInputError(`${where}: id "${id}" must be letters, digits, dots, dashes or underscores (it names a CI job and a directory).`);
    if (ids.has(id)) throw new BadInputError(`${where}: id "${id}" is used twice; give one of the entries its own id.`);
    ids.add(id);
    wholePositive(where, 'sessions', entry.sessions);
    wholePositive(where, 'runs', entry.runs);
    if (entry.seed !== undefined && !Number.isInteger(entry.seed)) throw new BadInputError(`${where}: seed is ${JSON.stringify(entry.seed)}; expected a whole number.`);
    if (entry.verdicts !== undefined && entry.verdicts !== 'gate' && entry.verdicts !== 'report-only') {
      throw new BadInputError(`${where}: verdicts is ${JSON.stringify(entry.verdicts)}; expected 'gate' or 'report-only'.`);
    }
    const budgets = [...(o.budgets ?? []), ...(entry.budgets ?? [])];
    budgets.forEach((b) => checkBudget(where, b));
    const spec = entry.target ?? o.defaultTargets?.[scenario.name];
    const target = spec === undefined ? undefined : resolveTarget(spec, o.baseDir);
    prepared.push({ id, entry, scenario, target, runs: entry.runs ?? GATE_DEFAULTS.runsPerEntry, budgets });
  });
  if (o.only && o.only.length > 0) {
    const unknown = o.only.filter((id) => !ids.has(id));
    if (unknown.length > 0) throw new BadInputError(`--only ${unknown.join(',')}: no such entry in ${o.source}. Entries: ${[...ids].join(', ')}.`);
    return prepared.filter((p) => o.only!.includes(p.id));
  }
  return prepared;
}
