// Sequential runs end to end on synthetic targets: the runner looks at the samples as they
// arrive, stops the main phase once every expectation is decided (or one fails), goes on while
// anything is inconclusive up to its maximum, and says where it stopped and why.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { unitScenario, type UnitScenarioOptions } from '../../harness/scenario/unit-scenario.ts';
import { expectCollectionsBounded, expectHeapBounded } from '../../harness/scenario/expect.ts';
import { renderSummaryMd } from '../../harness/report/summary-md.ts';
import { formatVerdictTable } from '../../harness/report/terminal.ts';
import { explain, shortPrimed, testOut } from './helpers.ts';

const small = { warmupUnits: 40, sampleEveryUnits: 20 };
const scenarioOf = (target: string, options: Partial<UnitScenarioOptions> = {}) =>
  unitScenario({ name: 'synthetic', summary: target, target: `fixtures/synthetic/${target}`, ...small, ...options });
/** A 64 KB/unit leak, or counts alone: the harness's own few KB of tier-up cannot move these verdicts. */
const shortPrimedOf = (target: string, options: Partial<UnitScenarioOptions> = {}) => shortPrimed(scenarioOf(target, options));

describe('a sequential run (no --sessions)', () => {
  it('stops a planted 64 KB/unit leak at its first look, well before the nominal size, and says why', async () => {
    const { exitCode, report } = await runScenario(shortPrimedOf('leak-64kb.ts', { units: 800, expect: [expectHeapBounded()] }), {
      outRoot: testOut(),
      diagnose: false,
    });
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const stop = report.stopping!;
    expect(stop).toMatchObject({ mode: 'sequential', phase: 'churn', nominal: 800, max: 3200, outcome: 'decided', stoppedAt: 240 });
    expect(report.workDone.unit).toBe(40 + 240);
    expect(stop.looks).toHaveLength(1);
    expect(stop.summary).toMatch(
      /^decided at 240 units \(look 1 of \d+, 99\.\d % intervals\): heap-bounded: leak in both halves, \+64\.\d KB per unit \(interval \+6\d\.\d KB \.\. \+6\d\.\d KB per unit\)/,
    );
    // The heap expectation is judged with the stopping look's intervals.
    expect(report.expectations[0]!.reasons[0]).toMatch(/\(99\.\d % interval/);
    expect(formatVerdictTable(report)).toContain(`Stopped: ${stop.summary}`);
    expect(renderSummaryMd(report)).toContain(`**Stopped:** ${stop.summary}`);
  });

  it('runs a cache that is still filling on to its maximum and says it is still inconclusive', async () => {
    const scenario = shortPrimedOf('cap-2000-cache.ts', { units: 240, expect: [expectCollectionsBounded({ atMost: 2000 })] });
    const { exitCode, report } = await runScenario(scenario, { outRoot: testOut(), diagnose: false, maxSessions: 480 });
    expect(exitCode, explain(report)).toBe(EXIT.inconclusive);
    expect(report.stopping).toMatchObject({ mode: 'sequential', nominal: 240, max: 480, stoppedAt: 480, outcome: 'maximum' });
    expect(report.workDone.unit).toBe(40 + 480);
    expect(report.stopping!.looks.map((l) => l.at)).toEqual([240, 300, 380, 480]);
    expect(report.stopping!.looks.every((l) => l.undecided.some((u) => u.startsWith('collections-bounded: inconclusive')))).toBe(true);
    expect(report.stopping!.summary).toMatch(
      /^ran to the maximum 480 units \(4 looks, 99 % intervals\): still inconclusive: collections-bounded: not yet decided \(inconclusive\)\.$/,
    );
  });

  it('goes on while any expectation is undecided: flat handle counts need a window where a leak at the floor would show', async () => {
    // Heap and collections are decided at the first look; ref'd handles, exact counts with a floor of
    // 1 per 500 units, only over 1500 units of window or at the nominal size (400, past the first look).
    const { exitCode, report } = await runScenario(shortPrimedOf('leak-64kb.ts', { units: 400 }), { outRoot: testOut(), diagnose: false });
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    expect(report.stopping).toMatchObject({ outcome: 'decided', stoppedAt: 400 });
    expect(report.stopping!.looks[0]!.undecided).toEqual([
      expect.stringMatching(/^handles-bounded: ref'd timers: bounded, flat, over too short a window/),
    ]);
  });

  it('decides the empty control bounded, going past the nominal size only while something is undecided', async () => {
    const { exitCode, report } = await runScenario(scenarioOf('empty-control.ts', { units: 600 }), { outRoot: testOut(), diagnose: false });
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    expect(report.stopping).toMatchObject({ outcome: 'decided' });
    const stopping = report.stopping!;
    expect(stopping.stoppedAt).toBeLessThan(stopping.max);
    // On a busy machine the heap's scatter may leave the nominal look undecided; then it says why.
    for (const look of stopping.looks.filter((l) => l.at < stopping.stoppedAt)) expect(look.undecided.length).toBeGreaterThan(0);
  });
});

describe('a fixed run (--sessions N)', () => {
  it('does exactly N units and judges once at 95 %', async () => {
    const { report } = await runScenario(shortPrimedOf('leak-64kb.ts', { units: 800 }), {
      outRoot: testOut(),
      diagnose: false,
      sessions: 240,
    });
    expect(report.stopping).toMatchObject({ mode: 'fixed', nominal: 240, stoppedAt: 240, outcome: 'fixed', looks: [] });
    expect(report.workDone.unit).toBe(40 + 240);
    expect(report.expectations[0]!.reasons[0]).toMatch(/\(95 % interval/);
  });

  it('refuses --max-sessions with --sessions, and a maximum below the nominal size', async () => {
    const scenario = scenarioOf('empty-control.ts', { units: 600 });
    await expect(runScenario(scenario, { outRoot: testOut(), sessions: 300, maxSessions: 900 })).rejects.toThrow(
      /--sessions asks for a fixed run and --max-sessions for a sequential one/,
    );
    await expect(runScenario(scenario, { outRoot: testOut(), maxSessions: 500 })).rejects.toThrow(
      /--max-sessions 500 is below the scenario's nominal size of 600 units/,
    );
  });
});
