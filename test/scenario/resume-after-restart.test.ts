// Seed leak 5, restarts, end to end through runScenario: the adapter's whole process is replaced
// (the harness's cursor store survives) and OpenCode restarts with its state kept, alternately.
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/resume-after-restart.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { explain, fixture, testOut } from './helpers.ts';

/** 3 judged cycles: OpenCode, adapter, OpenCode restarts (the warm-up cycle restarts the adapter). */
const small = { ...scenario, params: { ...scenario.params, sessions: 3, cycles: 3 } };
const verdicts = (r: RunReport) => Object.fromEntries(r.expectations.map((e) => [e.id, e.verdict]));
const reasons = (r: RunReport, id: string) => r.expectations.find((e) => e.id === id)?.reasons.join('\n') ?? '';

describe('resume-after-restart', () => {
  it('fails the leaky adapter after both kinds of restart, naming thread, session and canary', async () => {
    const { exitCode, report } = await runScenario(small, {
      target: fixture('targets/resume/leaky.ts'),
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const v = verdicts(report);
    expect(v['check:same-session']).toBe('fail');
    expect(v['counter-bounded:resume.orphanedSessions']).toBe('leak');
    const why = reasons(report, 'check:context-kept');
    expect(why).toMatch(/thread t\d \(after adapter process restart \(cycle 0\)\): follow-up went to a new session ses_\w+/);
    expect(why).toMatch(/the canary '[a-z]+-[a-z]+-\d+' was not in the model's request/);
    expect(why).toMatch(/thread t\d \(after OpenCode restart \(cycle 1\)\): follow-up went to a new session/);
    expect(report.expectations.find((e) => e.id === 'check:context-kept')?.estimate).toMatch(/^(\d+) of \1 failed$/);
  });

  it('passes the fixed adapter: cursors from the harness store resume the same sessions after every restart', async () => {
    const { exitCode, report } = await runScenario(small, { outRoot: testOut() });
    expect(report.error).toBeUndefined();
    // Checks say pass, memory and growth expectations say bounded.
    const expected = (id: string) => (id.startsWith('check:') ? 'pass' : 'bounded');
    expect(
      Object.entries(verdicts(report)).every(([id, v]) => v === expected(id)),
      JSON.stringify(verdicts(report)),
    ).toBe(true);
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    const held = reasons(report, 'check:same-session');
    expect(held).toMatch(/All 13 same-session checks passed/);
  });

  it('fails the every-error-is-not-found twin on the 500 case', async () => {
    const { exitCode, report } = await runScenario(small, {
      target: fixture('targets/resume/every-error-not-found.ts'),
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    expect(verdicts(report)['check:server-error-fails-start']).toBe('fail');
    expect(reasons(report, 'check:server-error-fails-start')).toMatch(
      /session\.get answered 500 .* went on silently in a new, empty session/,
    );
  });
});
