// The coverage section and what it does to a verdict: nothing exercised never passes.
import { describe, expect, it } from 'vitest';
import { coverageVerdict } from '../../harness/core/outcome.ts';
import { pluginCoverage, serviceCoverage, type RunShape } from '../../harness/scenario/coverage.ts';
import { routeOf } from '../../harness/host/request-counter.ts';
import { registeredHooks } from '../../harness/host/hook-catalog.ts';
import { formatVerdictTable } from '../../harness/report/terminal.ts';
import { renderSummaryMd } from '../../harness/report/summary-md.ts';
import type { RunReport } from '../../harness/report/model.ts';

const shape: RunShape = {
  commandShare: 0,
  permissionShare: 0.1,
  compactionShare: 0.05,
  untitledShare: 0.5,
  toolCallsPerMessage: 2,
  opencode: 'mock',
};

describe('plugin coverage', () => {
  it('lists registered hooks with calls, and names the ones never called with why', () => {
    const c = pluginCoverage(
      {
        registered: ['chat.message', 'command.execute.before', 'session.idle'],
        calls: { 'chat.message': 40 },
        errors: { 'event:session.idle': 2, 'chat.message': 1 },
        bun: [],
      },
      shape,
    );
    expect(c.calls).toEqual({ 'chat.message': 40, 'command.execute.before': 0, 'session.idle': 0 });
    expect(c.errors).toEqual({ event: 2, 'chat.message': 1 });
    expect(c.neverCalled.map((n) => n.hook)).toEqual(['command.execute.before', 'session.idle']);
    expect(c.neverCalled[0]!.reason).toMatch(/no slash commands \(commandShare=0\)/);
    expect(c.neverCalled[1]!.reason).toMatch(
      /not a hook OpenCode 1\.18\.33 calls: session\.idle is an event type, delivered through the `event` hook/,
    );
    expect(c.summary).toBe('1 of 3 registered hooks called; never called: command.execute.before, session.idle');
    expect(c.warnings?.join(' ')).toMatch(/never called.*command\.execute\.before/);
    expect(coverageVerdict('pass', c)).toBe('pass');
  });

  it('turns a pass into inconclusive when no registered hook was called, naming them', () => {
    const c = pluginCoverage({ registered: ['session.idle'], calls: {}, errors: {}, bun: [] }, shape);
    expect(coverageVerdict('pass', c)).toBe('inconclusive');
    expect(c.warnings?.[0]).toMatch(/No registered hook was called \(session\.idle/);
    // A leak found anyway (module-level state) stands.
    expect(coverageVerdict('leak', c)).toBe('leak');
  });

  it('says a plugin that registered no hooks tested nothing, and never passes it', () => {
    const c = pluginCoverage({ registered: [], calls: {}, errors: {}, bun: [] }, shape);
    expect(c.summary).toMatch(/registered no hooks/);
    expect(coverageVerdict('pass', c)).toBe('inconclusive');
  });

  it('warns that Bun-only paths are not covered, and notes the shims that ran', () => {
    const c = pluginCoverage(
      {
        registered: ['chat.message'],
        calls: { 'chat.message': 3 },
        errors: {},
        bun: [
          { api: '$', hook: 'tool.execute.after', count: 3, shimmed: false },
          { api: 'Bun.file', hook: 'chat.message', count: 3, shimmed: true },
        ],
      },
      shape,
    );
    expect(c.warnings?.join(' ')).toMatch(/\$ in tool\.execute\.after x3.*does not cover/);
    expect(c.notes?.join(' ')).toMatch(/shims.*Bun\.file/);
  });

  it('counts only functions as registered hooks, and leaves out config, tool, auth, provider, dispose', () => {
    expect(
      registeredHooks([
        { 'chat.params': async () => {}, config: async () => {}, tool: {}, dispose: async () => {} },
        { event: async () => {}, 'tool.definition': 'x' as never },
      ]),
    ).toEqual(['event', 'chat.params']);
  });

  it('appears in the terminal table and in summary.md', () => {
    const coverage = pluginCoverage({ registered: ['session.idle'], calls: {}, errors: {}, bun: [] }, shape);
    const report = {
      verdict: 'inconclusive',
      scenario: { name: 's', summary: '', params: {} },
      target: { label: 't', spec: 't', kind: 'plugin' },
      expectations: [],
      coverage,
      topCollections: [],
      timing: { samples: 0, durationMs: 0, startedAt: '', meanSampleCostMs: 0 },
      workDone: {},
      unit: 'session',
      exitCode: 2,
      runId: 'r',
      createdAt: '',
      machine: { node: '', platform: '', arch: '', cpus: 1, cpuModel: '', totalMemBytes: 0 },
      files: { samples: 'a', report: 'b', summary: 'c', html: 'd' },
    } as unknown as RunReport;
    expect(formatVerdictTable(report)).toMatch(/coverage: none of the 1 registered hooks was called: session\.idle/);
    expect(renderSummaryMd(report)).toMatch(/### Coverage[\s\S]*\| `session\.idle` \| 0 \| 0 \| not a hook/);
    const unknown = pluginCoverage({ registered: ['chat.system'], calls: {}, errors: {}, bun: [] }, shape);
    expect(unknown.neverCalled[0]!.reason).toBe('not a hook OpenCode 1.18.33 calls (not among the Hooks of @opencode-ai/plugin)');
  });
});

describe('service coverage', () => {
  it('folds ids out of routes so the counters stay bounded by the routes', () => {
    expect(routeOf('POST', '/hook/ses_01HX9/tool?x=1')).toBe('POST /hook/:id/tool');
    expect(routeOf('GET', '/session/42/message')).toBe('GET /session/:id/message');
    expect(routeOf('GET', '/health')).toBe('GET /health');
  });

  it('a service that answered no requests tested nothing', () => {
    expect(coverageVerdict('pass', serviceCoverage({ requests: 0, routes: {} }))).toBe('inconclusive');
    const c = serviceCoverage({ requests: 12, routes: { 'POST /hook': { requests: 12, errors: 1 } } });
    expect(c.summary).toBe('12 requests on 1 route, 1 answered with an error (5xx or no answer)');
    expect(coverageVerdict('pass', c)).toBe('pass');
  });
});
