// Periodic trims end to end on the main scenario: a dedupe plugin whose Set is trimmed past 1000
// ids to its newest 500 passes, and the same plugin whose trims leave one key per message behind
// fails with the Set named. 4 tool calls per session pass the 1000-id limit every 125 sessions, so
// sampling every 60 sessions shows a tooth every other sample; 1500 sessions are what the heap's
// ±30 KB of scatter needs to clear its 64 B per session floor.
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-unclean-exit.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { explain, fixture, shortPrimed, testOut, verdictTable } from './helpers.ts';

const short = { ...scenario, sampleEveryUnits: 60 };

describe('leak-unclean-exit on periodically trimmed collections', () => {
  it('passes a dedupe Set trimmed to its newest 500 ids, naming it a sawtooth with floor and ceiling', async () => {
    // Sequential from a nominal 1500: when the heap's scatter leaves it undecided, the run goes on.
    const { exitCode, report } = await runScenario(short, {
      target: fixture('targets/sawtooth/trimmed.ts'),
      params: { sessions: 1500 },
      outRoot: testOut(),
    });
    expect(verdictTable(report), explain(report)).toEqual([
      ['collections-bounded', 'bounded'],
      ['heap-bounded', 'bounded'],
      ['handles-bounded', 'bounded'],
    ]);
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    const collections = report.expectations.find((e) => e.id === 'collections-bounded')!;
    // A collection is judged when it ended above where it started; each judged one is a named sawtooth.
    expect(collections.reasons.length, explain(report)).toBeGreaterThan(0);
    for (const reason of collections.reasons) {
      expect(reason).toMatch(
        /^(Set seenCallIds|Map toolDurations): bounded\. .*saw-toothed between \d+ entries and \d+ entries: it dropped back \d+ times/,
      );
    }
  }, 600_000);

  it('fails the same Set when each trim leaves keys behind (rising troughs), naming it', async () => {
    const { exitCode, report } = await runScenario(shortPrimed(short), {
      target: fixture('targets/sawtooth/troughs-rise.ts'),
      sessions: 1500,
      outRoot: testOut(),
      diagnose: false,
    });
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const collections = report.expectations.find((e) => e.id === 'collections-bounded')!;
    expect(collections.verdict, explain(report)).toBe('leak');
    expect(collections.reasons.join('\n')).toMatch(/Set seen: leak\./);
  }, 600_000);
});
