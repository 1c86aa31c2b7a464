// Seed leak 5, the idle reaper, end to end through runScenario (the CLI's code path): the adapter
// runs in its own process with the app's reaper on the virtual clock, the harness keeps the
// cursors, the mock OpenCode and its fake LLM record what the model saw.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import scenario from '../../scenarios/resume-after-reaper.ts';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { explain, fixture, testOut } from './helpers.ts';

/** Few threads and cycles: 3 cycles give the orphan counter the 4 judged points it needs. */
const small = { ...scenario, params: { ...scenario.params, sessions: 3, cycles: 3 } };
const verdicts = (r: RunReport) => Object.fromEntries(r.expectations.map((e) => [e.id, e.verdict]));
const reasons = (r: RunReport, id: string) => r.expectations.find((e) => e.id === id)?.reasons.join('\n') ?? '';

describe('resume-after-reaper', () => {
  it('fails the leaky adapter: follow-ups land in new sessions without the canary, one orphan per thread per reap', async () => {
    const { exitCode, report } = await runScenario(small, {
      target: fixture('targets/resume/leaky.ts'),
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const v = verdicts(report);
    expect(v['check:same-session']).toBe('fail');
    expect(v['check:context-kept']).toBe('fail');
    expect(v['counter-bounded:resume.orphanedSessions']).toBe('leak');
    expect(reasons(report, 'check:same-session')).toMatch(
      /thread t\d \(after idle reap \d\): follow-up went to a new session ses_\w+ \(was ses_\w+\); the canary '[a-z]+-[a-z]+-\d+' was not in the model's request/,
    );
    // Every reap of every thread leaves one session bound to nothing: +3 per cycle with 3 threads.
    const orphans = report.expectations.find((e) => e.id === 'counter-bounded:resume.orphanedSessions');
    expect(orphans?.metric?.slopePerUnit).toBe(3);
    expect(orphans?.estimate).toMatch(/\+3 orphaned sessions per cycle/);
    expect(orphans?.reasons.join('\n')).toMatch(
      /After cycle 3: \d+ orphaned sessions, e\.g\. ses_\w+ \(thread t\d's session, left after idle reap 3\)/,
    );
    // With no cursor there is nothing to probe: the 500 goes unnoticed and the thread starts empty.
    expect(v['check:server-error-fails-start']).toBe('fail');
    expect(reasons(report, 'check:server-error-fails-start')).toMatch(/never asked: the adapter does not probe its cursor/);
  });

  it('passes the fixed adapter: same session, canary seen, orphans flat, every start path right', async () => {
    const { exitCode, report, dir } = await runScenario(small, { outRoot: testOut() });
    expect(report.error).toBeUndefined();
    // Checks say pass, memory and growth expectations say bounded.
    const expected = (id: string) => (id.startsWith('check:') ? 'pass' : 'bounded');
    expect(
      Object.entries(verdicts(report)).every(([id, v]) => v === expected(id)),
      JSON.stringify(verdicts(report)),
    ).toBe(true);
    expect(exitCode, explain(report)).toBe(EXIT.pass);
    // 3 threads x (1 warm-up + 3 judged) reaps, plus the retry after the 500 (the moved thread has its own check).
    expect(report.expectations.find((e) => e.id === 'check:same-session')?.estimate).toBe('13 of 13 passed');
    expect(report.expectations.find((e) => e.id === 'check:reaper-stops')?.estimate).toBe('12 of 12 passed');
    // The store lives in the run folder, outside the target: one v1 cursor per thread.
    const store = JSON.parse(readFileSync(join(dir, 'resume-cursors.json'), 'utf8')) as Record<
      string,
      { cursor: unknown; sessionId: string; directory: string }
    >;
    expect(Object.keys(store).sort()).toEqual(['t1', 't2', 't3']);
    for (const b of Object.values(store)) expect(b.cursor).toEqual({ schemaVersion: 1, sessionId: b.sessionId, directory: b.directory });
  });

  it('fails the twin that takes every error for "not found": the 500 on session.get silently empties the thread', async () => {
    const { exitCode, report } = await runScenario(small, {
      target: fixture('targets/resume/every-error-not-found.ts'),
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const v = verdicts(report);
    expect(v['check:server-error-fails-start']).toBe('fail');
    expect(reasons(report, 'check:server-error-fails-start')).toMatch(
      /thread t2: session\.get answered 500 for ses_\w+, and the start went on silently in a new, empty session ses_\w+ instead of failing/,
    );
    // It resumes otherwise: the same session every time, but t2's conversation is gone.
    expect(v['check:same-session']).toBe('pass');
    expect(v['check:stale-cursor-starts-fresh']).toBe('pass');
    expect(v['check:context-kept']).toBe('fail');
    expect(reasons(report, 'check:context-kept')).toMatch(/thread t2 \(retry after a 500 on session\.get\)/);
    expect(reasons(report, 'check:context-kept')).not.toMatch(/thread t[13] /);
  });

  it('fails the twin that re-forks a moved thread on every start: one orphan per cycle, the model never notices', async () => {
    const { exitCode, report } = await runScenario(small, {
      target: fixture('targets/resume/forks-every-start.ts'),
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    const v = verdicts(report);
    expect(v['check:context-kept']).toBe('pass');
    expect(v['check:moved-thread-forks']).toBe('pass');
    expect(v['check:same-session']).toBe('fail');
    // With 3 threads the moved one is t1 (the probes go round the threads).
    expect(reasons(report, 'check:same-session')).toMatch(/thread t1 \(after idle reap 1\): follow-up went to a new session/);
    expect(report.expectations.find((e) => e.id === 'counter-bounded:resume.orphanedSessions')?.metric?.slopePerUnit).toBe(1);
  });

  it('an adapter that cannot start at all fails the run with its own error, not a harness error', async () => {
    const { exitCode, report } = await runScenario(small, {
      target: fixture('targets/resume/refuses-start.ts'),
      outRoot: testOut(),
      diagnose: false,
    });
    expect(report.error).toBeUndefined();
    expect(exitCode, explain(report)).toBe(EXIT.leak);
    expect(reasons(report, 'check:same-session')).toMatch(
      /thread t1: starting a new conversation failed: Error: thread t1: OpenCode rejected the credentials \(401\) \(the workload stopped here\)/,
    );
  });

  it('reports a missing adapter module as bad target code, naming the contract', async () => {
    const { exitCode, report } = await runScenario(small, {
      target: fixture('targets/unclean-exit/control.ts'),
      outRoot: testOut(),
      diagnose: false,
    });
    expect(exitCode).toBe(EXIT.targetError);
    expect(report.error?.message ?? '').toMatch(/not an adapter module: expected an exported createAdapter/);
  });
});
