// Ends the target if the harness dies without ending it (SIGKILL, OOM killer, a CI cancel).
// The IPC 'disconnect' event covers an idle target, but a target stuck in a busy loop never
// sees it; this thread does: it polls the parent pid and SIGKILLs its own process when the
// parent changes (re-parented to init). A worker has its own isolate, so its timer is real,
// and it costs nothing in the target's heap (RSS: a few MB for the thread).
import { Worker } from 'node:worker_threads';

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const timer = setInterval(() => {
  if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL');
}, workerData.everyMs);
`;

/**
 * Resolves once the thread runs: its start-up leaves transient objects in the main heap
 * (~50 KB, measured), which must be garbage before the first sample, not during the run.
 */
export function startParentWatchdog(everyMs = 1_000): Promise<void> {
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    // No --import of tsx or of the clock preload: plain timers, fast start.
    execArgv: [],
    workerData: { ppid: process.ppid, pid: process.pid, everyMs },
    stdout: false,
    stderr: false,
  });
  // Never keeps the target alive on its own.
  worker.unref();
  return new Promise((resolve) => {
    worker.once('online', () => resolve());
    // A watchdog that cannot start must not stop the target from starting.
    worker.once('error', () => resolve());
  });
}
