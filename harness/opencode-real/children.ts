// The real server must never outlive the harness. Every server is started as the leader of its
// own process group (through the watchdog in process.ts); this registry SIGKILLs the groups it
// knows on exit, SIGINT and SIGTERM. A SIGKILLed harness runs no handler: the watchdog covers that.

const groups = new Set<number>();
let installed = false;

function killAll(): void {
  for (const pgid of groups) killGroup(pgid, 'SIGKILL');
  groups.clear();
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Only ours: restore the default (the process ends by that signal, as it would have).
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Remember a process group to kill when the harness exits. */
export function trackGroup(pgid: number): void {
  install();
  groups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  groups.delete(pgid);
}

/** Groups still tracked (tests check that none leaks). */
export function trackedGroups(): number[] {
  return [...groups];
}
