// Issue "measurement engine", done-when: each synthetic target gets the right verdict through the
// whole machine (own process, CDP observers, census, verdict engine), the same path as the CLI.
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../harness/report/model.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { unitScenario, type UnitScenarioOptions } from '../../harness/scenario/unit-scenario.ts';
import { expectCollectionsBounded, expectHandlesBounded, expectHeapBounded } from '../../harness/scenario/expect.ts';
import { shortPrimed, testOut } from '../scenario/helpers.ts';

/**
 * Sequential unless `fixed`: each run stops at the first look where every expectation is decided.
 * `shortPrime` for runs whose asserted verdicts rest on counts or a heap slope far above priming
 * (the estimates of 32 B and 1 KB per unit keep the full priming).
 */
async function run(target: string, options: Partial<UnitScenarioOptions> = {}, { fixed = false, shortPrime = false } = {}) {
  const defined = unitScenario({ name: 'synthetic', summary: target, target: `fixtures/synthetic/${target}`, ...options });
  const scenario = shortPrime ? shortPrimed(defined) : defined;
  return runScenario(scenario, { outRoot: testOut(), diagnose: false, ...(fixed ? { sessions: scenario.params.sessions } : {}) });
}

const verdictOf = (report: RunReport, id: string) => report.expectations.find((e) => e.id === id);

describe('planted heap leaks are caught with the right size per unit', () => {
  it('32 B per unit: leak, estimate within 25 % of 32 B', async () => {
    const { exitCode, report } = await run('leak-32b.ts', { units: 6000 });
    const heap = verdictOf(report, 'heap-bounded')!;
    expect(heap.verdict).toBe('leak');
    expect(heap.metric!.slopePerUnit).toBeGreaterThan(24);
    expect(heap.metric!.slopePerUnit).toBeLessThan(40);
    expect(exitCode).toBe(EXIT.leak);
  });

  it('1 KB per unit: leak, estimate within 15 % of 1 KB, and the census names `retained`', async () => {
    const { report } = await run('leak-1kb.ts');
    const heap = verdictOf(report, 'heap-bounded')!;
    expect(heap.verdict).toBe('leak');
    expect(heap.metric!.slopePerUnit).toBeGreaterThan(1024 * 0.85);
    expect(heap.metric!.slopePerUnit).toBeLessThan(1024 * 1.15);
  });

  it('64 KB per unit: leak within a few hundred units', async () => {
    const { report } = await run('leak-64kb.ts', { units: 400, warmupUnits: 40, sampleEveryUnits: 20 }, { shortPrime: true });
    const heap = verdictOf(report, 'heap-bounded')!;
    expect(heap.verdict).toBe('leak');
    expect(heap.metric!.slopePerUnit).toBeGreaterThan(64 * 1024 * 0.9);
    expect(heap.metric!.slopePerUnit).toBeLessThan(64 * 1024 * 1.1);
  });
});

describe('collections', () => {
  it('a Map gaining 1 entry per 100 units is a leak, named `sessionIndex`, at ~0.01 entries per unit', async () => {
    const { exitCode, report } = await run('map-1-per-100.ts', { units: 4000 }, { shortPrime: true });
    const collections = verdictOf(report, 'collections-bounded')!;
    expect(collections.verdict).toBe('leak');
    const grower = report.topCollections.find((c) => c.name === 'sessionIndex');
    expect(grower?.slopePerUnit).toBeCloseTo(0.01, 3);
    expect(collections.estimate).toBe('+1 entry per 100 units');
    expect(exitCode).toBe(EXIT.leak);
  });

  it('a cache capped at 2000 driven to 5000 units is bounded', async () => {
    const { exitCode, report } = await run('cap-2000-cache.ts', {
      units: 5000,
      expect: [expectCollectionsBounded({ atMost: 2000 }), expectHeapBounded(), expectHandlesBounded()],
    });
    expect(report.expectations.map((e) => [e.id, e.verdict])).toEqual([
      ['collections-bounded', 'bounded'],
      ['heap-bounded', 'bounded'],
      ['handles-bounded', 'bounded'],
    ]);
    expect(exitCode).toBe(EXIT.pass);
  });

  it('the same cache stopped below its cap is inconclusive, never bounded', async () => {
    // A fixed run: a sequential one would go on past the cap by itself.
    const { exitCode, report } = await run(
      'cap-2000-cache.ts',
      {
        units: 1400,
        warmupUnits: 100,
        expect: [expectCollectionsBounded({ atMost: 2000 })],
      },
      { fixed: true, shortPrime: true },
    );
    expect(verdictOf(report, 'collections-bounded')!.verdict).toBe('inconclusive');
    expect(exitCode).toBe(EXIT.inconclusive);
  });
});

describe('no false alarms', () => {
  it('a target that allocates and frees large buffers every unit is bounded', async () => {
    // A V8-internal cache fed by the unit's number-to-string conversions fills for ~4000 units
    // (+30 KB, decelerating) before it plateaus: 2000 units is honestly inconclusive, 6000 is not.
    // A fixed run: a plateau without a declared cap settles only at the nominal size anyway.
    const { exitCode, report } = await run('noisy-buffers.ts', { units: 6000 }, { fixed: true });
    expect(verdictOf(report, 'heap-bounded')!.verdict).toBe('bounded');
    expect(exitCode).toBe(EXIT.pass);
  });

  it('the empty control is bounded on every expectation', async () => {
    const { exitCode } = await run('empty-control.ts');
    expect(exitCode).toBe(EXIT.pass);
  });
});

describe('TTLs of hours in virtual time', () => {
  // 20 s of virtual time per unit: 4 h TTL = 720 units; 4000 units = 22 h of uptime.
  const ttl = { units: 4000, virtualMsPerUnit: 20_000 };

  it('a 4 h TTL map swept every 15 min is bounded', async () => {
    const { exitCode, report } = await run('ttl-sweep.ts', ttl, { fixed: true });
    const bypassed = report.topCollections.find((c) => c.name === 'bypassed');
    // Entries live at most TTL + one sweep period: (4 h + 15 min) / 20 s = 765.
    expect(bypassed?.lastSize).toBeLessThanOrEqual(765);
    expect(verdictOf(report, 'collections-bounded')!.verdict).toBe('bounded');
    expect(exitCode).toBe(EXIT.pass);
  });

  it('the same map without the sweep is a leak of 1 entry per unit', async () => {
    const { exitCode, report } = await run('ttl-no-sweep.ts', ttl, { shortPrime: true });
    expect(verdictOf(report, 'collections-bounded')!.verdict).toBe('leak');
    expect(report.topCollections.find((c) => c.name === 'bypassed')?.slopePerUnit).toBeCloseTo(1, 2);
    expect(exitCode).toBe(EXIT.leak);
  });
});
