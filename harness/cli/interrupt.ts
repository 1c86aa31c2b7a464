// The CLIs' handling of SIGINT and SIGTERM, in one place. The first signal aborts the run's
// AbortSignal: the run stops driving, stops its target, judges its samples so far and writes its
// report, then exits 128 + the signal's number. A second signal exits at once with that code;
// the exit hook of harness/target/children.ts still kills the children and removes temporary
// worktrees.
import { INTERRUPT_SIGNALS, interruptExitCode, Interrupted } from '../core/interrupt.ts';

/**
 * Install the handlers for the rest of the process's life; returns the signal the first SIGINT or
 * SIGTERM aborts. `say` is where the one-line notices go (stderr).
 */
export function handleInterrupts(say: (line: string) => void, exit: (code: number) => void = (code) => process.exit(code)): AbortSignal {
  const controller = new AbortController();
  for (const name of INTERRUPT_SIGNALS) {
    const handler = () => {
      if (controller.signal.aborted) {
        say(`churnlab: ${name} again: exiting now (children are killed; the report may be missing).`);
        exit(interruptExitCode(name));
        return;
      }
      say(`churnlab: ${name}: stopping; judging the samples so far and writing the report (${name} again to exit at once).`);
      controller.abort(new Interrupted(name, Date.now()));
    };
    process.on(name, handler);
  }
  return controller.signal;
}
