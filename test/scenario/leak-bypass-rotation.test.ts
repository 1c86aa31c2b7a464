// Seed leak 1 end to end (`npm run scenario leak-bypass-rotation`), through the same code path as
// the CLI: the daemon runs as a 'service' target in its own process on the virtual clock, the
// harness drives it over HTTP, the daemon drives the mock OpenCode with the real SDK.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import scenario, { BYPASS_AT_MOST, bypassRotationExpectations, type BypassParams } from '../../scenarios/leak-bypass-rotation.ts';
import nanScenario from '../../scenarios/leak-bypass-nan-ttl.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { readSamples } from '../../harness/report/samples-writer.ts';
import { collectionsByName, explain, fixture, maxSizes, shortPrimed, testOut, verdictTable } from './helpers.ts';

const LEAKY = 'targets/bypass-rotation/leaky.ts';
const FIXED = 'targets/bypass-rotation/fixed.ts';
/**
 * A leak needs no full day: the leaky daemon adds one bypass entry per rotation (every 5 cycles)
 * from its first cycle, so 300 cycles (10 samples, the fewest that leave the engine 8 after its
 * warm-up share) after a 30-cycle warm-up show it, with a short priming (the count is what fails
 * it). The judged second half starts past 4 h 15 min of virtual time (TTL plus a sweep), where a
 * working TTL's entries have stopped growing, so the fixed daemon is no leak at this size.
 */
const LEAKY_CYCLES = 300;
const LEAKY_WARMUP = { warmupCycles: 30 };
const leaky = shortPrimed(scenario);
const nanLeaky = shortPrimed(nanScenario);
/**
 * The NaN guard's fixed twin is judged on its counts only: the same daemon's heap is proven by the
 * fixed-daemon test, where a flat heap takes thousands of cycles; counts need no long priming.
 */
const nanFixed = shortPrimed({
  ...nanScenario,
  expect: (p: BypassParams) => bypassRotationExpectations(p).filter((e) => e.kind !== 'heap-bounded'),
});
/** Sequential from here: the collections' ±1 scatter (sweeps) is decided by ~720 cycles, at most 1440. */
const NAN_FIXED_NOMINAL = 360;
/** The reference daemon is held to its own cap, as its gate entries hold it (ci/gate-suite.ts). */
const REFERENCE_CAP = { bypassEntriesAtMost: BYPASS_AT_MOST };

type Counters = Record<string, number | undefined>;
const lastCounters = (dir: string, file: string): Counters => {
  const samples = readSamples(join(dir, file));
  return (samples[samples.length - 1]?.counters ?? {}) as Counters;
};

describe('leak-bypass-rotation', () => {
  it('fails the leaky daemon and names the growing Set bypassed with its entries per cycle', async () => {
    const { exitCode, report } = await runScenario(leaky, {
      target: fixture(LEAKY),
      sessions: LEAKY_CYCLES,
      params: LEAKY_WARMUP,
      outRoot: testOut(),
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const collections = report.expectations.find((e) => e.id === 'collections-bounded');
    expect(collections?.verdict).toBe('leak');
    expect(collections?.reasons.join('\n')).toMatch(/Set bypassed: leak/);
    const bypassed = collectionsByName(report).get('bypassed');
    expect(bypassed, 'bypassed among the top growers').toBeDefined();
    // One entry per rotation, one rotation per 5 cycles.
    expect(bypassed!.slopePerUnit).toBeGreaterThan(0.15);
    expect(bypassed!.slopePerUnit).toBeLessThan(0.25);
    expect(bypassed!.entriesPerUnitText).toMatch(/per .*cycle/);
    expect(report.diagnosis?.collections.some((d) => d.retainerPath.join(' ').includes('bypassed'))).toBe(true);
    // The leak is in the bookkeeping, not in a lost bypass: no hook for a live session recalled.
    expect(report.expectations.find((e) => e.id === 'counter:service.expensivePathForBypassed')?.verdict).toBe('bounded');
  }, 600_000);

  it('passes the fixed daemon: bypass entries plateau near rotations per TTL, nothing live falls through', async () => {
    const { exitCode, report, dir } = await runScenario(scenario, { params: REFERENCE_CAP, outRoot: testOut() });
    expect(report.error).toBeUndefined();
    expect(verdictTable(report), explain(report)).toEqual([
      ['collections-bounded', 'bounded'],
      ['heap-bounded', 'bounded'],
      ['counter:service.expensivePathForBypassed', 'bounded'],
    ]);
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    const max = maxSizes(readSamples(join(dir, report.files.samples)));
    // ~36 rotated ids within a TTL window plus the 2 live ones; well past the warm-up, so it filled.
    expect(max.get('bypassed')).toBeGreaterThanOrEqual(30);
    expect(max.get('bypassed')).toBeLessThanOrEqual(BYPASS_AT_MOST);
    const c = lastCounters(dir, report.files.samples);
    // Every rotation kind happened, the malformed ones after polling (80 polls of 250 ms each).
    expect(c['service.rotations']).toBeGreaterThanOrEqual(200);
    for (const kind of ['Gone', 'FormatRejected', 'UnknownAgent', 'Malformed'])
      expect(c[`service.rotations${kind}`], kind).toBeGreaterThan(0);
    expect(c['service.polls']).toBeGreaterThanOrEqual(20 * c['service.rotationsMalformed']!);
    expect(c['service.jobErrors']).toBe(0);
    expect(c['service.expensivePathForBypassed']).toBe(0);
    expect(c['service.bypassHits']).toBeGreaterThan(0);
    expect(c['service.ttlMs']).toBe(4 * 60 * 60 * 1000);
    // Sequential: the plateau is decided from the nominal size on, which takes minutes, not seconds.
  }, 600_000);

  it('leak-bypass-nan-ttl: the leaky guard keeps a NaN TTL, so claims never expire either', async () => {
    const { exitCode, report } = await runScenario(nanLeaky, {
      target: fixture(LEAKY),
      sessions: LEAKY_CYCLES,
      params: LEAKY_WARMUP,
      outRoot: testOut(),
      // Nothing here reads the diagnosis (the first test does), and its heap snapshot takes seconds.
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const named = collectionsByName(report);
    expect(named.get('bypassed')?.slopePerUnit).toBeGreaterThan(0.15);
    // Vanished user sessions (one per 10 cycles) keep their claim: +0.1 entries per cycle.
    expect(named.get('claims')?.slopePerUnit).toBeGreaterThan(0.05);
    const reasons = report.expectations.find((e) => e.id === 'collections-bounded')?.reasons.join('\n') ?? '';
    expect(reasons).toMatch(/Map claims: leak/);
  }, 600_000);

  it('leak-bypass-nan-ttl: the fixed guard falls back to 4 h and stays bounded', async () => {
    const { exitCode, report, dir } = await runScenario(nanFixed, {
      target: fixture(FIXED),
      params: { ...REFERENCE_CAP, sessions: NAN_FIXED_NOMINAL },
      outRoot: testOut(),
    });
    expect(report.error).toBeUndefined();
    expect(verdictTable(report), explain(report)).toEqual([
      ['collections-bounded', 'bounded'],
      ['counter:service.expensivePathForBypassed', 'bounded'],
    ]);
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    expect(lastCounters(dir, report.files.samples)['service.ttlMs']).toBe(4 * 60 * 60 * 1000);
    const max = maxSizes(readSamples(join(dir, report.files.samples)));
    // Filled to a TTL window's worth (a guard that kept NaN would have been seen growing), never past the cap.
    expect(max.get('bypassed')).toBeGreaterThanOrEqual(30);
    expect(max.get('bypassed')).toBeLessThanOrEqual(BYPASS_AT_MOST);
    // Vanished user sessions' claims expire too: ~18 within a TTL window, where a NaN TTL passes the cap.
    expect(max.get('claims')).toBeGreaterThanOrEqual(10);
    expect(max.get('claims')).toBeLessThanOrEqual(BYPASS_AT_MOST);
  }, 600_000);
});
