// The built-in scenarios: every file in scenarios/ whose default export is a scenario definition.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScenarioDefinition } from './define.ts';
import { BadInputError } from './target-spec.ts';

export async function loadScenarios(dir: string): Promise<ScenarioDefinition[]> {
  const files = readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).sort();
  const defs: ScenarioDefinition[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: ScenarioDefinition };
    if (mod.default && typeof mod.default.workload === 'function') defs.push(mod.default);
  }
  return defs;
}

export async function findScenario(dir: string, name: string): Promise<ScenarioDefinition> {
  const all = await loadScenarios(dir);
  const found = all.find((s) => s.name === name);
  if (!found) {
    const known = all.map((s) => `  ${s.name.padEnd(24)} ${s.summary}`).join('\n');
    throw new BadInputError(`unknown scenario "${name}". Known scenarios:\n${known}`);
  }
  return found;
}
