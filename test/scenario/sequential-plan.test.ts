// The sequential plan's stopping rule on scripted looks (no target): an expectation decided
// `bounded` at a look stays decided, as a test of its own that has stopped, so its wavering
// within its interval at later looks does not hold up a run that waits for another expectation.
import { describe, expect, it } from 'vitest';
import type { MetricVerdict, Verdict } from '../../harness/core/types.ts';
import type { ExpectationResult } from '../../harness/report/model.ts';
import { groupDigits } from '../../harness/report/format.ts';
import type { Evaluation } from '../../harness/scenario/expect.ts';
import { SequentialPlan } from '../../harness/scenario/sequential.ts';
import { planLooks } from '../../harness/verdict/sequential.ts';

/** What one expectation looks like at one look. */
type Seen = 'flat' | 'wavering' | 'leak';

const NOMINAL = 2000;
const EVERY = 100;
/** A window long enough that a leak at the floor (8 B x 1200 >= 4 KB) would have shown. */
const LONG_SPAN = 1200;

function metric(label: string, seen: Seen): MetricVerdict {
  const verdict: Verdict = seen === 'flat' ? 'bounded' : seen === 'leak' ? 'leak' : 'inconclusive';
  const slope = seen === 'leak' ? 900 : 2;
  return {
    metric: label,
    label,
    unit: 'session',
    valueKind: 'bytes',
    verdict,
    slopePerUnit: slope,
    slopeInterval: seen === 'wavering' ? [-20, 40] : [slope - 3, slope + 3],
    pointsUsed: 20,
    pointsDiscarded: 4,
    lastValue: 1e7,
    maxValue: 1e7,
    reasons: [`${label}: ${verdict}`],
    warnings: [],
    shape: seen === 'leak' ? 'linear' : 'flat',
    span: LONG_SPAN,
    floors: { minSlopePerUnit: 8, minTotalGrowth: 4096 },
  };
}

function evaluation(looks: Record<string, Seen>): Evaluation {
  const entries = Object.entries(looks);
  const metrics = entries.map(([id, seen]) => [metric(id, seen)]);
  const results: ExpectationResult[] = entries.map(([id], i) => {
    const m = metrics[i]![0]!;
    return {
      id,
      description: id,
      verdict: m.verdict,
      passed: m.verdict === 'bounded',
      metric: m,
      estimate: `+${m.slopePerUnit} B per session`,
      reasons: m.reasons,
      warnings: [],
    };
  });
  return { results, suspects: [], metrics };
}

/**
 * A plan whose judge answers look k with script[k] (the last entry for any later look), and
 * whose `crossed` answers from the work done so far.
 */
function scripted(script: Array<Record<string, Seen>>, crossedAt?: (work: number) => string | undefined) {
  let look = 0;
  let work = 0;
  const plan = new SequentialPlan({
    unit: 'session',
    sampleEveryUnits: EVERY,
    nominal: NOMINAL,
    judge: () => evaluation(script[Math.min(look++, script.length - 1)]!),
    ...(crossedAt ? { crossed: () => crossedAt(work) } : {}),
  });
  const run = async () => {
    await plan.run('churn', NOMINAL, async (n) => void (work += n));
    return { record: plan.record()!, work };
  };
  return { plan, run, looksJudged: () => look };
}

const runPlan = (s: ReturnType<typeof scripted>) => s.run();

describe('a sequential plan', () => {
  it('keeps a bounded verdict from the look that decided it and stops once the other expectation is decided', async () => {
    const s = scripted([
      { heap: 'flat', collections: 'wavering' },
      { heap: 'wavering', collections: 'wavering' },
      { heap: 'wavering', collections: 'flat' },
      { heap: 'wavering', collections: 'wavering' },
    ]);
    const { record, work } = await runPlan(s);
    expect(record.outcome).toBe('decided');
    expect(record.looks).toHaveLength(3);
    expect(work).toBe(record.stoppedAt);
    const first = record.looks[0]!.at;
    expect(record.looks.map((l) => l.undecided)).toEqual([['collections: inconclusive'], ['collections: inconclusive'], []]);
    const heap = s.plan.held().get('heap');
    expect(heap?.at).toBe(first);
    expect(heap?.result.verdict).toBe('bounded');
    expect(heap?.result.metric?.slopeInterval).toEqual([-1, 5]);
    expect(record.summary).toContain(
      `heap: bounded (flat), decided at ${groupDigits(first)} sessions, +2 B per session (interval -1 B .. +5 B per session)`,
    );
    expect([...s.plan.held().keys()].sort()).toEqual(['collections', 'heap']);
  });

  it('judges a leak again at every look: a leak that no longer shows leaves its expectation open', async () => {
    const s = scripted([
      { heap: 'leak', collections: 'wavering' },
      { heap: 'wavering', collections: 'flat' },
      { heap: 'leak', collections: 'wavering' },
    ]);
    const { record } = await runPlan(s);
    expect(record.looks.map((l) => l.undecided)).toEqual([['collections: inconclusive'], ['heap: inconclusive'], []]);
    expect([...s.plan.held().keys()]).toEqual(['collections']);
  });

  it('runs to its maximum and keeps nothing while an expectation never settles', async () => {
    const s = scripted([{ heap: 'wavering', collections: 'flat' }]);
    const { record, work } = await runPlan(s);
    expect(record.outcome).toBe('maximum');
    expect(work).toBe(record.max);
    expect(record.looks).toHaveLength(s.looksJudged());
    expect(record.looks.every((l) => l.undecided.join() === 'heap: inconclusive')).toBe(true);
    expect([...s.plan.held().keys()]).toEqual(['collections']);
  });

  it('stops at the nominal size once an expectation has failed, though another is still undecided', async () => {
    const s = scripted([{ heap: 'wavering', collections: 'leak' }]);
    const planned = planLooks(s.plan.design(NOMINAL));
    const { record, work } = await runPlan(s);
    expect(record).toMatchObject({ outcome: 'failed', stoppedAt: NOMINAL });
    expect(work).toBe(NOMINAL);
    expect(record.looks).toHaveLength(planned.filter((l) => l.work <= NOMINAL).length);
    expect(record.looks.at(-1)!.undecided).toEqual(['heap: inconclusive']);
    expect(record.summary).toMatch(/^stopped on a failure at 2 000 sessions \(look \d+ of \d+, 99\.\d+ % intervals\)/);
    expect(record.summary).toContain('heap: not yet decided (inconclusive)');
  });

  it("takes its next look at the sample where a declared limit was passed, at that look's planned error, and says so", async () => {
    const passed = 'Set seen passed the declared limit of 2000 entries';
    // Undecided at the first look (1200); the Set passes its limit at 1300, before the second (1500).
    const s = scripted(
      [
        { heap: 'wavering', collections: 'wavering' },
        { heap: 'leak', collections: 'leak' },
      ],
      (work) => (work === 1300 ? passed : undefined),
    );
    const planned = planLooks(s.plan.design(NOMINAL));
    const { record, work } = await runPlan(s);
    expect(planned.map((l) => l.work).slice(0, 2)).toEqual([1200, 1500]);
    expect(work).toBe(1300);
    expect(record).toMatchObject({ outcome: 'decided', stoppedAt: 1300 });
    expect(record.looks.map((l) => [l.at, l.alpha, l.early])).toEqual([
      [1200, planned[0]!.alpha, undefined],
      [1300, planned[1]!.alpha, passed],
    ]);
    expect(record.summary).toMatch(
      new RegExp(`^decided at 1 300 sessions \\(look 2 of ${planned.length}, taken early: ${passed}, 99\\.\\d+ % intervals\\)`),
    );
  });

  it('never takes its first look or the one at its maximum early: a run still undecided goes all the way', async () => {
    // A limit "passed" at every sample pulls each look but the first and the last to the next sample.
    const s = scripted([{ heap: 'wavering', collections: 'flat' }], () => 'Map m passed the declared limit of 1 entries');
    const planned = planLooks(s.plan.design(NOMINAL));
    const { record, work } = await runPlan(s);
    expect(record.outcome).toBe('maximum');
    expect(work).toBe(record.max);
    expect(record.looks).toHaveLength(planned.length);
    expect(record.looks.at(-1)).toMatchObject({ at: record.max });
    expect(record.looks.at(-1)!.early).toBeUndefined();
    expect(record.looks[0]).toMatchObject({ at: planned[0]!.work });
    expect(record.looks[0]!.early).toBeUndefined();
    const middle = record.looks.slice(1, -1);
    expect(middle.map((l) => [l.at, l.early])).toEqual(
      middle.map((_, i) => [planned[0]!.work + (i + 1) * EVERY, 'Map m passed the declared limit of 1 entries']),
    );
  });
});
