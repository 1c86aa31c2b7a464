// A gate suite: which scenarios run, on which targets, held against which budgets. Entries and
// budgets are discriminated unions so new kinds (load entries with p99 latency and request
// throughput) slot in next to `kind: 'scenario'` without touching the ones that exist.
import type { WorkUnit } from '../core/types.ts';
import type { ProfileName } from '../load/profiles.ts';

/** Memory budgets are absolute: a figure of the run against a ceiling, no baseline needed. */
export type MemoryBudget =
  | {
      kind: 'heap-bytes-per-unit';
      /** Ceiling on used heap growth per unit of work (post-GC, net of code), e.g. 64 B per session. */
      atMostBytesPerUnit: number;
    }
  | {
      kind: 'rss-bytes-per-unit';
      /**
       * Ceiling on resident memory growth per unit (RSS of the process tree), as judged for a
       * `command` entry (a service in any language, seen from /proc only).
       */
      atMostBytesPerUnit: number;
    }
  | {
      kind: 'entries-per-unit';
      /** Ceiling on the growth of the fastest-growing Map/Set (or the named one), in entries per unit. */
      atMostEntriesPerUnit: number;
      /** A collection's variable name ("continuityInjected"); default: every collection the census followed. */
      collection?: string;
    }
  | {
      kind: 'calls-per-unit';
      /** OpenCode route (operationId), e.g. 'session.messages'; read from the mock's accounting counters. */
      route: string;
      /** The unit the rate is per, e.g. 'tool call'. */
      per: WorkUnit;
      atMostCallsPerUnit: number;
    };

/** Load budgets are absolute too: what autocannon measured over the whole load of one run. */
export type LoadBudget =
  | {
      kind: 'p99-latency';
      /** Ceiling on the 99th percentile of request latency, ms. */
      atMostMs: number;
    }
  | {
      kind: 'requests-per-second';
      /** Floor on the mean request throughput of the measured load. */
      atLeast: number;
    }
  | {
      kind: 'error-rate';
      /**
       * Ceiling on the share of requests that failed unexpectedly (a non-2xx answer the profile did
       * not plan, a timeout, a reset), warm-up included. Every load entry has one: errorRate(0)
       * unless it declares its own.
       */
      atMostShare: number;
    };

/** What a speed regression does to the gate: fail it, or only warn (the default, see docs/ci.md). */
export type OnSpeedRegression = 'fail' | 'warn';

/** Speed figures: a scenario run yields throughput (units/s); a load run p99 latency and requests/s. */
export type SpeedFigure = 'throughput' | 'p99LatencyMs' | 'requestsPerSecond';
export const SCENARIO_SPEED_FIGURES: readonly SpeedFigure[] = ['throughput'];
export const LOAD_SPEED_FIGURES: readonly SpeedFigure[] = ['p99LatencyMs', 'requestsPerSecond'];

/** A speed figure compared with the stored baseline (harness/compare: three-valued). */
export interface SpeedBudget {
  kind: 'speed';
  figure: SpeedFigure;
  /** Default 'warn': shared CI runners are noisy and the baseline may come from another machine. */
  onRegression?: OnSpeedRegression;
  /** Smallest relative change that matters (default 0.1 = 10 %). */
  minRelativeEffect?: number;
  /** Significance level of the rank test (default 0.01). */
  alpha?: number;
}

export type Budget = MemoryBudget | LoadBudget | SpeedBudget;

export interface ScenarioEntry {
  kind: 'scenario';
  /** Unique in the suite, what `--only` takes; default: the scenario's name. */
  id?: string;
  /** A scenario name (`npm run scenario -- --list`). */
  scenario: string;
  /** Path (relative to the config file) or package name; default: the config's or the scenario's. */
  target?: string;
  /**
   * Instead of `target`, for a service scenario: the service as a plain command in any language
   * (`--command`), started in the config file's directory and observed by its RSS from /proc.
   */
  command?: string;
  /** Scenario parameters (`--param name=value`): names of the scenario's own, values of their default's type. */
  params?: Record<string, number | string | boolean>;
  /** Units of the main churn phase; default: the scenario's own. */
  sessions?: number;
  seed?: number;
  /** Independent runs of this entry (speed figures need several; default 1). */
  runs?: number;
  /**
   * 'gate' (default): the scenario's own expectations decide (a leak fails the gate).
   * 'report-only': shown but not judged, so only budgets and speed decide; errors still fail.
   */
  verdicts?: 'gate' | 'report-only';
  budgets?: Budget[];
}

/**
 * `npm run load` as a gate entry: autocannon on a service target's hooks (or the OpenCode API)
 * while the harness samples its memory. Memory budgets are per request; load budgets and the
 * p99LatencyMs / requestsPerSecond speed figures come from the load's totals.
 */
export interface LoadEntry {
  kind: 'load';
  /** Unique in the suite; default `load-<profile>`. */
  id?: string;
  /** Service module (relative to the config file) or package; default: the profile's. */
  target?: string;
  /** 'daemon' (default), 'hooks' or 'opencode-api' (harness/load/profiles.ts). */
  profile?: ProfileName;
  /** Caps of the measured load (both hold, whichever comes first); defaults in harness/core/defaults.ts. */
  maxRequests?: number;
  durationS?: number;
  connections?: number;
  /** Samples over the measured load (default in harness/core/defaults.ts); more of them narrow the verdict on a Map that rises and falls with its TTL. */
  samples?: number;
  /** Handed to the service's start() (TTLs, caps). */
  serviceOptions?: Record<string, unknown>;
  seed?: number;
  runs?: number;
  verdicts?: 'gate' | 'report-only';
  budgets?: Budget[];
}

/** Every kind of suite entry. */
export type SuiteEntry = ScenarioEntry | LoadEntry;

export interface GateSuite {
  entries: SuiteEntry[];
  /** Stored speed baseline, relative to the config file (default 'ci/baseline.json'). */
  baseline?: string;
}

export const entryId = (e: SuiteEntry): string => e.id ?? (e.kind === 'load' ? `load-${e.profile ?? 'daemon'}` : e.scenario);

// Constructors, so a config reads like the budget it declares.
export const heapBytesPerUnit = (atMostBytesPerUnit: number): MemoryBudget => ({ kind: 'heap-bytes-per-unit', atMostBytesPerUnit });
export const rssBytesPerUnit = (atMostBytesPerUnit: number): MemoryBudget => ({ kind: 'rss-bytes-per-unit', atMostBytesPerUnit });
export const entriesPerUnit = (atMostEntriesPerUnit: number, collection?: string): MemoryBudget => ({
  kind: 'entries-per-unit',
  atMostEntriesPerUnit,
  ...(collection ? { collection } : {}),
});
export const callsPerUnit = (route: string, per: WorkUnit, atMostCallsPerUnit: number): MemoryBudget => ({
  kind: 'calls-per-unit',
  route,
  per,
  atMostCallsPerUnit,
});
export const p99LatencyMs = (atMostMs: number): LoadBudget => ({ kind: 'p99-latency', atMostMs });
export const requestsPerSecond = (atLeast: number): LoadBudget => ({ kind: 'requests-per-second', atLeast });
/** At most this share of a load's requests may fail unexpectedly (default 0: none). */
export const errorRate = (atMostShare = 0): LoadBudget => ({ kind: 'error-rate', atMostShare });
export const throughput = (options: Omit<SpeedBudget, 'kind' | 'figure'> = {}): SpeedBudget => ({
  kind: 'speed',
  figure: 'throughput',
  ...options,
});
/** A speed budget on a load figure (against the baseline): p99 latency or requests per second. */
export const loadSpeed = (
  figure: 'p99LatencyMs' | 'requestsPerSecond',
  options: Omit<SpeedBudget, 'kind' | 'figure'> = {},
): SpeedBudget => ({ kind: 'speed', figure, ...options });
