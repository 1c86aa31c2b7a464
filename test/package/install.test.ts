// churnlab as a project gets it: `npm pack`, then `npm install <tarball>` into a fresh project
// from the registry and the local npm cache only, with HOME (and so puppeteer's cache) in a
// temporary directory and no PUPPETEER_SKIP_DOWNLOAD. One pack and one install serve every check,
// in the order a user meets them: import, run on a leaky plugin, init, gate on the fixed plugin, own scenario.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/core/paths.ts';

const root = mkdtempSync(join(tmpdir(), 'churnlab-install-'));
const home = join(root, 'home');
const project = join(root, 'project');
const npmCache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
const vitestVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/vitest/package.json'), 'utf8')) as { version: string })
  .version;
// Small runs of one turn per session. A leak of 8 KB per session shows in 1200 sessions (12
// samples; it must grow in both halves of them) after a short warm-up; the fixed twin reads
// +16 to +28 B per session over 2500 against the 64 B floor (3 runs), and the 300 warm-up
// sessions fill the 200-note cap before the window. The fixed twin's one run is the gate's
// (`init --sessions 2500`): a `run` of it would repeat the same 2800 sessions, and `run` exiting
// 0 on a pass is the own scenario's check.
const LEAK_RUN = ['--sessions', '1200', '--param', 'turnsPerSession=1', '--param', 'warmupSessions=50'];
const BOUNDED_SESSIONS = '2500';

/** The environment of a user's shell: our own npm and test-runner settings left out. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(PUPPETEER_|npm_|NODE_OPTIONS$|VITEST|TEST$)/i.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    npm_config_cache: npmCache,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

function sh(command: string, args: string[], cwd = project): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const npx = (...args: string[]) => sh('npx', ['churnlab', ...args]);
const lastLine = (out: string) => out.trim().split('\n').pop()!;
/** Each check spawns whole runs; on a busy machine one takes minutes. */
const RUNS_TIMEOUT_MS = 900_000;
const why = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr.slice(-4000)}`;

const LEAKY = `// Keeps 8 KB per session and forgets them only on session.deleted.
const notes = new Map();
export const NotesPlugin = async () => ({
  'chat.message': async ({ sessionID }) => { notes.set(sessionID, new Array(1024).fill(sessionID)); },
  event: async ({ event }) => { if (event.type === 'session.deleted') notes.delete(event.properties.info.id); },
});
`;
const FIXED = `// Keeps the notes of the 200 most recent sessions only.
const notes = new Map();
export const NotesPlugin = async () => ({
  'chat.message': async ({ sessionID }) => {
    notes.delete(sessionID);
    notes.set(sessionID, new Array(1024).fill(sessionID));
    if (notes.size > 200) notes.delete(notes.keys().next().value);
  },
  event: async ({ event }) => { if (event.type === 'session.deleted') notes.delete(event.properties.info.id); },
});
`;

let packed: { filename: string; files: { path: string }[] };

beforeAll(() => {
  mkdirSync(home);
  mkdirSync(project);
  // prepack builds dist/ first.
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', root], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${why(pack)}`);
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as (typeof packed)[])[0]!;
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'notes-plugin', version: '1.0.0', type: 'module', main: './plugin.js' }, null, 2),
  );
  // vitest too, the optional peer of churnlab/vitest; memlab (optional, puppeteer) is left out.
  const install = sh('npm', ['install', join(root, packed.filename), `vitest@${vitestVersion}`]);
  if (install.status !== 0) throw new Error(`npm install of the tarball failed: ${why(install)}`);
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('churnlab installed from its tarball', () => {
  it(
    'the tarball holds the compiled package, the built-in scenarios and fixtures, and no tests, benches or reports',
    () => {
      const paths = packed.files.map((f) => f.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'bin/churnlab.mjs',
          'dist/harness/index.js',
          'dist/harness/index.d.ts',
          'dist/scenarios/leak-unclean-exit.js',
          'fixtures/targets/unclean-exit/fixed.ts',
          'ci/github/churnlab-gate.yml',
        ]),
      );
      expect(paths.filter((p) => /^(test|bench|reports)\/|\.test\.|^dist\/(test|bench)\//.test(p))).toEqual([]);
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    'installs without downloading a browser: no puppeteer, no memlab, no puppeteer cache',
    () => {
      expect(existsSync(join(project, 'node_modules/churnlab/dist/harness/cli/churnlab.js'))).toBe(true);
      expect(existsSync(join(project, 'node_modules/puppeteer'))).toBe(false);
      expect(existsSync(join(project, 'node_modules/@memlab'))).toBe(false);
      expect(existsSync(join(home, '.cache', 'puppeteer'))).toBe(false);
      // memlab is an optional peer: a diagnosis without it says what to install (run.ts keeps it as a note).
      const diagnosis = sh(process.execPath, [
        '--input-type=module',
        '-e',
        `const { diagnoseCollections } = await import('./node_modules/churnlab/dist/harness/diagnose/retainers.js');
await diagnoseCollections(['leak.heapsnapshot'], []).then(() => console.log('no error'), (e) => console.log(e.message));`,
      ]);
      expect(diagnosis.stdout, why(diagnosis)).toMatch(
        /retainer paths need memlab, which is not installed .*npm install -D @memlab\/core@2\.0\.5 @memlab\/heap-analysis@2\.0\.5/,
      );
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    'churnlab, churnlab/vitest and churnlab/mock load from a plain .mjs file on Node, and type-check from TypeScript',
    () => {
      writeFileSync(
        join(project, 'imports.mjs'),
        `import { defineConfig, defineScenario, expectHeapBounded } from 'churnlab';
import { runChurn, toStayBounded } from 'churnlab/vitest';
import { createMockOpenCode } from 'churnlab/mock';
console.log([defineConfig, defineScenario, expectHeapBounded, runChurn, toStayBounded, createMockOpenCode].map((f) => typeof f).join(' '));
`,
      );
      const mjs = sh(process.execPath, ['imports.mjs']);
      expect(mjs.stdout.trim(), why(mjs)).toBe(Array(6).fill('function').join(' '));
      const dynamic = sh(process.execPath, ['-e', "import('churnlab').then((m) => console.log(typeof m.defineConfig))"]);
      expect(dynamic.stdout.trim(), why(dynamic)).toBe('function');

      writeFileSync(
        join(project, 'types.mts'),
        `import { defineConfig, defineScenario, expectCollectionsBounded, heapBytesPerUnit, type RunReport } from 'churnlab';
import type { ChurnResult } from 'churnlab/vitest';
import { createMockOpenCode, type MockOpenCode } from 'churnlab/mock';
export const config = defineConfig({ gate: { entries: [{ kind: 'scenario', scenario: 'x', budgets: [heapBytesPerUnit(64)] }] } });
export const scenario = defineScenario({
  name: 'typed', summary: 'typed', kind: 'plugin', defaultTarget: './plugin.js', unit: 'session', params: { sessions: 10, seed: 1 }, sampleEveryUnits: 1,
  async workload(run, p) { await run.churn({ sessions: p.sessions, turnsPerSession: 1, cleanEndShare: 1 }); },
  expect: [expectCollectionsBounded({ atMost: 10 })],
});
export const mock: MockOpenCode = createMockOpenCode();
export type Seen = [RunReport, ChurnResult];
// @ts-expect-error: the types are real, a wrong config key is caught.
defineConfig({ outdir: 'reports' });
`,
      );
      const tsc = sh(process.execPath, [
        join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(REPO_ROOT, 'node_modules/@types'),
        'types.mts',
      ]);
      expect(tsc.status, why(tsc)).toBe(0);
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    'npx churnlab run exits 1 on a leaky plugin, with the reports in the project',
    () => {
      writeFileSync(join(project, 'plugin.js'), LEAKY);
      const leaky = npx('run', 'leak-unclean-exit', '--target', './plugin.js', ...LEAK_RUN);
      expect(leaky.status, why(leaky)).toBe(1);
      const leakDir = lastLine(leaky.stdout);
      expect(leakDir.startsWith(join(project, 'reports', 'leak-unclean-exit'))).toBe(true);
      const report = JSON.parse(readFileSync(join(leakDir, 'report.json'), 'utf8')) as { verdict: string; target: { label: string } };
      expect(report).toMatchObject({ verdict: 'leak', target: { label: 'plugin.js' } });
      expect(existsSync(join(project, 'node_modules/churnlab/reports'))).toBe(false);
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    'npx churnlab init sets the project up without overwriting anything, and npx churnlab gate passes the fixed plugin with its config',
    () => {
      writeFileSync(join(project, 'plugin.js'), FIXED);
      writeFileSync(join(project, '.gitignore'), 'node_modules/\n');
      const init = npx('init', '--sessions', BOUNDED_SESSIONS);
      expect(init.status, why(init)).toBe(0);
      expect(init.stdout).toMatch(/target \.\/plugin\.js \(from package\.json "main"\)/);
      const config = readFileSync(join(project, 'churnlab.config.ts'), 'utf8');
      expect(config).toContain(`from 'churnlab'`);
      expect(config).toContain(`"leak-unclean-exit": "./plugin.js"`);
      // The gate jobs exec the installed bin, so a cancel's signal reaches churnlab itself.
      expect(readFileSync(join(project, '.github/workflows/churnlab.yml'), 'utf8')).toMatch(
        /npx churnlab gate --list --json[\s\S]*exec \.\/node_modules\/\.bin\/churnlab gate --only[\s\S]*npx churnlab report merge/,
      );
      expect(existsSync(join(project, 'node_modules/.bin/churnlab'))).toBe(true);
      expect(readFileSync(join(project, '.gitignore'), 'utf8')).toBe('node_modules/\nreports/\n');

      const again = npx('init', '--target', './elsewhere.js');
      expect(again.status, why(again)).toBe(0);
      expect(again.stdout).toMatch(/skipped\s+churnlab\.config\.ts \(exists/);
      expect(again.stdout).toMatch(/skipped\s+\.github\/workflows\/churnlab\.yml/);
      expect(readFileSync(join(project, 'churnlab.config.ts'), 'utf8')).toBe(config);
      expect(readFileSync(join(project, '.gitignore'), 'utf8')).toBe('node_modules/\nreports/\n');

      const gate = npx('gate');
      expect(gate.status, why(gate)).toBe(0);
      expect(lastLine(gate.stdout).startsWith(join(project, 'reports', 'gate'))).toBe(true);
      expect(existsSync(join(project, 'node_modules/churnlab/reports'))).toBe(false);
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    "a project's own TypeScript scenario, listed in its config, is listed and run",
    () => {
      mkdirSync(join(project, 'churn'));
      writeFileSync(
        join(project, 'churn/all-clean.ts'),
        `import { defineScenario, expectCollectionsBounded, type CommonParams } from 'churnlab';

interface Params extends CommonParams { warmupSessions: number }

export default defineScenario<Params>({
  name: 'notes-all-clean',
  summary: 'Sessions that all end cleanly leave no notes behind.',
  kind: 'plugin',
  defaultTarget: '../plugin.js',
  unit: 'session',
  params: { sessions: 400, seed: 1, warmupSessions: 40 },
  sampleEveryUnits: 40,
  async workload(run, p) {
    run.phase('warmup');
    await run.churn({ sessions: p.warmupSessions, turnsPerSession: 1, cleanEndShare: 1 });
    run.phase('churn');
    await run.churn({ sessions: p.sessions, turnsPerSession: 1, cleanEndShare: 1 });
  },
  expect: [expectCollectionsBounded({ atMost: 50 })],
});
`,
      );
      writeFileSync(
        join(project, 'scenarios.config.ts'),
        `import { defineConfig } from 'churnlab';
export default defineConfig({ outDir: 'my-reports', scenarios: ['./churn'] });
`,
      );
      const list = npx('list', '--config', 'scenarios.config.ts');
      expect(list.stdout, why(list)).toMatch(/^notes-all-clean\s+Sessions that all end cleanly/m);
      expect(list.stdout).toMatch(/^leak-unclean-exit\s/m);
      const run = npx('run', 'notes-all-clean', '--config', 'scenarios.config.ts');
      expect(run.status, why(run)).toBe(0);
      const dir = lastLine(run.stdout);
      expect(dir.startsWith(join(project, 'my-reports', 'notes-all-clean'))).toBe(true);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
        target: { label: string };
        workDone: { session?: number };
      };
      expect(report.target.label).toBe('plugin.js');
      expect(report.workDone.session).toBe(440);
      expect(readdirSync(join(project, 'my-reports'))).toEqual(['notes-all-clean']);
    },
    RUNS_TIMEOUT_MS,
  );
});
