// Checking a suite before anything runs: every entry's kind, scenario, target, counts and budgets,
// with errors that name the entry and say what was expected (an unknown scenario lists the known).
import type { WorkUnit } from '../core/types.ts';
import { GATE_DEFAULTS, LOAD_DEFAULTS } from '../core/defaults.ts';
import { PROFILES } from '../load/profiles.ts';
import type { ScenarioDefinition } from '../scenario/define.ts';
import { checkParams } from '../scenario/params.ts';
import { BadInputError, resolveTarget } from '../scenario/target-spec.ts';
import {
  entryId,
  errorRate,
  LOAD_SPEED_FIGURES,
  SCENARIO_SPEED_FIGURES,
  type Budget,
  type GateSuite,
  type LoadEntry,
  type ScenarioEntry,
  type SpeedFigure,
  type SuiteEntry,
} from './suite.ts';

interface PreparedCommon {
  id: string;
  /** Absolute path or resolved package entry; undefined: the scenario's (or load profile's) own default. */
  target?: string;
  runs: number;
  budgets: Budget[];
  /** What ran, as people read it: the scenario's name, or `load-<profile>`. */
  name: string;
  summary: string;
  unit: WorkUnit;
  defaultTarget: string;
  /** Phases the verdicts judge (default: all but prime and warmup). */
  verdictPhases?: string[];
}

export type PreparedEntry = PreparedCommon &
  (
    | {
        kind: 'scenario';
        entry: ScenarioEntry;
        scenario: ScenarioDefinition;
        /** A `command` entry runs its command here: the config file's directory. */
        commandCwd?: string;
      }
    | { kind: 'load'; entry: LoadEntry }
  );

const ENTRY_KINDS = ['scenario', 'load'] as const;
const BUDGET_KINDS = [
  'heap-bytes-per-unit',
  'rss-bytes-per-unit',
  'entries-per-unit',
  'calls-per-unit',
  'p99-latency',
  'requests-per-second',
  'error-rate',
  'speed',
] as const;
/** The keys each entry kind takes: a misspelt one (`comand`) is an error, not a silently ignored option. */
const ENTRY_KEYS: Record<(typeof ENTRY_KINDS)[number], readonly string[]> = {
  scenario: ['kind', 'id', 'scenario', 'target', 'command', 'params', 'sessions', 'seed', 'runs', 'verdicts', 'budgets'],
  load: [
    'kind',
    'id',
    'target',
    'profile',
    'maxRequests',
    'durationS',
    'connections',
    'samples',
    'serviceOptions',
    'seed',
    'runs',
    'verdicts',
    'budgets',
  ],
};
/** Budgets that only a load run can report. */
const LOAD_ONLY: readonly string[] = ['p99-latency', 'requests-per-second', 'error-rate'];

function wholePositive(where: string, name: string, v: unknown): void {
  if (v !== undefined && !(Number.isInteger(v) && (v as number) > 0))
    throw new BadInputError(`${where}: ${name} is ${JSON.stringify(v)}; expected a whole number > 0.`);
}

function checkBudget(where: string, b: Budget, entryKind: 'scenario' | 'load'): void {
  const kind = (b as { kind?: unknown })?.kind;
  if (!BUDGET_KINDS.includes(kind as never)) {
    throw new BadInputError(`${where}: unknown budget kind ${JSON.stringify(kind)}; expected one of ${BUDGET_KINDS.join(', ')}.`);
  }
  const limit = (name: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new BadInputError(`${where}: ${b.kind}.${name} is ${JSON.stringify(v)}; expected a number >= 0.`);
  };
  if (entryKind === 'scenario' && LOAD_ONLY.includes(b.kind))
    throw new BadInputError(`${where}: a ${b.kind} budget needs a load entry (kind: 'load'); a scenario run measures no request latency.`);
  switch (b.kind) {
    case 'p99-latency':
      return limit('atMostMs', b.atMostMs);
    case 'requests-per-second':
      return limit('atLeast', b.atLeast);
    case 'error-rate':
      limit('atMostShare', b.atMostShare);
      if (b.atMostShare > 1)
        throw new BadInputError(`${where}: error-rate.atMostShare is ${b.atMostShare}; expected a share from 0 to 1 (0.01 = 1 %).`);
      return;
    case 'heap-bytes-per-unit':
    case 'rss-bytes-per-unit':
      return limit('atMostBytesPerUnit', b.atMostBytesPerUnit);
    case 'entries-per-unit':
      return limit('atMostEntriesPerUnit', b.atMostEntriesPerUnit);
    case 'calls-per-unit':
      if (typeof b.route !== 'string' || !b.route)
        throw new BadInputError(`${where}: calls-per-unit.route must name an OpenCode route, e.g. 'session.messages'.`);
      return limit('atMostCallsPerUnit', b.atMostCallsPerUnit);
    case 'speed': {
      const figures: readonly SpeedFigure[] = entryKind === 'load' ? LOAD_SPEED_FIGURES : SCENARIO_SPEED_FIGURES;
      if (!figures.includes(b.figure))
        throw new BadInputError(`${where}: speed figure ${JSON.stringify(b.figure)}; a ${entryKind} entry has ${figures.join(', ')}.`);
      if (b.onRegression !== undefined && b.onRegression !== 'fail' && b.onRegression !== 'warn') {
        throw new BadInputError(`${where}: speed.onRegression is ${JSON.stringify(b.onRegression)}; expected 'fail' or 'warn'.`);
      }
      if (b.minRelativeEffect !== undefined) limit('minRelativeEffect', b.minRelativeEffect);
      if (b.alpha !== undefined && !(b.alpha > 0 && b.alpha < 1))
        throw new BadInputError(`${where}: speed.alpha is ${b.alpha}; expected 0 < alpha < 1.`);
    }
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
    throw new BadInputError(
      `${o.source}: the gate suite has no entries; expected gate: { entries: [{ kind: 'scenario', scenario: '<name>' }, ...] }.`,
    );
  }
  const ids = new Set<string>();
  const prepared: PreparedEntry[] = [];
  suite.entries.forEach((entry, i) => prepared.push(prepareEntry(entry, i, ids, o)));
  if (o.only && o.only.length > 0) {
    const unknown = o.only.filter((id) => !ids.has(id));
    if (unknown.length > 0)
      throw new BadInputError(`--only ${unknown.join(',')}: no such entry in ${o.source}. Entries: ${[...ids].join(', ')}.`);
    return prepared.filter((p) => o.only!.includes(p.id));
  }
  return prepared;
}

/** What every kind of prepared entry has, once the entry's own fields are checked. */
type EntryBasics = Pick<PreparedCommon, 'id' | 'runs' | 'budgets'>;

/** Check one entry (its id added to `ids`, which must not hold it yet) and resolve what its run needs. */
function prepareEntry(entry: SuiteEntry, i: number, ids: Set<string>, o: PrepareOptions): PreparedEntry {
  const where = `${o.source}: gate entry ${i + 1}${labelSuffix(entry)}`;
  checkEntryKeys(where, entry);
  const id = claimId(where, entry, ids);
  wholePositive(where, 'runs', entry.runs);
  if (entry.seed !== undefined && !Number.isInteger(entry.seed))
    throw new BadInputError(`${where}: seed is ${JSON.stringify(entry.seed)}; expected a whole number.`);
  if (entry.verdicts !== undefined && entry.verdicts !== 'gate' && entry.verdicts !== 'report-only') {
    throw new BadInputError(`${where}: verdicts is ${JSON.stringify(entry.verdicts)}; expected 'gate' or 'report-only'.`);
  }
  const basics = { id, runs: entry.runs ?? GATE_DEFAULTS.runsPerEntry, budgets: entryBudgets(where, entry, o.budgets) };
  return entry.kind === 'load' ? prepareLoadEntry(where, entry, basics, o) : prepareScenarioEntry(where, entry, basics, o);
}

/** What names an entry in messages before its id is known: the scenario, or the load's profile. */
function labelSuffix(entry: SuiteEntry): string {
  const label =
    entry?.kind === 'load'
      ? `load ${entry.profile ?? 'daemon'}`
      : typeof (entry as ScenarioEntry)?.scenario === 'string'
        ? (entry as ScenarioEntry).scenario
        : undefined;
  return label ? ` (${label})` : '';
}

function checkEntryKeys(where: string, entry: SuiteEntry): void {
  const kind = (entry as { kind?: unknown })?.kind;
  if (!ENTRY_KINDS.includes(kind as never))
    throw new BadInputError(`${where}: unknown kind ${JSON.stringify(kind)}; expected one of ${ENTRY_KINDS.join(', ')}.`);
  const allowed = ENTRY_KEYS[entry.kind];
  const stray = Object.keys(entry).filter((k) => !allowed.includes(k));
  if (stray.length > 0)
    throw new BadInputError(
      `${where}: unknown key${stray.length > 1 ? 's' : ''} ${stray.join(', ')}; a ${entry.kind} entry takes ${allowed.join(', ')}.`,
    );
}

/** The entry's id, checked and added to the suite's ids. */
function claimId(where: string, entry: SuiteEntry, ids: Set<string>): string {
  const id = entryId(entry);
  if (!/^[A-Za-z0-9._-]+$/.test(id))
    throw new BadInputError(
      `${where}: id "${id}" must be letters, digits, dots, dashes or underscores (it names a CI job and a directory).`,
    );
  if (ids.has(id)) throw new BadInputError(`${where}: id "${id}" is used twice; give one of the entries its own id.`);
  ids.add(id);
  return id;
}

/** The config's budgets then the entry's own, checked; a load entry gets an error budget when it declares none. */
function entryBudgets(where: string, entry: SuiteEntry, configBudgets: Budget[] | undefined): Budget[] {
  const budgets = [...(configBudgets ?? []), ...(entry.budgets ?? [])];
  budgets.forEach((b) => checkBudget(where, b, entry.kind));
  if (budgets.filter((b) => b.kind === 'error-rate').length > 1)
    throw new BadInputError(`${where}: more than one error-rate budget; give one.`);
  // Errors are verdicts: a load entry that declares no error budget allows no unexpected error.
  if (entry.kind === 'load' && !budgets.some((b) => b.kind === 'error-rate')) budgets.push(errorRate(0));
  return budgets;
}

function prepareLoadEntry(where: string, entry: LoadEntry, basics: EntryBasics, o: PrepareOptions): PreparedEntry {
  if (entry.profile !== undefined && !PROFILES.includes(entry.profile))
    throw new BadInputError(`${where}: profile ${JSON.stringify(entry.profile)}; expected one of ${PROFILES.join(', ')}.`);
  wholePositive(where, 'maxRequests', entry.maxRequests);
  wholePositive(where, 'durationS', entry.durationS);
  wholePositive(where, 'connections', entry.connections);
  if (entry.samples !== undefined && !(Number.isInteger(entry.samples) && entry.samples >= 12 && entry.samples <= 1000)) {
    throw new BadInputError(
      `${where}: samples is ${JSON.stringify(entry.samples)}; expected a whole number from 12 to 1000 (the verdict needs >= 10 after warm-up).`,
    );
  }
  const profile = entry.profile ?? 'daemon';
  const defaultTarget = profile === 'opencode-api' ? LOAD_DEFAULTS.opencodeApiTarget : LOAD_DEFAULTS.target;
  const target = entry.target === undefined ? undefined : resolveTarget(entry.target, o.baseDir);
  return {
    kind: 'load',
    id: basics.id,
    entry,
    target,
    runs: basics.runs,
    budgets: basics.budgets,
    name: `load-${profile}`,
    unit: 'request',
    defaultTarget,
    summary: `npm run load (${profile} profile): autocannon with churning session ids while the harness samples memory`,
  };
}

function prepareScenarioEntry(where: string, entry: ScenarioEntry, basics: EntryBasics, o: PrepareOptions): PreparedEntry {
  const scenario = o.scenarios.find((s) => s.name === entry.scenario);
  if (!scenario) {
    const known = o.scenarios.map((s) => `  ${s.name.padEnd(24)} ${s.summary}`).join('\n');
    throw new BadInputError(`${where}: unknown scenario "${String(entry.scenario)}". Known scenarios:\n${known}`);
  }
  wholePositive(where, 'sessions', entry.sessions);
  if (entry.params !== undefined) checkParams(entry.params, scenario.params as unknown as Record<string, unknown>, scenario.name, where);
  if (entry.command !== undefined) checkCommandEntry(where, entry, scenario);
  const spec = entry.command !== undefined ? undefined : (entry.target ?? o.defaultTargets?.[scenario.name]);
  const target = spec === undefined ? undefined : resolveTarget(spec, o.baseDir);
  return {
    kind: 'scenario',
    id: basics.id,
    entry,
    scenario,
    target,
    runs: basics.runs,
    budgets: basics.budgets,
    name: scenario.name,
    summary: scenario.summary,
    unit: scenario.unit,
    ...(entry.command !== undefined ? { commandCwd: o.baseDir } : {}),
    defaultTarget: scenario.defaultTarget,
    ...(scenario.verdictPhases ? { verdictPhases: scenario.verdictPhases } : {}),
  };
}

/** A `command` entry: a service scenario, no target beside it, no budget only an inspector could measure. */
function checkCommandEntry(where: string, entry: ScenarioEntry, scenario: ScenarioDefinition): void {
  if (typeof entry.command !== 'string' || !entry.command.trim())
    throw new BadInputError(
      `${where}: command is ${JSON.stringify(entry.command)}; expected the command line that starts the service, e.g. 'python3 daemon.py'.`,
    );
  if (scenario.kind !== 'service')
    throw new BadInputError(
      `${where}: command runs a service, but ${scenario.name} drives a ${scenario.kind} target; give target: '<path>' instead.`,
    );
  if (entry.target !== undefined) throw new BadInputError(`${where}: command and target name the target twice; give one of them.`);
  // What only the inspector of a Node target can measure, declared on this entry, can never be judged.
  const blind = (entry.budgets ?? []).find((b) => b.kind === 'heap-bytes-per-unit' || b.kind === 'entries-per-unit');
  if (blind)
    throw new BadInputError(
      `${where}: a command target is seen from /proc only, so a ${blind.kind} budget cannot be measured; hold it to rss-bytes-per-unit.`,
    );
}
