// A target that dies under load: the load stops at once, the run ends with exit 4 (target error)
// and the stderr tail, and the samples taken before the crash are kept.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../harness/load/run.ts';
import { readSamples } from '../../harness/report/samples-writer.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { testOut } from '../scenario/helpers.ts';

const CRASHING = fileURLToPath(new URL('./fixtures/crashing-daemon.ts', import.meta.url));

describe('npm run load on a target that crashes', () => {
  it('stops the load and exits 4 with the crash in the report, keeping the samples so far', async () => {
    const { exitCode, report, dir } = await runLoad({
      target: CRASHING,
      profile: 'hooks',
      maxRequests: 5000,
      durationMs: 120_000,
      samples: 40,
      primeSamples: 3,
      diagnose: false,
      outRoot: testOut(),
    });
    expect(exitCode).toBe(EXIT.targetError);
    expect(report.verdict).toBe('error');
    expect(report.error?.kind).toMatch(/^target (crashed|exited)/);
    expect(report.error?.stderrTail ?? report.error?.message).toMatch(/hook state corrupted after 500 hooks/);
    expect(readSamples(join(dir, report.files.samples)).length).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
