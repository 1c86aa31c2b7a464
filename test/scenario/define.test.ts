// defineScenario types `run` by the target's kind (checked by `npx tsc`: each @ts-expect-error
// below must be an error), builds each kind's run with only its members, and refuses a scenario
// that gives both a step and a workload, or neither.
import { describe, expect, it } from 'vitest';
import { defineScenario, warmupOf, type CommonParams } from '../../harness/scenario/define.ts';
import { adapterRun, pluginRun, serviceRun, unitRun, type RunContext } from '../../harness/scenario/context.ts';
import type { OpenCodeBackend } from '../../harness/opencode/backend.ts';
import type { AdapterControl } from '../../harness/scenario/adapter-driver.ts';
import { typedRun } from '../../harness/scenario/run.ts';
import { TargetError } from '../../harness/target/outcome.ts';

const base = {
  summary: 's',
  defaultTarget: './t.ts',
  unit: 'session' as const,
  params: { sessions: 10, seed: 1 },
  sampleEveryUnits: 1,
  expect: [],
};

// Compile-time only (never called): the members of a kind exist, the others do not.
export const typed = () => [
  defineScenario({
    ...base,
    name: 'p',
    kind: 'plugin',
    work: (run) => (n) => run.churn({ sessions: n, turnsPerSession: 1, cleanEndShare: 1 }),
  }),
  defineScenario({
    ...base,
    name: 's',
    kind: 'service',
    async workload(run) {
      const url: string = run.serviceUrl;
      await run.did('session', url.length);
    },
  }),
  defineScenario({
    ...base,
    name: 'so',
    kind: 'service',
    mockOpenCode: true,
    async workload(run) {
      await run.advance(run.backend.url.length);
    },
  }),
  defineScenario({
    ...base,
    name: 'a',
    kind: 'adapter',
    async workload(run) {
      run.adapter.liveThreads();
      await run.restartTarget();
    },
  }),
  defineScenario({
    ...base,
    name: 'x1',
    kind: 'plugin',
    async workload(run) {
      // @ts-expect-error: a plugin run has no serviceUrl
      await fetch(run.serviceUrl);
    },
  }),
  defineScenario({
    ...base,
    name: 'x2',
    kind: 'service',
    async workload(run) {
      // @ts-expect-error: a service run has no churn (the workload drives the service itself)
      await run.churn({ sessions: 1, turnsPerSession: 1, cleanEndShare: 1 });
    },
  }),
  defineScenario({
    ...base,
    name: 'x3',
    kind: 'service',
    async workload(run) {
      // @ts-expect-error: a service without an OpenCode has no backend
      await run.advance(run.backend.url.length);
    },
  }),
  defineScenario({
    ...base,
    name: 'x4',
    kind: 'unit',
    async workload(run) {
      // @ts-expect-error: a unit run has no restartTarget
      await run.restartTarget();
    },
  }),
  // The whole call on one line, so the expected error is on the line below the directive.
  // prettier-ignore
  // @ts-expect-error: warmup goes with a step (work), not with a workload
  defineScenario({ ...base, name: 'x5', kind: 'unit', warmup: { sessions: 5 }, async workload(run) { await run.units(1); } }),
];

/** A driver stand-in: every member a function that names itself. */
const driver = new Proxy(
  { unit: 'session', opencode: undefined },
  { get: (t, k) => (k in t ? t[k as keyof typeof t] : () => k) },
) as unknown as RunContext;
const backend = { url: 'http://127.0.0.1:1' } as OpenCodeBackend;

describe('each kind gets a run with only its members', () => {
  const common = ['unit', 'phase', 'mainPhase', 'advance', 'sample', 'dispose', 'work', 'check', 'setCounter'];
  it('plugin: churn and openSession, and the OpenCode; no serviceUrl', () => {
    const run = pluginRun(driver, backend);
    expect(Object.keys(run).sort()).toEqual([...common, 'churn', 'openSession', 'backend', 'opencode'].sort());
    expect(run.backend.url).toBe(backend.url);
  });
  it('service: its URL and did; the OpenCode only when it asked for one', () => {
    expect(Object.keys(serviceRun(driver, 'http://127.0.0.1:2')).sort()).toEqual([...common, 'did', 'serviceUrl'].sort());
    expect(Object.keys(serviceRun(driver, 'http://127.0.0.1:2', backend)).sort()).toEqual(
      [...common, 'did', 'serviceUrl', 'backend', 'opencode'].sort(),
    );
  });
  it('adapter: adapter, restartTarget, did and the OpenCode; unit: units', () => {
    expect(Object.keys(adapterRun(driver, {} as AdapterControl, backend)).sort()).toEqual(
      [...common, 'did', 'adapter', 'restartTarget', 'backend', 'opencode'].sort(),
    );
    expect(Object.keys(unitRun(driver)).sort()).toEqual([...common, 'units'].sort());
  });
});

describe('defineScenario', () => {
  it('refuses both a step and a workload, and neither, naming the scenario', () => {
    const both = { ...base, name: 'both', kind: 'unit', work: () => async () => undefined, async workload() {} };
    expect(() => defineScenario(both as never)).toThrow(/scenario both: give either work .* not both/);
    expect(() => defineScenario({ ...base, name: 'neither', kind: 'unit' } as never)).toThrow(/scenario neither: .* not neither/);
  });
  it('refuses a warm-up beside a workload, which runs its own', () => {
    const both = { ...base, name: 'warm', kind: 'unit', warmup: { sessions: 5 }, async workload() {} };
    expect(() => defineScenario(both as never)).toThrow(/scenario warm: warmup is run by the runner with the step/);
  });
  it('refuses a warm-up that is not a whole number of units', () => {
    expect(() =>
      defineScenario({ ...base, name: 'w', kind: 'unit', warmup: { sessions: 2.5 }, work: () => async () => undefined }),
    ).toThrow(/warmup.sessions must be a whole number/);
  });
  it('reads a warm-up given as a size or as a function of the parameters', () => {
    const p: CommonParams & { w: number } = { sessions: 1, seed: 1, w: 7 };
    expect(warmupOf({ sessions: 3 }, p)).toBe(3);
    expect(warmupOf((q: typeof p) => ({ sessions: q.w }), p)).toBe(7);
    expect(warmupOf(undefined, p)).toBe(0);
  });
});

describe('the runner builds the typed run', () => {
  it('stops before the workload when a service reported no URL, naming the target and the scenario', () => {
    const parts = { serviceUrl: undefined, backend: undefined, adapter: undefined, stderrTail: () => 'listening nowhere' };
    const build = () => typedRun({ kind: 'service', name: 'my-daemon' }, driver, parts, 'src/daemon.ts');
    expect(build).toThrow(TargetError);
    expect(build).toThrow(/"src\/daemon.ts" \(service host\).*reported no URL.*the service scenario my-daemon needs it/);
  });
  it('gives a service with an OpenCode its backend, and one without none', () => {
    const parts = { serviceUrl: 'http://127.0.0.1:3', backend, adapter: undefined, stderrTail: () => '' };
    expect(typedRun({ kind: 'service', name: 's', mockOpenCode: true }, driver, parts, 't')).toHaveProperty('backend', backend);
    expect(typedRun({ kind: 'service', name: 's' }, driver, parts, 't')).not.toHaveProperty('backend');
  });
});
