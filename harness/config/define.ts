// churnlab.config.ts: what a project declares once (targets, scenarios, budgets, where reports
// go, the gate suite), found like vitest's config. Paths are relative to the config file.
import type { Budget, GateSuite } from '../gate/suite.ts';

export interface ChurnlabConfig {
  /** Root of reports/<scenario>/<run-id>/ and reports/gate/<run-id>/ (default 'reports'). */
  outDir?: string;
  /** Scenario files (default export defineScenario, .ts or .js) or directories of them, on top of the built-in ones. */
  scenarios?: string[];
  /** Default target per scenario name: a path or a package name, used when no --target is given. */
  targets?: Record<string, string>;
  /** Budgets every gate entry is held to, before its own. */
  budgets?: Budget[];
  /** What `npm run gate` runs. */
  gate?: GateSuite;
}

/** Typed identity: lets an editor check the config as it is written. */
export function defineConfig(config: ChurnlabConfig): ChurnlabConfig {
  return config;
}

export const CONFIG_KEYS = ['outDir', 'scenarios', 'targets', 'budgets', 'gate'] as const;
