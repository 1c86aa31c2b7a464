// Finding and loading churnlab.config.*: walked up from the working directory like vitest's,
// --config overrides, paths resolve from the config file, and every mistake is named.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig } from '../../harness/config/find.ts';
import { configScenarios, loadConfig, loadConfigFile, resolveConfig, scenarioDefaults } from '../../harness/config/load.ts';
import { prepareSuite } from '../../harness/gate/prepare.ts';
import { entriesPerUnit, throughput, type GateSuite } from '../../harness/gate/suite.ts';
import { REPO_ROOT } from '../../harness/core/paths.ts';
import { BadInputError } from '../../harness/scenario/target-spec.ts';

const DEFINE = join(REPO_ROOT, 'harness/config/define.ts');
const tmp = () => mkdtempSync(join(tmpdir(), 'churnlab-config-'));

function writeConfig(dir: string, body: string, name = 'churnlab.config.ts'): string {
  const file = join(dir, name);
  writeFileSync(file, `import { defineConfig } from ${JSON.stringify(DEFINE)};\nexport default defineConfig(${body});\n`);
  return file;
}

describe('finding the config', () => {
  it('walks up from a nested directory to the nearest churnlab.config.*', () => {
    const root = tmp();
    const nested = join(root, 'a', 'b', 'c');
    mkdirSync(nested, { recursive: true });
    const file = writeConfig(root, '{}');
    expect(findConfig(nested)).toBe(file);
  });

  it('prefers .ts over .mjs in the same directory, and the nearest directory over a farther one', () => {
    const root = tmp();
    writeConfig(root, '{}', 'churnlab.config.mjs');
    const ts = writeConfig(root, '{}');
    expect(findConfig(root)).toBe(ts);
    const inner = join(root, 'pkg');
    mkdirSync(inner);
    const near = writeConfig(inner, '{}', 'churnlab.config.mjs');
    expect(findConfig(inner)).toBe(near);
  });

  it('finds nothing where no directory up to the root has one, and the defaults apply', async () => {
    const empty = tmp();
    expect(findConfig(empty)).toBeUndefined();
    const config = await loadConfig({ cwd: empty });
    expect(config.file).toBeUndefined();
    expect(config.gate).toBeUndefined();
  });

  it("finds the repository's own config from the repository root", () => {
    expect(findConfig(REPO_ROOT)).toBe(join(REPO_ROOT, 'churnlab.config.ts'));
  });
});

describe('loading the config', () => {
  it('resolves outDir, targets and the baseline from the config file, not the working directory', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'plugins'));
    writeFileSync(join(dir, 'plugins', 'mine.ts'), 'export const P = async () => ({});\n');
    const file = writeConfig(
      dir,
      `{ outDir: 'out', targets: { 'leak-unclean-exit': './plugins/mine.ts' }, gate: { baseline: 'speed.json', entries: [] } }`,
    );
    const config = await loadConfig({ configFile: file, cwd: REPO_ROOT });
    expect(config.outDir).toBe(join(dir, 'out'));
    expect(config.baselineFile).toBe(join(dir, 'speed.json'));
    expect(scenarioDefaults(config, 'leak-unclean-exit')).toEqual({ outRoot: join(dir, 'out'), target: join(dir, 'plugins', 'mine.ts') });
    expect(scenarioDefaults(config, 'selfcheck-control')).toEqual({ outRoot: join(dir, 'out') });
  });

  it('--config naming a missing file says which file and what was expected', async () => {
    await expect(loadConfigFile('/no/such/churnlab.config.ts')).rejects.toThrow(
      /--config \/no\/such\/churnlab\.config\.ts: no such file.*Expected a churnlab config/,
    );
  });

  it('an unknown key (a typo) is named with the keys that exist', () => {
    expect(() => resolveConfig({ outdir: 'x' } as never, '/x/churnlab.config.ts')).toThrow(
      /unknown key outdir; expected outDir, scenarios, targets, budgets, gate/,
    );
  });

  it('a target that does not exist is named with its scenario', () => {
    expect(() => resolveConfig({ targets: { 'leak-unclean-exit': './nope.ts' } }, join(tmp(), 'churnlab.config.ts'))).toThrow(
      /targets\["leak-unclean-exit"\]: --target \.\/nope\.ts: no such file/,
    );
  });
});

describe('checking a gate suite before it runs', () => {
  const prepare = async (suite: GateSuite, only?: string[]) => {
    const config = resolveConfig({}, join(REPO_ROOT, 'churnlab.config.ts'));
    return prepareSuite(suite, { source: 'test.config.ts', baseDir: REPO_ROOT, scenarios: await configScenarios(config), only });
  };

  it('an unknown scenario lists the known ones', async () => {
    await expect(prepare({ entries: [{ kind: 'scenario', scenario: 'leak-uncleanexit' }] })).rejects.toThrow(
      /unknown scenario "leak-uncleanexit"\. Known scenarios:\n.*leak-unclean-exit\s+Sessions that end/s,
    );
  });

  it('an unknown entry kind, a duplicate id, a bad run count and an unknown budget are each named', async () => {
    await expect(prepare({ entries: [{ kind: 'soak', scenario: 'x' } as never] })).rejects.toThrow(
      /gate entry 1 \(x\): unknown kind "soak"; expected one of scenario, load/,
    );
    await expect(
      prepare({
        entries: [
          { kind: 'scenario', scenario: 'selfcheck-control' },
          { kind: 'scenario', scenario: 'selfcheck-control' },
        ],
      }),
    ).rejects.toThrow(/id "selfcheck-control" is used twice/);
    await expect(prepare({ entries: [{ kind: 'scenario', scenario: 'selfcheck-control', runs: 0 }] })).rejects.toThrow(
      /runs is 0; expected a whole number > 0/,
    );
    await expect(
      prepare({ entries: [{ kind: 'scenario', scenario: 'selfcheck-control', budgets: [{ kind: 'rss' } as never] }] }),
    ).rejects.toThrow(
      /unknown budget kind "rss"; expected one of heap-bytes-per-unit, rss-bytes-per-unit, entries-per-unit, calls-per-unit, p99-latency, requests-per-second, error-rate, speed/,
    );
    await expect(
      prepare({ entries: [{ kind: 'scenario', scenario: 'selfcheck-control', budgets: [entriesPerUnit(-1)] }] }),
    ).rejects.toThrow(/atMostEntriesPerUnit is -1; expected a number >= 0/);
  });

  it('--only keeps the named entries and rejects an unknown id with the list of ids', async () => {
    const suite: GateSuite = {
      entries: [
        { kind: 'scenario', id: 'control', scenario: 'selfcheck-control', budgets: [throughput()] },
        { kind: 'scenario', id: 'planted', scenario: 'selfcheck-planted-leak', runs: 3 },
      ],
    };
    const only = await prepare(suite, ['planted']);
    expect(only.map((e) => [e.id, e.runs])).toEqual([['planted', 3]]);
    await expect(prepare(suite, ['contrl'])).rejects.toThrow(
      /--only contrl: no such entry in test\.config\.ts\. Entries: control, planted/,
    );
    await expect(prepare(suite, ['contrl'])).rejects.toBeInstanceOf(BadInputError);
  });

  it("the repository's own suite is valid: every entry resolves to a scenario and a target", async () => {
    const config = await loadConfig({ cwd: REPO_ROOT });
    const entries = prepareSuite(config.gate!, { source: config.file!, baseDir: config.dir, scenarios: await configScenarios(config) });
    expect(entries.length).toBeGreaterThanOrEqual(5);
    // Scenario entries name their fixed reference target; the load entry uses the load's default (the fixed daemon).
    for (const e of entries) expect(e.target ?? e.defaultTarget).toMatch(/fixtures\/targets\/.*\/fixed\.ts$/);
  });
});
