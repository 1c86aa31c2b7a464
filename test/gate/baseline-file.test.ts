// ci/baseline.json: written only on request, merged by key (a --only refresh keeps the others),
// and a broken file is named with what was expected.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseline, updateBaseline, type BaselineFigure } from '../../harness/gate/baseline.ts';

const figure = (runs: number[]): BaselineFigure => ({
  unitText: 'sessions/s',
  direction: 'higher-is-better',
  runs,
  recordedAt: '2026-01-01T00:00:00Z',
  machine: { cpuModel: 'x', cpus: 2, node: '20', platform: 'linux' },
});

describe('baseline file', () => {
  it('a missing file is an empty baseline', () => {
    expect(readBaseline(join(mkdtempSync(join(tmpdir(), 'churnlab-baseline-')), 'none.json')).figures).toEqual({});
  });

  it('an update replaces the figures it names and keeps the others', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'churnlab-baseline-')), 'baseline.json');
    updateBaseline(file, { 'b/throughput': figure([1, 2]), 'a/throughput': figure([3]) });
    updateBaseline(file, { 'b/throughput': figure([5, 6, 7]) });
    const back = readBaseline(file);
    expect(Object.keys(back.figures)).toEqual(['a/throughput', 'b/throughput']);
    expect(back.figures['b/throughput']!.runs).toEqual([5, 6, 7]);
    expect(back.figures['a/throughput']!.runs).toEqual([3]);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('a file that is not a baseline is named with what was expected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'churnlab-baseline-'));
    writeFileSync(join(dir, 'bad.json'), '{ "figures": {} }');
    expect(() => readBaseline(join(dir, 'bad.json'))).toThrow(/bad\.json: expected \{ "schemaVersion": 1, "figures"/);
    writeFileSync(
      join(dir, 'nan.json'),
      JSON.stringify({ schemaVersion: 1, figures: { 'x/throughput': { ...figure([1]), runs: [1, 'fast'] } } }),
    );
    expect(() => readBaseline(join(dir, 'nan.json'))).toThrow(/figure "x\/throughput" must have "runs": an array of finite numbers/);
    writeFileSync(join(dir, 'text.json'), 'not json');
    expect(() => readBaseline(join(dir, 'text.json'))).toThrow(/not valid JSON/);
  });
});
