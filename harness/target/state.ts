// The life of one target process as one state, and every move between states in one function:
// what the harness may still do with the process (attach, call, stop, judge) follows from where
// it is, and how it ended follows from how it got there and what it said on the way out.
import type { ErrorInfo, TargetOutcome } from './outcome.ts';

/** An outcome the harness reached before killing the process (hung, too slow, never ready); the stderr tail is read at the end. */
export type Verdict = (stderrTail: string) => TargetOutcome;

/** How the process ended, as far as the harness had a hand in it. */
export type Ending = { by: 'itself' } | { by: 'stop' } | { by: 'verdict'; verdict: Verdict };

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type TargetState =
  /** Spawned: waiting for the host's 'ready' and the inspector's URL (the URL is the target's own field). */
  | { kind: 'starting'; hostReady: boolean }
  /** Both known: attaching over CDP. */
  | { kind: 'attaching' }
  /** Ready and attached: launchTarget has resolved. */
  | { kind: 'running' }
  /** stop() is under way: host.dispose, IPC disconnect, SIGTERM, SIGKILL. */
  | { kind: 'stopping' }
  /** The harness judged the process and sent SIGKILL; the verdict is its outcome. */
  | { kind: 'killing'; verdict: Verdict }
  /** The process has exited; its stderr drains (an OOM report is its last bytes) before it is judged. */
  | { kind: 'draining'; exit: ProcessExit; ending: Ending }
  /** Judged: every call rejects with the outcome. */
  | { kind: 'ended'; outcome: TargetOutcome };

/**
 * What the process said about its end before it came, in whatever state it was: V8's OOM report
 * on stderr, a load error or an uncaught error over IPC. Not a state: several may be seen, and the
 * outcome picks one (judgeOutcome).
 */
export interface LastWords {
  oom: boolean;
  loadError?: ErrorInfo;
  fatal?: ErrorInfo;
  /** The code the target announced from its 'exit' event (protocol.ts: EXIT_ANNOUNCEMENT). */
  exitCode?: number;
}

export type TargetEvent =
  | { type: 'host-ready' }
  | { type: 'attach' }
  | { type: 'attached' }
  | { type: 'stop' }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'exit'; exit: ProcessExit }
  | { type: 'end'; lastWords: LastWords; stderrTail: string };

/** Alive and not yet on its way out: the only states a stop or a verdict applies to. */
function isUp(state: TargetState): boolean {
  return state.kind === 'starting' || state.kind === 'attaching' || state.kind === 'running';
}

function endingOf(state: TargetState): Ending {
  if (state.kind === 'stopping') return { by: 'stop' };
  if (state.kind === 'killing') return { by: 'verdict', verdict: state.verdict };
  return { by: 'itself' };
}

/** The state after `event`, or undefined when the event does not apply there (a late timer, a second stop). */
export function nextState(state: TargetState, event: TargetEvent): TargetState | undefined {
  switch (event.type) {
    case 'host-ready':
      return state.kind === 'starting' ? { kind: 'starting', hostReady: true } : undefined;
    case 'attach':
      return state.kind === 'starting' && state.hostReady ? { kind: 'attaching' } : undefined;
    case 'attached':
      return state.kind === 'attaching' ? { kind: 'running' } : undefined;
    case 'stop':
      return isUp(state) ? { kind: 'stopping' } : undefined;
    case 'verdict':
      return isUp(state) ? { kind: 'killing', verdict: event.verdict } : undefined;
    case 'exit':
      if (state.kind === 'draining' || state.kind === 'ended') return undefined;
      return { kind: 'draining', exit: event.exit, ending: endingOf(state) };
    case 'end':
      if (state.kind !== 'draining') return undefined;
      return { kind: 'ended', outcome: judgeOutcome(state.ending, state.exit, event.lastWords, event.stderrTail) };
  }
}

/**
 * The outcome of an exited process. The harness's own verdict comes first (it killed the process
 * for it), then the process's last words that explain any ending (out of memory, never loaded),
 * then a stop the harness asked for, then how the process died.
 */
export function judgeOutcome(ending: Ending, exit: ProcessExit, lastWords: LastWords, stderrTail: string): TargetOutcome {
  if (ending.by === 'verdict') return ending.verdict(stderrTail);
  if (lastWords.oom) return { kind: 'oom', stderrTail };
  if (lastWords.loadError) return { kind: 'load-error', error: lastWords.loadError, stderrTail };
  if (ending.by === 'stop') return { kind: 'stopped' };
  const cause = lastWords.fatal;
  // A signal with no exit code announced is how the process died; one after the announcement came
  // in Node's own teardown, and the exit is the target's.
  if (exit.signal && lastWords.exitCode === undefined)
    return { kind: 'crashed', code: null, signal: exit.signal, ...(cause ? { cause } : {}), stderrTail };
  const code = exit.signal ? lastWords.exitCode! : (exit.code ?? 0);
  const teardown = exit.signal ? { teardownSignal: exit.signal } : {};
  if (cause) return { kind: 'crashed', code, signal: null, cause, ...teardown, stderrTail };
  return { kind: 'exited', code, ...teardown, stderrTail };
}
