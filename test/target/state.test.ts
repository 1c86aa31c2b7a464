// The target process's life as one state: which events apply where (a late timer, a second stop
// or a ready message after a kill change nothing), and which outcome an exit gets from how the
// process got there and what it said on the way out.
import { describe, expect, it } from 'vitest';
import { describeOutcome } from '../../harness/target/outcome.ts';
import { judgeOutcome, nextState, type LastWords, type TargetEvent, type TargetState } from '../../harness/target/state.ts';

const hung = (stderrTail: string) => ({ kind: 'hung', method: 'units', afterMs: 100, stderrTail }) as const;
const EXIT_0 = { code: 0, signal: null } as const;
const QUIET: LastWords = { oom: false };

/** The state after each event in turn; undefined as soon as one does not apply. */
function run(events: TargetEvent[], from: TargetState = { kind: 'starting', hostReady: false }): TargetState | undefined {
  let state: TargetState | undefined = from;
  for (const event of events) state = state && nextState(state, event);
  return state;
}

const end = (lastWords: LastWords = QUIET): TargetEvent => ({ type: 'end', lastWords, stderrTail: 'last line' });

describe('the target state', () => {
  it('attaches only once the host is ready, and runs once attached', () => {
    expect(run([{ type: 'attach' }])).toBeUndefined();
    expect(run([{ type: 'host-ready' }, { type: 'attach' }, { type: 'attached' }])).toEqual({ kind: 'running' });
    expect(run([{ type: 'host-ready' }, { type: 'attach' }, { type: 'attach' }])).toBeUndefined();
  });

  it('ends a stopped process as stopped, and takes no second stop and no verdict while stopping', () => {
    const stopping = run([{ type: 'host-ready' }, { type: 'attach' }, { type: 'attached' }, { type: 'stop' }])!;
    expect(stopping).toEqual({ kind: 'stopping' });
    expect(nextState(stopping, { type: 'stop' })).toBeUndefined();
    expect(nextState(stopping, { type: 'verdict', verdict: hung })).toBeUndefined();
    const ended = run([{ type: 'exit', exit: { code: null, signal: 'SIGTERM' } }, end()], stopping);
    expect(ended).toEqual({ kind: 'ended', outcome: { kind: 'stopped' } });
  });

  it("ends a killed process with the harness's verdict, whatever the exit, and keeps the first verdict", () => {
    const killing = run([{ type: 'verdict', verdict: hung }], { kind: 'running' })!;
    expect(killing.kind).toBe('killing');
    expect(nextState(killing, { type: 'stop' })).toBeUndefined();
    expect(nextState(killing, { type: 'verdict', verdict: () => ({ kind: 'stopped' }) })).toBeUndefined();
    expect(run([{ type: 'exit', exit: { code: null, signal: 'SIGKILL' } }, end({ oom: true })], killing)).toEqual({
      kind: 'ended',
      outcome: hung('last line'),
    });
  });

  it('never attaches a process the harness killed before it was attached', () => {
    expect(run([{ type: 'verdict', verdict: hung }, { type: 'host-ready' }])).toBeUndefined();
    expect(run([{ type: 'host-ready' }, { type: 'verdict', verdict: hung }, { type: 'attach' }])).toBeUndefined();
    const attaching = run([{ type: 'host-ready' }, { type: 'attach' }]);
    expect(run([{ type: 'verdict', verdict: hung }, { type: 'attached' }], attaching)).toBeUndefined();
  });

  it('judges only after the exit, once, and ignores a second exit', () => {
    expect(run([end()], { kind: 'running' })).toBeUndefined();
    const draining = run([{ type: 'exit', exit: EXIT_0 }], { kind: 'running' })!;
    expect(nextState(draining, { type: 'exit', exit: { code: 1, signal: null } })).toBeUndefined();
    const ended = nextState(draining, end())!;
    expect(ended).toEqual({ kind: 'ended', outcome: { kind: 'exited', code: 0, stderrTail: 'last line' } });
    expect(nextState(ended, end())).toBeUndefined();
    expect(nextState(ended, { type: 'stop' })).toBeUndefined();
  });
});

describe('the outcome of an exit', () => {
  const itself = { by: 'itself' } as const;
  const stop = { by: 'stop' } as const;
  const fatal = { name: 'Error', message: 'kaboom' };

  const abort = { code: null, signal: 'SIGABRT' } as const;

  it('is oom when V8 reported it, even under a stop, and load-error when loading failed', () => {
    expect(judgeOutcome(stop, abort, { oom: true }, 'heap')).toEqual({ kind: 'oom', stderrTail: 'heap' });
    const loadError = judgeOutcome(itself, { code: 1, signal: null }, { oom: false, loadError: fatal }, 't');
    expect(loadError).toEqual({ kind: 'load-error', error: fatal, stderrTail: 't' });
  });

  it('is stopped under a stop, and otherwise says how the process died', () => {
    expect(judgeOutcome(stop, { code: 1, signal: null }, { oom: false, fatal }, 't')).toEqual({ kind: 'stopped' });
    const crashed = { kind: 'crashed', stderrTail: 't' } as const;
    expect(judgeOutcome(itself, abort, { oom: false, fatal }, 't')).toEqual({ ...crashed, code: null, signal: 'SIGABRT', cause: fatal });
    expect(judgeOutcome(itself, { code: null, signal: 'SIGSEGV' }, QUIET, 't')).toEqual({ ...crashed, code: null, signal: 'SIGSEGV' });
    const exit7 = { code: 7, signal: null } as const;
    expect(judgeOutcome(itself, exit7, { oom: false, fatal }, 't')).toEqual({ ...crashed, code: 7, signal: null, cause: fatal });
    expect(judgeOutcome(itself, { code: 3, signal: null }, QUIET, 't')).toEqual({ kind: 'exited', code: 3, stderrTail: 't' });
  });

  it("is the target's own exit when Node dies of a signal in its teardown after the target announced its code", () => {
    const segv = { code: null, signal: 'SIGSEGV' } as const;
    const announced3: LastWords = { oom: false, exitCode: 3 };
    const outcome = judgeOutcome(itself, segv, announced3, 't');
    expect(outcome).toEqual({ kind: 'exited', code: 3, teardownSignal: 'SIGSEGV', stderrTail: 't' });
    expect(describeOutcome(outcome, 'x.ts')).toMatch(
      /^Target x\.ts exited on its own with code 3 \(Node then died of SIGSEGV in its own teardown\)\./,
    );
    // An uncaught exception still crashes it, with the code Node chose for it.
    expect(judgeOutcome(itself, segv, { oom: false, fatal, exitCode: 1 }, 't')).toMatchObject({
      kind: 'crashed',
      code: 1,
      signal: null,
      cause: fatal,
    });
    // Without the announcement (abort, a kill from outside), the signal is how it died.
    expect(judgeOutcome(itself, segv, QUIET, 't')).toMatchObject({ kind: 'crashed', code: null, signal: 'SIGSEGV' });
    // A stop the harness asked for stays a stop.
    expect(judgeOutcome(stop, segv, announced3, 't')).toEqual({ kind: 'stopped' });
  });
});
