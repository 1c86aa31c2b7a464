// The profile summary on hand-made profiles: builtins count for the function that called them,
// the harness's own frames are left out, figures are per unit of work.
import { describe, expect, it } from 'vitest';
import { classifyFrame, summarizeProfile } from '../../harness/profile/summary.ts';
import type { SamplingProfileNode } from '../../harness/profile/sampling.ts';

let nextId = 1;
function node(
  functionName: string,
  url: string,
  selfSize: number,
  children: SamplingProfileNode[] = [],
  scriptId = url ? '7' : '0',
): SamplingProfileNode {
  return { callFrame: { functionName, scriptId, url, lineNumber: 9, columnNumber: 0 }, selfSize, id: nextId++, children };
}

const input = (head: SamplingProfileNode) => ({
  profile: { head, samples: [] },
  scripts: new Map(),
  mode: 'retained' as const,
  samplingIntervalBytes: 4096,
  unit: 'session' as const,
  unitsProfiled: 100,
  phases: ['churn'],
  harnessDir: '/repo/churnlab/harness',
  userRoot: '/home/me/plugin',
  file: 'churn.heapprofile',
  topN: 10,
});

describe('profile summary', () => {
  it('counts what a builtin allocates for the user function that called it', () => {
    const head = node('(root)', '', 0, [
      node('hook', 'file:///repo/churnlab/harness/host/hooks.ts', 0, [
        node('remember', 'file:///home/me/plugin/src/index.ts', 1000, [node('set', '', 9000), node('Set', '', 2000)]),
      ]),
    ]);
    const s = summarizeProfile(input(head));
    expect(s.status).toBe('profiled');
    if (s.status !== 'profiled') return;
    expect(s.topSites[0]).toMatchObject({
      functionName: 'remember',
      file: 'src/index.ts',
      line: 10,
      origin: 'user',
      selfBytes: 12_000,
      bytesPerUnit: 120,
    });
    expect([...(s.topSites[0]?.via ?? [])].sort()).toEqual(['Set', 'set']);
  });

  it('leaves the harness frames out of the tables but says how much they allocated', () => {
    const head = node('(root)', '', 0, [
      node('turn', 'file:///repo/churnlab/harness/host/session-life.ts', 5000),
      node('census', '', 700, [], '391'),
      node('leak', 'file:///home/me/plugin/a.ts', 100),
    ]);
    const s = summarizeProfile(input(head));
    if (s.status !== 'profiled') throw new Error('not profiled');
    expect(s.topSites.map((x) => x.functionName)).toEqual(['leak']);
    expect(s.harnessBytes).toBe(5700);
    expect(s.bytesPerUnit).toBe(1);
  });

  it('tells user code from Node, dependencies and the harness', () => {
    expect(classifyFrame('/home/me/plugin/a.ts', '/repo/churnlab/harness')).toBe('user');
    expect(classifyFrame('/home/me/plugin/node_modules/x/i.js', '/repo/churnlab/harness')).toBe('dependency');
    expect(classifyFrame('node:internal/url', '/repo/churnlab/harness')).toBe('node');
    expect(classifyFrame('/repo/churnlab/harness/target/child/main.ts', '/repo/churnlab/harness')).toBe('harness');
    expect(classifyFrame('/repo/churnlab/harnessy/x.ts', '/repo/churnlab/harness')).toBe('user');
  });
});
