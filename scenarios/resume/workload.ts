// The workload both resume scenarios share (seed leak 5): threads that each tell the model a
// unique canary phrase in turn 1, then cycles of "the binding goes away" (idle reap, adapter
// restart, OpenCode restart) followed by one follow-up per thread. Each follow-up is checked:
// same session as before, and the model's request for it carries the canary. Probes cover the
// start paths a cycle never takes: a cursor to a deleted session, a 500 on session.get, a cursor
// the adapter cannot read, a thread moved to another directory. After every cycle the orphaned
// upstream sessions are counted into the samples (judged as growth per cycle).
//
// Uses only run.backend (url, llm, faults, restart) and the SDK against backend.url, so it runs
// on the mock and on the real `opencode serve` alike; run.opencode only for an optional extra check.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpencodeClient, type OpencodeClient, type PermissionRuleset } from '@opencode-ai/sdk/v2';
import type { OpenCodeBackend } from '../../harness/opencode/backend.ts';
import type { AdapterRun } from '../../harness/scenario/context.ts';
import type { CommonParams } from '../../harness/scenario/define.ts';
import type { AdapterControl } from '../../harness/scenario/adapter-driver.ts';
import { expectChecksPass, expectCounterBounded, type Expectation } from '../../harness/scenario/expect.ts';
import { historyLength, requestFor, requestMentions } from './llm.ts';
import { listOrphans } from './orphans.ts';

export interface ResumeParams extends CommonParams {
  /** `sessions` is the number of threads (what --sessions sets). */
  sessions: number;
  /** Cycles of the judged phase (each: every thread loses its binding, then one follow-up each). */
  cycles: number;
}

/** Sample counter: orphaned upstream sessions (server sessions in the run's directories bound to no thread). */
export const ORPHANS_COUNTER = 'resume.orphanedSessions';

/** The checks the workload records (run.check) and the scenarios expect to pass. */
export const CHECKS = {
  sameSession: 'same-session',
  contextKept: 'context-kept',
  staleCursor: 'stale-cursor-starts-fresh',
  serverError: 'server-error-fails-start',
  corruptCursor: 'corrupt-cursor-starts-fresh',
  movedThread: 'moved-thread-forks',
} as const;

/** The expectations both scenarios declare on the checks above and the orphan counter. */
export function resumeExpectations(): Expectation[] {
  return [
    expectChecksPass(CHECKS.sameSession, 'every follow-up after the binding was lost lands on the same OpenCode session'),
    expectChecksPass(CHECKS.contextKept, "the model's request for every follow-up carries the earlier turns (the canary from turn 1)"),
    expectCounterBounded(ORPHANS_COUNTER, 'orphaned sessions', 'orphaned upstream sessions (bound to no thread) do not grow with cycles'),
    expectChecksPass(CHECKS.staleCursor, 'a cursor to a session deleted on the server starts fresh'),
    expectChecksPass(CHECKS.serverError, 'a 500 on session.get fails the start loudly instead of silently starting fresh'),
    expectChecksPass(CHECKS.corruptCursor, 'a malformed cursor starts fresh instead of failing'),
    expectChecksPass(CHECKS.movedThread, 'a thread moved to another directory keeps its history (a fork, not a fresh session)'),
  ];
}

/** Every thread's session asks before edits: re-applied on every resume. */
const PERMISSION: PermissionRuleset = [{ permission: 'edit', pattern: '*', action: 'ask' }];
const COLOURS = ['blue', 'amber', 'crimson', 'olive', 'silver', 'violet', 'teal', 'ochre'];
const BIRDS = ['heron', 'wren', 'kestrel', 'plover', 'magpie', 'swift', 'egret', 'finch'];

interface Thread {
  id: string;
  directory: string;
  /** The canary of the current conversation's first turn. */
  canary: string;
}

export interface LoseBindings {
  /** Words for the reports: "after idle reap 2". */
  label(cycle: number): string;
  /** Make every thread lose its binding (the adapter keeps running or is replaced). */
  run(run: AdapterRun, adapter: AdapterControl, backend: OpenCodeBackend, cycle: number): Promise<void>;
}

/**
 * The adapter failed where the workload cannot go on (a thread's first start or turn 1): the
 * failure is recorded as a failed check and the workload ends, so the run says what broke (exit 1)
 * instead of reporting a harness error.
 */
class WorkloadStopped extends Error {}

const messages = (n: number) => `${n} message${n === 1 ? '' : 's'}`;

class ResumeWorkload {
  private readonly client: OpencodeClient;
  private readonly root: string;
  private readonly threads: Thread[] = [];
  private readonly directories: string[] = [];
  private nonce = 0;
  private canaries = 0;
  /** Sessions a thread left behind, and when: names for the orphans in the reports. */
  private readonly leftBehind = new Map<string, string>();

  constructor(
    private readonly run: AdapterRun,
    private readonly adapter: AdapterControl,
    private readonly backend: OpenCodeBackend,
    private readonly seed: number,
  ) {
    this.client = createOpencodeClient({ baseUrl: backend.url });
    this.root = mkdtempSync(join(tmpdir(), 'churnlab-resume-'));
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private dir(name: string): string {
    const path = join(this.root, name);
    mkdirSync(path, { recursive: true });
    this.directories.push(path);
    return path;
  }

  private nextCanary(): string {
    const n = this.canaries + this.seed;
    this.canaries += 1;
    return `${COLOURS[n % COLOURS.length]}-${BIRDS[Math.floor(n / COLOURS.length) % BIRDS.length]}-${this.canaries}`;
  }

  /** A start the workload cannot go on without (a new conversation). */
  private async mustStart(t: Thread): Promise<string> {
    const out = await this.adapter.start(t.id, { directory: t.directory, permission: PERMISSION });
    if (!out.ok) this.stop(`thread ${t.id}: starting a new conversation failed: ${out.error.name}: ${out.error.message}`);
    return out.sessionId;
  }

  private stop(detail: string): never {
    this.run.check({ check: CHECKS.sameSession, ok: false, detail: `${detail} (the workload stopped here)` });
    throw new WorkloadStopped(detail);
  }

  /** Turn 1 of a conversation: the thread's canary. */
  private async firstTurn(t: Thread): Promise<void> {
    t.canary = this.nextCanary();
    const out = await this.adapter.turn(t.id, `Thread ${t.id}, turn 1. Remember this canary phrase: ${t.canary}.`);
    if (!out.ok) this.stop(`thread ${t.id}: turn 1 failed: ${out.error.name}: ${out.error.message}`);
  }

  async open(count: number): Promise<void> {
    for (let i = 1; i <= count; i += 1) {
      const t: Thread = { id: `t${i}`, directory: this.dir(`t${i}`), canary: '' };
      this.threads.push(t);
      await this.mustStart(t);
      await this.firstTurn(t);
    }
  }

  /**
   * One follow-up on a thread that has no live binding: start (with its stored cursor), one turn,
   * then the checks. `moved`: the thread asked for another directory, so a fork is the right answer.
   */
  private async followUp(t: Thread, when: string, moved = false): Promise<void> {
    const before = this.adapter.cursors.get(t.id)?.sessionId;
    const text = `Follow-up #${++this.nonce} on thread ${t.id} (${when}): what was the canary phrase?`;
    const where = `thread ${t.id} (${when})`;
    const record = (detail: string, same: boolean, kept: boolean) => {
      this.run.check({ check: moved ? CHECKS.movedThread : CHECKS.sameSession, ok: same, detail });
      this.run.check({ check: CHECKS.contextKept, ok: kept, detail });
    };
    const started = await this.adapter.start(t.id, { directory: t.directory, permission: PERMISSION });
    if (!started.ok) return record(`${where}: the start failed: ${started.error.message}`, false, false);
    const turn = await this.adapter.turn(t.id, text);
    if (!turn.ok) return record(`${where}: the follow-up failed: ${turn.error.message}`, false, false);
    this.rebound(t, before, turn.sessionId, when);

    let same = turn.sessionId === before;
    let landed = same ? `stayed on ${turn.sessionId}` : `went to a new session ${turn.sessionId} (was ${before ?? 'none'})`;
    if (moved) {
      // Where a fork lives is the server's business: opencode serve 1.18.33 keeps the source's
      // directory on POST /session/{id}/fork?directory=… (measured), so only the history is judged.
      const info = await this.client.session.get({ sessionID: turn.sessionId, directory: t.directory });
      landed = `continued in ${turn.sessionId === before ? 'the same session' : before ? `a new session (was ${before})` : 'a new session'} ${turn.sessionId}, directory ${info.data?.directory ?? '(unknown)'}`;
    }
    const request = requestFor(this.backend.llm, text);
    const kept = request !== undefined && requestMentions(request, t.canary);
    const seen = request
      ? kept
        ? `the model's request carried the canary '${t.canary}' (${messages(historyLength(request))})`
        : `the canary '${t.canary}' was not in the model's request (${messages(historyLength(request))})`
      : `no model request carried the follow-up's text (the canary '${t.canary}' cannot have been seen)`;
    // On the mock only: the request names its session, so what the adapter claimed can be held to it.
    if (this.run.opencode && request?.sessionID !== undefined && request.sessionID !== turn.sessionId) {
      same = false;
      landed += `; but the model's request was for ${request.sessionID}`;
    }
    // A moved thread passes on its history: a fresh session in the new directory is no fork.
    record(`${where}: follow-up ${landed}; ${seen}.`, moved ? kept : same, kept);
  }

  /** Every thread, one follow-up each. */
  async followUps(when: string): Promise<void> {
    for (const t of this.threads) await this.followUp(t, when);
  }

  private pick(n: number): Thread {
    return this.threads[n % this.threads.length]!;
  }

  /** Start paths no cycle takes; each on an unbound thread. */
  async probes(): Promise<void> {
    await this.staleCursor(this.pick(0));
    await this.serverError(this.pick(1));
    await this.corruptCursor(this.pick(2));
    await this.movedThread(this.pick(3));
  }

  private async unbind(t: Thread): Promise<void> {
    if (this.adapter.liveThreads().includes(t.id)) await this.adapter.stop(t.id);
  }

  /** The thread's session was deleted on the server: the start must go on in a fresh session. */
  private async staleCursor(t: Thread): Promise<void> {
    await this.unbind(t);
    const old = this.adapter.cursors.get(t.id)?.sessionId;
    if (old) await this.client.session.delete({ sessionID: old, directory: t.directory });
    const out = await this.adapter.start(t.id, { directory: t.directory, permission: PERMISSION });
    const where = `thread ${t.id}: its session ${old} was deleted on the server`;
    this.run.check({
      check: CHECKS.staleCursor,
      ok: out.ok && out.sessionId !== old,
      detail: out.ok
        ? out.sessionId !== old
          ? `${where}; the start went on in a fresh session ${out.sessionId}.`
          : `${where}; the start claimed the deleted session again.`
        : `${where}; the start failed (${out.error.message}) instead of starting fresh.`,
    });
    if (!out.ok) await this.mustStart(t);
    await this.firstTurn(t); // a new conversation: a new canary
  }

  /** session.get answers 500: the start must fail loudly, and a retry must resume the same session. */
  private async serverError(t: Thread): Promise<void> {
    await this.unbind(t);
    const old = this.adapter.cursors.get(t.id)?.sessionId;
    const fault = this.backend.faults.add({ kind: '500', route: 'session.get', ...(old ? { sessionID: old } : {}), times: 1 });
    const out = await this.adapter.start(t.id, { directory: t.directory, permission: PERMISSION });
    const hits = fault.hits;
    fault.remove();
    const where =
      hits > 0
        ? `thread ${t.id}: session.get answered 500 for ${old}`
        : `thread ${t.id}: a 500 was set on session.get for ${old}, but session.get was never asked: the adapter does not probe its cursor`;
    this.run.check({
      check: CHECKS.serverError,
      ok: !out.ok,
      detail: out.ok
        ? `${where}, and the start went on silently in ${out.sessionId === old ? 'the same' : 'a new, empty'} session ${out.sessionId} instead of failing.`
        : `${where}; the start failed loudly: ${out.error.message}`,
    });
    if (out.ok) {
      this.rebound(t, old, out.sessionId, 'after a 500 on session.get');
      await this.adapter.stop(t.id);
    }
    await this.followUp(t, 'retry after a 500 on session.get');
  }

  /** A cursor the adapter cannot read (malformed): no resume, and no crash. */
  private async corruptCursor(t: Thread): Promise<void> {
    await this.unbind(t);
    const old = this.adapter.cursors.get(t.id)?.sessionId;
    const out = await this.adapter.startWithCursor(t.id, 'churnlab: not a cursor', { directory: t.directory, permission: PERMISSION });
    this.run.check({
      check: CHECKS.corruptCursor,
      ok: out.ok,
      detail: out.ok
        ? `thread ${t.id}: a malformed cursor started a fresh session ${out.sessionId}.`
        : `thread ${t.id}: a malformed cursor failed the start (${out.error.message}) instead of starting fresh.`,
    });
    if (out.ok) this.rebound(t, old, out.sessionId, 'after a malformed cursor');
    if (!out.ok) await this.mustStart(t);
    await this.firstTurn(t);
  }

  /** The thread moved to another working directory: its conversation must follow (a fork). */
  private async movedThread(t: Thread): Promise<void> {
    await this.unbind(t);
    t.directory = this.dir(`${t.id}-worktree`);
    await this.followUp(t, 'moved to another directory', true);
  }

  private rebound(t: Thread, before: string | undefined, after: string, when: string): void {
    if (before && before !== after) this.leftBehind.set(before, `thread ${t.id}'s session, left ${when}`);
  }

  /** Count the orphans into the samples, and note which threads left the newest ones behind. */
  async countOrphans(cycle: number): Promise<number> {
    const orphans = await listOrphans(this.client, this.directories, this.adapter.cursors.boundSessions());
    this.run.setCounter(ORPHANS_COUNTER, orphans.length);
    // Ids descend with creation time (ses_ ids, mock and real): the first are the newest.
    const named = orphans.slice(0, 4).map((id) => `${id} (${this.leftBehind.get(id) ?? 'no thread known to the harness'})`);
    this.run.check({
      check: ORPHANS_COUNTER,
      ok: true,
      detail: `After cycle ${cycle}: ${orphans.length} orphaned session${orphans.length === 1 ? '' : 's'}${named.length ? `, e.g. ${named.join(', ')}` : ''}.`,
    });
    return orphans.length;
  }

  async loseAndFollowUp(lose: LoseBindings, cycle: number): Promise<void> {
    await lose.run(this.run, this.adapter, this.backend, cycle);
    await this.followUps(lose.label(cycle));
  }
}

/** The shared workload: open threads, warm up one cycle, probes, then the judged cycles. */
export async function resumeWorkload(run: AdapterRun, p: ResumeParams, lose: LoseBindings): Promise<void> {
  const { adapter, backend } = run;
  if (!(p.sessions >= 1) || !(p.cycles >= 1))
    throw new Error(`resume scenarios need at least 1 thread and 1 cycle (got ${p.sessions} threads, ${p.cycles} cycles)`);
  const w = new ResumeWorkload(run, adapter, backend, p.seed);
  try {
    run.phase('warmup');
    await w.open(p.sessions);
    await w.loseAndFollowUp(lose, 0);
    run.phase('probes');
    await w.probes();
    run.phase('churn');
    await w.countOrphans(0);
    // The judged series starts at 0 cycles: the orphans the warm-up and the probes left.
    await run.did('cycle', 0);
    await run.sample();
    for (let cycle = 1; cycle <= p.cycles; cycle += 1) {
      await w.loseAndFollowUp(lose, cycle);
      await w.countOrphans(cycle);
      await run.did('cycle', 1);
    }
  } catch (e) {
    if (!(e instanceof WorkloadStopped)) throw e;
  } finally {
    w.dispose();
  }
}
