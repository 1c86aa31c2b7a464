// A target that throws at load, crashes mid-run or never answers ends the run with exit >= 3, a
// clear message with its stderr tail, and the report and samples so far kept on disk.
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/leak-unclean-exit.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { readSamples } from '../../harness/report/samples-writer.ts';
import { fixture, shortPrimed, testOut } from './helpers.ts';

/** No verdict is read here, only how the run ends: a short priming. */
const failing = shortPrimed(scenario);

describe('target errors', () => {
  it('a plugin that throws at load: exit 4, the SyntaxError in the message, a report on disk', async () => {
    const { exitCode, report, dir } = await runScenario(scenario, {
      target: fixture('targets/broken/throws-at-load.ts'),
      sessions: 200,
      outRoot: testOut(),
    });
    expect(exitCode).toBe(EXIT.targetError);
    expect(report.verdict).toBe('error');
    expect(report.error?.message).toMatch(/throws-at-load/);
    expect(`${report.error?.message}\n${report.error?.stderrTail}`).toMatch(/SyntaxError|JSON/);
    expect(JSON.parse(readFileSync(join(dir, report.files.report), 'utf8')).verdict).toBe('error');
  });

  it('a plugin that crashes mid-run: exit 4, the uncaught error in the stderr tail, the samples so far kept', async () => {
    const { exitCode, report, dir } = await runScenario(failing, {
      target: fixture('targets/broken/crashes-mid-run.ts'),
      sessions: 1000,
      outRoot: testOut(),
    });
    expect(exitCode).toBe(EXIT.targetError);
    expect(report.error?.kind).toMatch(/crashed/);
    expect(report.error?.stderrTail).toMatch(/gateway state corrupted/);
    expect(existsSync(join(dir, report.files.samples))).toBe(true);
    expect(readSamples(join(dir, report.files.samples)).length).toBeGreaterThan(0);
    expect(existsSync(join(dir, report.files.html))).toBe(true);
  });

  it('a plugin that never answers: exit 4 as hung, the target killed, no wait for ever', async () => {
    const { exitCode, report } = await runScenario(failing, {
      target: fixture('targets/broken/never-answers.ts'),
      sessions: 1000,
      outRoot: testOut(),
      launch: { callTimeoutMs: 4000 },
    });
    expect(exitCode).toBe(EXIT.targetError);
    expect(report.error?.kind).toMatch(/hung/);
    expect(report.error?.message).toMatch(/never-answers/);
  });
});
