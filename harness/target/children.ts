// The one registry of what must not outlive the harness: every process churnlab starts (targets,
// command services, opencode serve, field runs) and the cleanups of what it makes on disk
// (temporary worktrees). When the harness exits, every live child is SIGKILLed (one that leads
// its own process group with its whole group), then the cleanups run. A SIGINT or SIGTERM that
// would end the harness (no other listener) does the same, then ends the harness by that signal;
// an interruptible command handles the signal itself (it stops its run and its children), and
// its exit, or a second signal through process.exit, does the rest. A SIGKILLed harness runs no
// handler: the target's watchdog thread and opencode serve's sh watchdog cover that.
//
// It lives in target/, the lowest layer that starts processes: core/ stays free of I/O.
import type { ChildProcess } from 'node:child_process';
import { INTERRUPT_SIGNALS, type InterruptSignal } from '../core/interrupt.ts';

/** 'group': the child leads its own process group (spawned `detached`), and a kill reaches the group. */
export type KillScope = 'process' | 'group';

const live = new Map<ChildProcess, KillScope>();
const cleanups = new Set<() => void>();
let installed = false;

/**
 * Send `signal` to the child, or to its process group (its children too), falling back to the
 * child alone when the group is gone. Never throws: a child already gone needs no signal.
 */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals, scope: KillScope): void {
  if (scope === 'group' && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // the group is gone: try the child alone
    }
  }
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

function endEverything(): void {
  for (const [child, scope] of live) signalChild(child, 'SIGKILL', scope);
  live.clear();
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // one failed cleanup must not keep the others from running
    }
  }
}

function onSignal(signal: InterruptSignal): void {
  // Another listener (an interruptible command) turns the signal into a stop of its run.
  if (process.listenerCount(signal) > 1) return;
  endEverything();
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', endEverything);
  for (const signal of INTERRUPT_SIGNALS) process.on(signal, onSignal);
}

/** Kill `child` (or its group) if the harness ends while it lives; returns the function that forgets it. */
export function trackChild(child: ChildProcess, scope: KillScope): () => void {
  install();
  live.set(child, scope);
  return () => {
    live.delete(child);
  };
}

/** Run `cleanup` (synchronous) if the harness ends before it is forgotten; returns the function that forgets it. */
export function atHarnessEnd(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Pids of the process-group leaders still tracked (tests check that none leaks). */
export function trackedGroups(): number[] {
  return [...live].flatMap(([child, scope]) => (scope === 'group' && child.pid !== undefined ? [child.pid] : []));
}
