// `churnlab init [--target <path|package>] [--scenario <name>] [--sessions N]`: sets a project up
// to run churnlab before merging and in CI. Writes churnlab.config.ts (its target, one gate
// entry), .github/workflows/churnlab.yml (the gate as matrix jobs and a merged report) and a
// .gitignore entry for reports/. An existing file is never overwritten: it is skipped, and the
// output says so. Exit 0 when done, 3 when no target was given or found.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CLI_DEFAULTS } from '../core/defaults.ts';
import { PACKAGE_ROOT } from '../core/paths.ts';
import { BadInputError } from '../scenario/target-spec.ts';
import { isEntry, parseCli, runCli } from './entry.ts';

const USAGE = `usage: churnlab init [--target <path|package>] [--scenario <name>] [--sessions N]
  --target    your plugin (default: package.json "exports" or "main")
  --scenario  the gate's scenario (default leak-unclean-exit; churnlab list shows them all)
  --sessions  sessions of the gate's churn phase (default: the scenario's own)
Writes churnlab.config.ts, .github/workflows/churnlab.yml and a .gitignore entry; never overwrites a file.`;

export const INIT_FILES = { config: 'churnlab.config.ts', workflow: '.github/workflows/churnlab.yml', gitignore: '.gitignore' } as const;
/** The workflow template shipped in the package (also documented in docs/ci.md). */
const WORKFLOW_TEMPLATE = join(PACKAGE_ROOT, 'ci', 'github', 'churnlab-gate.yml');
const REPORTS_ENTRY = 'reports/';

/** The first file path a package.json `exports` value names (conditions in their order). */
function exportsEntry(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(exportsEntry).find(Boolean);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('.' in record) return exportsEntry(record['.']);
    for (const key of ['import', 'node', 'default', 'require']) {
      const found = key in record ? exportsEntry(record[key]) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** The project's own module by its package.json: `exports` ('.'), else `main`. */
export function detectTarget(dir: string): { target: string; from: string } | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  let pkg: { exports?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg;
  } catch (e) {
    throw new BadInputError(`${file}: not valid JSON (${(e as Error).message}); pass --target <path>.`);
  }
  const fromExports = exportsEntry(pkg.exports);
  if (fromExports) return { target: fromExports, from: 'package.json "exports"' };
  if (typeof pkg.main === 'string' && pkg.main)
    return { target: pkg.main.startsWith('.') ? pkg.main : `./${pkg.main}`, from: 'package.json "main"' };
  return undefined;
}

export function configSource(o: { target: string; scenario: string; sessions?: number }): string {
  const sessions = o.sessions === undefined ? '' : `\n      sessions: ${o.sessions},`;
  return `// churnlab: \`npx churnlab run ${o.scenario}\` runs against the target below; \`npx churnlab gate\`
// runs the gate suite (CI: .github/workflows/churnlab.yml). Reports go to outDir.
import { defineConfig } from 'churnlab';

export default defineConfig({
  outDir: 'reports',
  targets: {
    ${JSON.stringify(o.scenario)}: ${JSON.stringify(o.target)},
  },
  // Your own scenarios (.ts or .js files, or directories of them): scenarios: ['./churn'],
  gate: {
    entries: [
      {
        kind: 'scenario',
        scenario: ${JSON.stringify(o.scenario)},${sessions}
        // Budgets on the run's figures, on top of the scenario's own verdicts, e.g.
        // budgets: [heapBytesPerUnit(256), entriesPerUnit(0.05)] (import them from 'churnlab').
      },
    ],
  },
});
`;
}

type Outcome = { file: string; status: 'written' | 'skipped' | 'appended' | 'present'; why?: string };

function writeNew(root: string, file: string, content: string): Outcome {
  const path = join(root, file);
  if (existsSync(path)) return { file, status: 'skipped', why: 'exists, left as it is' };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return { file, status: 'written' };
}

function addGitignoreEntry(root: string): Outcome {
  const path = join(root, INIT_FILES.gitignore);
  if (!existsSync(path)) return writeNew(root, INIT_FILES.gitignore, `${REPORTS_ENTRY}\n`);
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.some((l) => l === REPORTS_ENTRY || l === 'reports' || l === '/reports' || l === '/reports/'))
    return { file: INIT_FILES.gitignore, status: 'present', why: 'already ignores reports/' };
  appendFileSync(path, `${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}${REPORTS_ENTRY}\n`);
  return { file: INIT_FILES.gitignore, status: 'appended', why: REPORTS_ENTRY };
}

export async function main(argv: string[]): Promise<number> {
  const args = parseCli(
    {
      args: argv,
      allowPositionals: false,
      options: {
        target: { type: 'string' },
        scenario: { type: 'string' },
        sessions: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
  );
  if (!args) return 0;
  const root = process.cwd();
  const sessions = args.values.sessions === undefined ? undefined : Number(args.values.sessions);
  if (sessions !== undefined && !(Number.isInteger(sessions) && sessions > 0))
    throw new BadInputError(`--sessions ${args.values.sessions}: expected a whole number > 0`);
  const detected = args.values.target ? { target: args.values.target, from: '--target' } : detectTarget(root);
  if (!detected)
    throw new BadInputError(
      `no target: ${join(root, 'package.json')} names no "exports" or "main"; pass --target <path to your plugin>.\n${USAGE}`,
    );
  const outcomes = [
    writeNew(
      root,
      INIT_FILES.config,
      configSource({ target: detected.target, scenario: args.values.scenario ?? CLI_DEFAULTS.scenario, sessions }),
    ),
    writeNew(root, INIT_FILES.workflow, readFileSync(WORKFLOW_TEMPLATE, 'utf8')),
    addGitignoreEntry(root),
  ];
  process.stdout.write(`churnlab init: target ${detected.target} (from ${detected.from})\n`);
  for (const o of outcomes)
    process.stdout.write(`  ${o.status.padEnd(8)} ${relative(root, join(root, o.file))}${o.why ? ` (${o.why})` : ''}\n`);
  if (!existsSync(join(root, detected.target)) && detected.target.startsWith('.')) {
    process.stdout.write(`note: ${detected.target} does not exist yet; build it, or edit targets in ${INIT_FILES.config}.\n`);
  }
  process.stdout.write('next: npx churnlab run ' + (args.values.scenario ?? CLI_DEFAULTS.scenario) + ', then npx churnlab gate\n');
  return 0;
}

if (isEntry(import.meta.url)) runCli(main, 'churnlab init');
