// Loading a config file and resolving it: absolute paths, targets checked, the scenario set
// (built-in plus the config's directories). Bad input names the file and the key.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import type { Budget, GateSuite } from '../gate/suite.ts';
import type { ScenarioDefinition } from '../scenario/define.ts';
import { loadScenarios } from '../scenario/registry.ts';
import { BUILT_IN_SCENARIOS_DIR } from '../core/paths.ts';
import { importFile } from '../scenario/import-file.ts';
import { BadInputError, resolveTarget } from '../scenario/target-spec.ts';
import { CONFIG_KEYS, type ChurnlabConfig } from './define.ts';
import { CONFIG_NAMES, findConfig } from './find.ts';

export interface LoadedConfig {
  /** The config file, absent when none was found (defaults apply). */
  file?: string;
  /** Relative paths of the config resolve from here. */
  dir: string;
  outDir: string;
  scenarioDirs: string[];
  /** Scenario name -> absolute path or resolved package entry. */
  targets: Record<string, string>;
  budgets: Budget[];
  gate?: GateSuite;
  baselineFile: string;
}

export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new BadInputError(
      `--config ${file}: no such file (looked for ${path}). Expected a churnlab config (${CONFIG_NAMES.join(', ')}).`,
    );
  }
  let mod: { default?: unknown };
  try {
    mod = await importFile(path);
  } catch (e) {
    throw new BadInputError(`${path}: the config failed to load: ${(e as Error).message}`);
  }
  const config = mod.default;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new BadInputError(
      `${path}: expected a default export of defineConfig({ ... }), got ${config === null ? 'null' : typeof config}.`,
    );
  }
  return resolveConfig(config as ChurnlabConfig, path);
}

/** The config found from `cwd` (or named by --config), or the defaults when there is none. */
export async function loadConfig(options: { configFile?: string; cwd?: string } = {}): Promise<LoadedConfig> {
  const file = options.configFile ?? findConfig(options.cwd ?? process.cwd());
  if (file) return loadConfigFile(file);
  return resolveConfig({}, undefined);
}

export function resolveConfig(config: ChurnlabConfig, file: string | undefined): LoadedConfig {
  const where = file ?? 'config';
  const unknown = Object.keys(config).filter((k) => !CONFIG_KEYS.includes(k as never));
  if (unknown.length > 0)
    throw new BadInputError(
      `${where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; expected ${CONFIG_KEYS.join(', ')}.`,
    );
  const dir = file ? dirname(file) : process.cwd();
  const abs = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  if (config.outDir !== undefined && typeof config.outDir !== 'string')
    throw new BadInputError(`${where}: outDir must be a path (string).`);
  if (config.scenarios !== undefined && !(Array.isArray(config.scenarios) && config.scenarios.every((s) => typeof s === 'string'))) {
    throw new BadInputError(`${where}: scenarios must be an array of paths (directories or scenario files).`);
  }
  for (const d of config.scenarios ?? []) {
    if (!existsSync(abs(d)))
      throw new BadInputError(`${where}: scenarios: ${d} is neither a directory nor a scenario file (looked for ${abs(d)}).`);
  }
  if (config.budgets !== undefined && !Array.isArray(config.budgets))
    throw new BadInputError(`${where}: budgets must be an array of budgets.`);
  const targets: Record<string, string> = {};
  for (const [name, spec] of Object.entries(config.targets ?? {})) {
    if (typeof spec !== 'string') throw new BadInputError(`${where}: targets["${name}"] must be a path or a package name.`);
    try {
      targets[name] = resolveTarget(spec, dir);
    } catch (e) {
      throw new BadInputError(`${where}: targets["${name}"]: ${(e as Error).message}`);
    }
  }
  const builtIn = BUILT_IN_SCENARIOS_DIR;
  const scenarioDirs = [builtIn, ...(config.scenarios ?? []).map(abs).filter((d) => resolve(d) !== resolve(builtIn))];
  return {
    ...(file ? { file } : {}),
    dir,
    outDir: abs(config.outDir ?? GATE_DEFAULTS.outDir),
    scenarioDirs,
    targets,
    budgets: config.budgets ?? [],
    ...(config.gate ? { gate: config.gate } : {}),
    baselineFile: abs(config.gate?.baseline ?? GATE_DEFAULTS.baselinePath),
  };
}

/** Every scenario the config can name: built-in first; a name defined twice is an error. */
export async function configScenarios(config: LoadedConfig): Promise<ScenarioDefinition[]> {
  const all: ScenarioDefinition[] = [];
  const from = new Map<string, string>();
  for (const dir of config.scenarioDirs) {
    for (const s of await loadScenarios(dir)) {
      const seen = from.get(s.name);
      if (seen) throw new BadInputError(`scenario "${s.name}" is defined in ${seen} and in ${dir}; scenario names must be unique.`);
      from.set(s.name, dir);
      all.push(s);
    }
  }
  return all;
}

/** What `npm run scenario` takes from the config: the reports root and the scenario's default target. */
export function scenarioDefaults(config: LoadedConfig, scenario: string): { outRoot: string; target?: string } {
  return { outRoot: config.outDir, ...(config.targets[scenario] ? { target: config.targets[scenario] } : {}) };
}
