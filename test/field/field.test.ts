// The field runner's own logic: which module of a published package is loaded, which scenarios a
// plugin gets, the ETA, and that docs/field.md carries a leak's retainer path and file:line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pluginEntry, installedVersion } from '../../harness/field/install.ts';
import { fieldMarkdown } from '../../harness/field/markdown.ts';
import { FIELD_PLUGINS, type FieldPlugin } from '../../harness/field/plugins.ts';
import { describeStatus, etaMs, scenariosFor, type FieldPluginResult } from '../../harness/field/run.ts';
import type { RunReport } from '../../harness/report/model.ts';

const root = mkdtempSync(join(tmpdir(), 'churnlab-field-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pkg(name: string, manifest: Record<string, unknown>): void {
  const dir = join(root, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', ...manifest }));
}

describe('field corpus', () => {
  it('pins at least 8 plugins of at least 6 kinds, each with an exact version', () => {
    expect(FIELD_PLUGINS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(FIELD_PLUGINS.map((p) => p.kind)).size).toBeGreaterThanOrEqual(6);
    for (const p of FIELD_PLUGINS) expect(p.version, p.name).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('loads the module OpenCode imports: exports import, then module, then main', () => {
    pkg('a', { exports: { '.': { types: './x.d.ts', import: './dist/a.js' } }, main: './cjs.js' });
    pkg('@s/b', { module: './esm.js', main: './cjs.js' });
    pkg('c', { main: './c.js' });
    pkg('d', { exports: './only.js' });
    expect(pluginEntry(root, 'a')).toBe(join(root, 'node_modules', 'a', 'dist', 'a.js'));
    expect(pluginEntry(root, '@s/b')).toBe(join(root, 'node_modules', '@s', 'b', 'esm.js'));
    expect(pluginEntry(root, 'c')).toBe(join(root, 'node_modules', 'c', 'c.js'));
    expect(pluginEntry(root, 'd')).toBe(join(root, 'node_modules', 'd', 'only.js'));
    expect(installedVersion(root, 'a')).toBe('1.2.3');
    expect(installedVersion(root, 'missing')).toBeUndefined();
  });

  it('runs leak-message-refetch only for plugins that read histories', () => {
    const base: FieldPlugin = { name: 'x', version: '1.0.0', kind: 'memory', about: '', readsHistory: false };
    expect(scenariosFor(base)).toEqual(['leak-unclean-exit']);
    expect(scenariosFor({ ...base, readsHistory: true })).toEqual(['leak-unclean-exit', 'leak-message-refetch']);
  });

  it('estimates what is left from the runs done, and from the cap before any', () => {
    expect(etaMs([], 3, 60_000)).toBe(180_000);
    expect(etaMs([10_000, 30_000], 2, 60_000)).toBe(40_000);
  });

  it('writes a leak with its retainer path and the allocating file:line', () => {
    const report = {
      verdict: 'leak',
      expectations: [
        {
          id: 'heap-bounded',
          description: 'used heap after GC is bounded',
          passed: false,
          verdict: 'leak',
          estimate: '+180 B per session',
          reasons: [],
          warnings: [],
        },
      ],
      topCollections: [
        {
          id: '#3',
          kind: 'Set',
          firstSize: 10,
          lastSize: 1800,
          slopePerUnit: 0.9,
          name: 'seen',
          entriesPerUnitText: '+0.9 entries per session',
        },
      ],
      diagnosis: {
        snapshots: [],
        notes: [],
        collections: [
          {
            id: '@1',
            kind: 'Set',
            found: true,
            retainerPath: ['(module scope)', 'seen'],
            retainerSummary: '(module scope) seen → Set (1 800 entries)',
            steps: [],
          },
        ],
      },
      profile: {
        status: 'profiled',
        topUserSites: [
          {
            functionName: 'remember',
            file: 'dist/index.js',
            line: 42,
            origin: 'user',
            selfBytes: 1,
            bytesPerUnit: 180,
            perUnitText: '+180 B per session',
            samples: 30,
          },
        ],
        topSites: [],
      },
    } as unknown as RunReport;
    const result: FieldPluginResult = {
      plugin: { name: 'leaky-plugin', version: '1.0.0', kind: 'memory', about: 'Keeps sessions.', readsHistory: false },
      entry: '/x',
      probe: { plugins: [{ name: 'default', hooks: ['event'], tools: [] }], skippedExports: [] },
      runs: [
        {
          plugin: { name: 'leaky-plugin', version: '1.0.0', kind: 'memory', about: '', readsHistory: false },
          scenario: 'leak-unclean-exit',
          durationMs: 61_000,
          status: { kind: 'finished', exitCode: 1 },
          report,
          stderrTail: '',
        },
      ],
    };
    const md = fieldMarkdown([result], { sessions: 100, runCapMs: 60_000, machine: 'm', date: 'd', totalMs: 61_000 });
    expect(md).toContain(
      '| leaky-plugin | 1.0.0 | memory | event; calls not counted (no coverage in the report) | leak-unclean-exit | leak (exit 1) |',
    );
    expect(md).toContain('(module scope) seen → Set (1 800 entries)');
    expect(md).toContain('`dist/index.js:42`');
  });

  it('says what a run stopped at its cap had found so far, from the report the CLI wrote on SIGTERM, never as a pass', () => {
    const capped = { kind: 'capped' as const, capMs: 360_000, reportDir: '/r' };
    const report = { verdict: 'interrupted', interrupted: { verdictSoFar: 'leak' } } as unknown as RunReport;
    expect(describeStatus(capped, report)).toBe('stopped at the 6m00s cap: leak so far (no final verdict)');
    expect(describeStatus({ kind: 'capped', capMs: 360_000 })).toBe('stopped at the 6m00s cap (no verdict)');
  });

  it('says how a corpus run was sized: a fixed --sessions, or sequential runs that stop once decided', () => {
    const fixed = fieldMarkdown([], { sessions: 1000, runCapMs: 60_000, machine: 'm', date: 'd', totalMs: 0 });
    expect(fixed).toContain('with `--sessions 1000 --profile`');
    expect(fixed).toContain('at this size a bounded plugin may still be `inconclusive`');
    const sequential = fieldMarkdown([], { runCapMs: 60_000, machine: 'm', date: 'd', totalMs: 0 });
    expect(sequential).not.toContain('--sessions');
    expect(sequential).toContain('it stops at the first look where every expectation is decided');
  });

  it("states the run's coverage: calls per hook, hooks never called with why, hook errors and Bun uses", () => {
    const plugin = { name: 'covered-plugin', version: '2.0.0', kind: 'guard' as const, about: 'Guards.', readsHistory: false };
    const report = {
      verdict: 'pass',
      expectations: [],
      topCollections: [],
      coverage: {
        kind: 'plugin',
        registered: ['event', 'permission.ask', 'tool.execute.before'],
        calls: { event: 120, 'permission.ask': 0, 'tool.execute.before': 40 },
        errors: { 'tool.execute.before': 3 },
        neverCalled: [{ hook: 'permission.ask', reason: 'the scenario asks no permission' }],
        bun: [{ api: '$', hook: 'tool.execute.before', count: 40, shimmed: false }],
        summary: '2 of 3 registered hooks called',
      },
    } as unknown as RunReport;
    const result: FieldPluginResult = {
      plugin,
      entry: '/x',
      probe: { plugins: [{ name: 'default', hooks: ['event'], tools: [] }], skippedExports: [] },
      runs: [
        { plugin, scenario: 'leak-unclean-exit', durationMs: 1_000, status: { kind: 'finished', exitCode: 0 }, report, stderrTail: '' },
      ],
    };
    const md = fieldMarkdown([result], { sessions: 100, runCapMs: 60_000, machine: 'm', date: 'd', totalMs: 1_000 });
    expect(md).toContain(
      '| 2 of 3 called: event 120, tool.execute.before 40. Never called: permission.ask (the scenario asks no permission) |',
    );
    expect(md).toContain('| hook errors: tool.execute.before 3; Bun: $ in tool.execute.before ×40 (not available) |');
  });
});
