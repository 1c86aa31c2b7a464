// Scenario files: every TypeScript or JavaScript file of a directory (the built-in scenarios/, a
// config's own) whose default export is a scenario definition.
import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { BUILT_IN_SCENARIOS_DIR } from '../core/paths.ts';
import { isScenario, type ScenarioDefinition } from './define.ts';
import { DECLARATION_FILE, importFile, SCRIPT_FILE } from './import-file.ts';
import { BadInputError } from './target-spec.ts';

/** The scenarios of a directory, or of one scenario file. */
export async function loadScenarios(dirOrFile: string): Promise<ScenarioDefinition[]> {
  const files = statSync(dirOrFile).isFile()
    ? [dirOrFile]
    : readdirSync(dirOrFile)
        .filter((f) => SCRIPT_FILE.test(f) && !DECLARATION_FILE.test(f))
        .sort()
        .map((f) => join(dirOrFile, f));
  const defs: ScenarioDefinition[] = [];
  for (const file of files) {
    const mod = (await importFile(file)) as { default?: unknown };
    if (isScenario(mod.default)) defs.push(ownTargetResolved(mod.default, file));
  }
  return defs;
}

export async function findScenario(dir: string, name: string): Promise<ScenarioDefinition> {
  return pickScenario(await loadScenarios(dir), name);
}

/**
 * A user's scenario names its default target relative to its own file, as an import would; the
 * built-in ones name theirs relative to churnlab's folder (the runner resolves those).
 */
function ownTargetResolved(scenario: ScenarioDefinition, file: string): ScenarioDefinition {
  const relativePath = scenario.defaultTarget.startsWith('./') || scenario.defaultTarget.startsWith('../');
  if (!relativePath || isAbsolute(scenario.defaultTarget) || resolve(dirname(file)) === resolve(BUILT_IN_SCENARIOS_DIR)) return scenario;
  return { ...scenario, defaultTarget: resolve(dirname(file), scenario.defaultTarget) };
}

/** The scenario called `name`, or bad input that lists the known ones. */
export function pickScenario(all: ScenarioDefinition[], name: string): ScenarioDefinition {
  const found = all.find((s) => s.name === name);
  if (!found) {
    const known = all.map((s) => `  ${s.name.padEnd(24)} ${s.summary}`).join('\n');
    throw new BadInputError(`unknown scenario "${name}". Known scenarios:\n${known}`);
  }
  return found;
}
