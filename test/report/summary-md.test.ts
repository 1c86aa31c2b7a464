// summary.md is read in a CI job summary: the verdict, the estimate per unit, what grew, why
// (the retainer path) and how to rerun must all be there, in valid markdown tables.
import { describe, expect, it } from 'vitest';
import { renderSummaryMd } from '../../harness/report/summary-md.ts';
import { leakReport } from './fixtures.ts';

describe('renderSummaryMd', () => {
  const md = renderSummaryMd(leakReport());

  it('opens with the verdict icon, the verdict, the scenario and the target', () => {
    expect(md.split('\n')[0]).toBe('## ❌ leak · `checkpoint-churn` on `checkpoint (leaky)`');
  });

  it('lists each expectation with its verdict, estimate per unit and limit', () => {
    expect(md).toContain('| ❌ | Used heap stays bounded per session | leak | +1.9 KB per session | ≤ 256 B per session |');
    expect(md).toContain('| ✅ | stableCache stays within its cap | bounded | +0 entries per session | ≤ 50 |');
  });

  it('keeps table rows intact when a reason contains a pipe', () => {
    const row = md.split('\n').find((l) => l.includes('Used heap stays bounded'))!;
    expect(row).toContain('after warm-up \\| well above');
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(8);
  });

  it('shows the top growing collections from first to last size, per unit', () => {
    expect(md).toContain('| `checkpointStates` | Map | 12 → 1 012 | +1 entry per session |');
  });

  it('explains a leak with the retainer path of the diagnosis', () => {
    expect(md).toContain('### Diagnosis (3 heap snapshots)');
    expect(md).toContain('`(module scope) checkpointStates → Map (1 012 entries, 408 KB retained)`');
    expect(md).toContain('| 1 001 → 2 001 → 3 001 | yes |');
  });

  it('lists the warnings of every expectation and metric', () => {
    expect(md).toContain('- stable-cache: Only 8 points after the cap was reached.');
    expect(md).toContain('- heap-bounded: RSS was noisy in the drain phase.');
  });

  it('ends with the command that reproduces the run', () => {
    expect(md).toContain('```sh\nnpm run scenario -- checkpoint-churn --target fixtures/targets/checkpoint/leaky.ts --sessions 1000\n```');
  });

  it('shows a harness error with the stderr tail when the run failed', () => {
    const out = renderSummaryMd(
      leakReport({
        verdict: 'error',
        exitCode: 3,
        error: { kind: 'target-crash', message: 'target exited with code 1', stderrTail: 'TypeError: x is not a function\n```' },
      }),
    );
    expect(out.split('\n')[0]).toContain('❌ error');
    expect(out).toContain('### ❌ target-crash');
    // The stderr holds a fence of its own; the block must use a longer one to stay closed.
    expect(out).toContain('````\nTypeError: x is not a function\n```\n````');
  });

  it('marks a pass and an inconclusive run with their own icons', () => {
    expect(renderSummaryMd(leakReport({ verdict: 'pass' })).startsWith('## ✅ pass')).toBe(true);
    expect(renderSummaryMd(leakReport({ verdict: 'inconclusive' })).startsWith('## ⚠️ inconclusive')).toBe(true);
  });
});
