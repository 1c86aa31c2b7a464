import { describe, expect, it } from 'vitest';
import { parseParamFlags } from '../../harness/scenario/params.ts';
import { planProcOnly } from '../../harness/scenario/observation.ts';
import { expectCollectionsBounded, expectCounterAtMost, expectHandlesBounded, expectHeapBounded } from '../../harness/scenario/expect.ts';
import { DEFAULTS } from '../../harness/core/defaults.ts';

const defaults = { sessions: 3000, seed: 1, warmupSessions: 600, label: 'x', verbose: false, nested: { a: 1 } };

describe('--param name=value', () => {
  it('types values after the scenario default: numbers, booleans, strings', () => {
    expect(parseParamFlags(['warmupSessions=3000', 'verbose=true', 'label=a=b'], defaults, 's')).toEqual({
      warmupSessions: 3000,
      verbose: true,
      label: 'a=b',
    });
  });

  it('an unknown name lists the parameters the scenario has', () => {
    expect(() => parseParamFlags(['warmup=3'], defaults, 'leak-x')).toThrow(
      /leak-x has no parameter "warmup"\. Its parameters: sessions=3000, seed=1, warmupSessions=600, label=x, verbose=false$/,
    );
  });

  it('a value of the wrong type, or no =, says what was expected', () => {
    expect(() => parseParamFlags(['warmupSessions=lots'], defaults, 's')).toThrow(/expected a number \(default 600\)/);
    expect(() => parseParamFlags(['warmupSessions='], defaults, 's')).toThrow(/expected a number/);
    expect(() => parseParamFlags(['verbose=yes'], defaults, 's')).toThrow(/expected true or false/);
    expect(() => parseParamFlags(['warmupSessions'], defaults, 's')).toThrow(/expected name=value/);
    expect(() => parseParamFlags(['nested=1'], defaults, 's')).toThrow(/cannot be set from the command line/);
  });
});

describe('expectations of a target observed by RSS only', () => {
  it('judge the heap expectation on RSS, keep counters, and list what needs the inspector as not judged', () => {
    const plan = planProcOnly([
      expectCounterAtMost('service.sessions', 500, 'd'),
      expectCollectionsBounded({ atMost: 500 }),
      expectHeapBounded({ minBytesPerUnit: 64 }),
      expectHandlesBounded(),
    ]);
    expect(plan.expectations).toEqual([
      expectCounterAtMost('service.sessions', 500, 'd'),
      { kind: 'rss-bounded', minBytesPerUnit: DEFAULTS.rssMinBytesPerUnit },
    ]);
    expect(plan.notes.join(' ')).toMatch(/Not judged: collection sizes .*; ref'd handles and timers\./);
  });

  it('keep a heap floor above the RSS floor', () => {
    expect(planProcOnly([expectHeapBounded({ minBytesPerUnit: 4096 })]).expectations).toEqual([
      { kind: 'rss-bounded', minBytesPerUnit: 4096 },
    ]);
  });
});
