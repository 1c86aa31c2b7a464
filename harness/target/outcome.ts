// How a target process ended, and the sentence a person reads about it.

export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
}

export type TargetOutcome =
  | { kind: 'stopped' }
  // teardownSignal: a signal Node died of in its own teardown, after the target's exit.
  | { kind: 'exited'; code: number; teardownSignal?: string; stderrTail: string }
  | { kind: 'crashed'; code: number | null; signal: string | null; cause?: ErrorInfo; teardownSignal?: string; stderrTail: string }
  | { kind: 'oom'; stderrTail: string }
  | { kind: 'load-error'; error: ErrorInfo; stderrTail: string }
  | { kind: 'hung'; method: string; afterMs: number; stderrTail: string }
  | { kind: 'timeout'; afterMs: number; stderrTail: string }
  | { kind: 'start-timeout'; afterMs: number; stderrTail: string };

export type OutcomeKind = TargetOutcome['kind'];

/** V8's last words when the heap limit is hit ("Reached heap limit", "JavaScript heap out of memory"). */
const OOM_PATTERN = /JavaScript heap out of memory|Reached heap limit|FATAL ERROR: .*(Allocation failed|out of memory)/;

export function looksLikeOom(stderr: string): boolean {
  return OOM_PATTERN.test(stderr);
}

export class TargetError extends Error {
  override name = 'TargetError';
  readonly stderrTail: string;
  constructor(
    readonly outcome: TargetOutcome,
    /** Who the target is, for the message: '"fixtures/x.ts" (unit host)'. */
    readonly targetLabel: string,
    /** The call that was in flight, if any. */
    readonly method?: string,
    /** The target's pid (gone by the time this error exists). */
    readonly pid?: number,
  ) {
    super(describeOutcome(outcome, targetLabel, method));
    this.stderrTail = 'stderrTail' in outcome ? outcome.stderrTail : '';
  }
}

/** An error thrown by the target's own method (the call failed; the process is fine). */
export class TargetCallError extends Error {
  override name = 'TargetCallError';
  constructor(
    readonly method: string,
    readonly remote: ErrorInfo,
    targetLabel: string,
  ) {
    super(`Target ${targetLabel}: call '${method}' failed: ${remote.name}: ${remote.message}`);
    if (remote.stack) this.stack = `${this.name}: ${this.message}\n--- in the target ---\n${remote.stack}`;
  }
}

export function describeOutcome(outcome: TargetOutcome, label: string, method?: string): string {
  const during = method ? ` while '${method}' was running` : '';
  let head: string;
  switch (outcome.kind) {
    case 'stopped':
      return `Target ${label} was stopped by the harness${during}.`;
    case 'exited':
      head = `Target ${label} exited on its own with code ${outcome.code}${during}${teardownNote(outcome.teardownSignal)}.`;
      break;
    case 'crashed': {
      const how = outcome.signal ? `was killed by signal ${outcome.signal}` : `crashed with exit code ${outcome.code}`;
      const cause = outcome.cause ? ` (uncaught ${outcome.cause.name}: ${outcome.cause.message})` : '';
      head = `Target ${label} ${how}${cause}${during}${teardownNote(outcome.teardownSignal)}.`;
      break;
    }
    case 'oom':
      head = `Target ${label} ran out of memory (V8 heap limit reached)${during}.`;
      break;
    case 'load-error':
      head = `Target ${label} failed to load: ${outcome.error.name}: ${outcome.error.message}`;
      break;
    case 'hung':
      head = `Target ${label} hung: call '${outcome.method}' got no answer within ${outcome.afterMs} ms, so the process was killed.`;
      break;
    case 'timeout':
      head = `Target ${label} ran longer than its limit of ${outcome.afterMs} ms${during}, so the process was killed.`;
      break;
    case 'start-timeout':
      head =
        `Target ${label} was not ready within ${outcome.afterMs} ms (loading never finished), so the process was killed. ` +
        'If loading waits on a timer: time inside the target is virtual and stands still until the harness advances it.';
      break;
  }
  const tail = outcome.stderrTail.trim();
  return tail ? `${head}\n--- last lines of the target's stderr ---\n${tail}` : `${head}\n(the target wrote nothing to stderr)`;
}

/** Node dying of a signal after the target's own exit is Node's, not the target's; it is still said. */
function teardownNote(signal: string | undefined): string {
  return signal ? ` (Node then died of ${signal} in its own teardown)` : '';
}
