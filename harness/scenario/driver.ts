// Implements the run context: turns a workload's primitives into batched IPC calls to the target,
// advances its virtual clock, and samples it at the scenario's cadence. Samples go to the sink
// (streamed to disk) as soon as they are taken.
import type { Sample, WorkUnit } from '../core/types.ts';
import type { TargetProcess } from '../target/launch.ts';
import type { Sampler } from '../observe/sampler.ts';
import { HISTORY_COUNTER, type ChurnOptions, type OpenSession, type RunContext } from './context.ts';
import type { ClockState } from '../wire/protocol.ts';
import type { MockOpenCode } from '../opencode/index.ts';
import type { OpenCodeBackend } from '../opencode/backend.ts';
import type { AdapterControl } from './adapter-driver.ts';
import type { CheckFinding } from './expectations/kind.ts';
import { throwIfInterrupted } from '../core/interrupt.ts';
import { DEFAULTS } from '../core/defaults.ts';
import { FixedPlan, type MainPhasePlan } from './sequential.ts';

/** What the driver needs of a target: IPC calls and the clock (a launched target, or a command). */
export type DrivenTarget = Pick<TargetProcess, 'call' | 'advanceClock'>;

export interface DriverOptions {
  /** Tool calls per assistant reply (the mock's reply shape), to size batches of a 'tool call' unit. */
  toolCallsPerMessage?: number;
  serviceUrl?: string;
  backend?: OpenCodeBackend;
  unit: WorkUnit;
  /** Work between samples, and the size of a batch; absent: samples only when asked (a load samples on its own cadence). */
  sampleEveryUnits?: number;
  startedAtMs: number;
  /** Attach the target's own `stats()` counters (service targets) to each sample, as `service.<name>`. */
  serviceStats?: boolean;
  /** Extra exact counters to attach to each sample (e.g. the mock OpenCode's accounting). */
  counters?: () => Record<string, number>;
  onSample(sample: Sample): void;
  /** Adapter targets: run.adapter. */
  adapter?: AdapterControl;
  /** Relaunch the target (run.restartTarget); the driver samples the new process from then on. */
  restartTarget?: () => Promise<{ target: TargetProcess; sampler: Sampler }>;
  /** At each phase start, before the phase's first work (--profile, --snapshot-at, --hold). */
  onPhase?(name: string, work: Partial<Record<WorkUnit, number>>): Promise<void> | void;
  /** Aborted by an interrupt: every primitive, and every batch of one, throws Interrupted from then on. */
  signal?: AbortSignal;
  /** How long run.mainPhase runs (default: its nominal size, once). */
  plan?: MainPhasePlan;
}

interface BatchResult {
  sessions: number;
  messages: number;
  toolCalls: number;
}

/** Sessions per churn call, from the last call's pace, so a call takes about DEFAULTS.churnCallBudgetMs. */
export class CallPace {
  private msPerSession: number | undefined;

  sessionsPerCall(): number {
    if (this.msPerSession === undefined) return DEFAULTS.churnFirstCallSessions;
    return Math.max(1, Math.floor(DEFAULTS.churnCallBudgetMs / Math.max(this.msPerSession, 1e-3)));
  }

  record(sessions: number, wallMs: number): void {
    if (sessions > 0) this.msPerSession = wallMs / sessions;
  }
}

export class ScenarioDriver implements RunContext {
  private readonly pace = new CallPace();
  readonly unit: WorkUnit;
  private currentPhase = 'warmup';
  private readonly done: Partial<Record<WorkUnit, number>> = {};
  private seq = 0;
  private sessionIndex = 0;
  private unitIndex = 0;
  private sinceSample = 0;
  /** History length (messages) of the session last exchanged in by hand; see HISTORY_COUNTER. */
  private history: number | undefined;
  private readonly checks: CheckFinding[] = [];
  private readonly setCounters: Record<string, number> = {};
  /** The batch sent to the target and not answered yet (an interrupt abandons it). */
  private batchInFlight: { unit: WorkUnit; count: number } | undefined;
  /** The onPhase hook's work in progress; every primitive waits for it first. */
  private phaseHook: Promise<void> = Promise.resolve();

  constructor(
    private target: DrivenTarget,
    private sampler: Sampler,
    private readonly options: DriverOptions,
  ) {
    this.unit = options.unit;
  }

  /** The phase the workload is in (an interrupted run's report says where it stopped). */
  get phaseName(): string {
    return this.currentPhase;
  }

  /** The batch the target was working on when asked (its work is not counted until it answers). */
  get inFlight(): { unit: WorkUnit; count: number } | undefined {
    return this.batchInFlight ? { ...this.batchInFlight } : undefined;
  }

  /** Between batches: stop driving once the run is interrupted. */
  private checkInterrupt(): void {
    throwIfInterrupted(this.options.signal);
  }

  get serviceUrl(): string | undefined {
    return this.options.serviceUrl;
  }

  get opencode(): MockOpenCode | undefined {
    return this.options.backend?.mock;
  }

  get backend(): OpenCodeBackend | undefined {
    return this.options.backend;
  }

  async did(unit: WorkUnit, count: number): Promise<void> {
    await this.phaseHook;
    this.checkInterrupt();
    this.add(unit, count);
    await this.sampleIfDue();
  }

  phase(name: string): void {
    this.currentPhase = name;
    const onPhase = this.options.onPhase;
    if (onPhase) {
      this.phaseHook = this.phaseHook.then(() => onPhase(name, this.work()));
      this.phaseHook.catch(() => {}); // surfaced by the next primitive, which awaits it
    }
  }

  async mainPhase(name: string, nominal: number, step: (count: number) => Promise<void>): Promise<void> {
    this.phase(name);
    await this.phaseHook;
    await (this.options.plan ?? new FixedPlan(this.unit)).run(name, nominal, step);
  }

  /** Wait until the phase hooks are done (the runner calls it after the workload). */
  settle(): Promise<void> {
    return this.phaseHook;
  }

  work(): Partial<Record<WorkUnit, number>> {
    return { ...this.done };
  }

  private add(unit: WorkUnit, n: number): void {
    this.done[unit] = (this.done[unit] ?? 0) + n;
    if (unit === this.unit) this.sinceSample += n;
  }

  async sample(priming = false): Promise<Sample> {
    await this.phaseHook;
    this.checkInterrupt();
    const sample = await this.sampler.sample({
      seq: this.seq,
      phase: this.currentPhase,
      work: this.work(),
      wallMs: Date.now() - this.options.startedAtMs,
      priming,
    });
    this.seq += 1;
    this.sinceSample = 0;
    if (this.options.counters) sample.counters = { ...sample.counters, ...this.options.counters() };
    if (this.options.serviceStats) {
      const stats = await this.target.call<Record<string, number>>('stats');
      sample.counters = { ...sample.counters, ...Object.fromEntries(Object.entries(stats).map(([k, v]) => [`service.${k}`, v])) };
    }
    if (this.history !== undefined) sample.counters = { ...sample.counters, [HISTORY_COUNTER]: this.history };
    if (Object.keys(this.setCounters).length > 0) sample.counters = { ...sample.counters, ...this.setCounters };
    this.options.onSample(sample);
    return sample;
  }

  /**
   * Priming before any work: `rounds` clock advances, each followed by a full sample, so V8 tiers
   * up the harness's own paths in the target (IPC, the fake clock, the readers) and its code
   * settles under the samples' GCs and census before the judged window (rounds without the GCs
   * are not enough: docs/architecture.md, "Priming").
   */
  async prime(rounds: number): Promise<void> {
    for (let i = 0; i < rounds; i += 1) {
      await this.advance(1000);
      await this.sample(true);
    }
  }

  /** Sample only if work was done since the last sample (the end of a workload). */
  async sampleIfWorkPending(): Promise<void> {
    if (this.sinceSample > 0) await this.sample();
  }

  private async sampleIfDue(): Promise<void> {
    const every = this.options.sampleEveryUnits;
    if (every !== undefined && this.sinceSample >= every) await this.sample();
  }

  /** Sessions per batch so a batch is about one sampling interval of the scenario's unit. */
  private sessionsPerBatch(turnsPerSession: number): number {
    const toolCallsPerTurn = this.options.toolCallsPerMessage ?? 1;
    const perSession: Record<WorkUnit, number> = {
      session: 1,
      message: 2 * turnsPerSession,
      'tool call': Math.max(1, turnsPerSession * toolCallsPerTurn),
      cycle: 1,
      request: 1,
      unit: 1,
    };
    return Math.max(1, Math.round((this.options.sampleEveryUnits ?? Number.POSITIVE_INFINITY) / perSession[this.unit]));
  }

  /**
   * Let virtual time pass after a batch: what the scenario asks for, and never less than the wall
   * time the batch took. Time always passes in real life, and Node's own fetch (undici) prunes its
   * request-timeout bookkeeping on a 1 s timer: with a clock that stood still, that bookkeeping
   * would grow in the target and be reported as the target's leak (measured: ~350 B per session
   * in an empty plugin).
   */
  private async passTime(requestedMs: number, batchStartedMs: number): Promise<void> {
    const ms = Math.max(requestedMs, Date.now() - batchStartedMs);
    if (ms > 0) await this.target.advanceClock(ms);
  }

  async churn(options: ChurnOptions): Promise<void> {
    await this.phaseHook;
    this.checkInterrupt();
    const batchSize = this.sessionsPerBatch(options.turnsPerSession);
    let left = options.sessions;
    while (left > 0) {
      const batch = Math.min(batchSize, left);
      // A batch goes in calls the size the plugin's pace allows, so a plugin that spends seconds
      // per session is not taken for a hung one by the call timeout.
      for (let done = 0; done < batch;) {
        const count = Math.min(batch - done, this.pace.sessionsPerCall());
        await this.churnCall(options, count);
        done += count;
      }
      left -= batch;
      await this.sampleIfDue();
    }
  }

  private async churnCall(options: ChurnOptions, count: number): Promise<void> {
    this.checkInterrupt();
    const startedMs = Date.now();
    this.batchInFlight = { unit: 'session', count };
    const result = await this.target.call<BatchResult>('sessions.run', {
      startIndex: this.sessionIndex,
      count,
      messagesPerSession: options.turnsPerSession,
      cleanEndShare: options.cleanEndShare,
      concurrency: options.concurrency ?? DEFAULTS.sessionsInFlight,
      ...(options.mix ? { mix: options.mix } : {}),
    });
    this.batchInFlight = undefined;
    this.pace.record(count, Date.now() - startedMs);
    this.sessionIndex += count;
    this.add('session', result.sessions);
    this.add('message', result.messages);
    this.add('tool call', result.toolCalls);
    await this.passTime((options.virtualMsPerSession ?? 0) * count, startedMs);
  }

  async units(count: number, options: { virtualMsPerUnit?: number } = {}): Promise<void> {
    await this.phaseHook;
    this.checkInterrupt();
    let left = count;
    while (left > 0) {
      this.checkInterrupt();
      const n = Math.min(this.options.sampleEveryUnits ?? left, left);
      const startedMs = Date.now();
      this.batchInFlight = { unit: 'unit', count: n };
      await this.target.call('units', { from: this.unitIndex, count: n });
      this.batchInFlight = undefined;
      this.unitIndex += n;
      left -= n;
      this.add('unit', n);
      await this.passTime((options.virtualMsPerUnit ?? 0) * n, startedMs);
      await this.sampleIfDue();
    }
  }

  async openSession(title?: string): Promise<OpenSession> {
    await this.phaseHook;
    this.checkInterrupt();
    const { id } = await this.target.call<{ id: string }>('session.open', { title });
    this.add('session', 1);
    let turns = 0;
    return {
      id,
      exchange: async (n: number) => {
        const before = await this.hostToolCalls();
        await this.target.call('session.exchange', { id, messages: n, from: turns });
        const after = await this.hostToolCalls();
        turns += n;
        this.add('message', 2 * n);
        if (before !== undefined && after !== undefined && after > before) this.add('tool call', after - before);
        this.history = 2 * turns;
      },
      endCleanly: async () => {
        await this.target.call('session.end', { id, clean: true });
        this.history = 0;
      },
      endUncleanly: async () => {
        await this.target.call('session.end', { id, clean: false });
        this.history = 0;
      },
    };
  }

  /** Tool calls the plugin host has played so far (its 'stats' counters), if it has them. */
  private async hostToolCalls(): Promise<number | undefined> {
    const stats = await this.target.call<{ toolCalls?: number }>('stats').catch(() => undefined);
    return typeof stats?.toolCalls === 'number' ? stats.toolCalls : undefined;
  }

  async dispose(): Promise<Sample> {
    await this.phaseHook;
    this.checkInterrupt();
    await this.target.call('host.dispose');
    return this.sample();
  }

  async advance(ms: number): Promise<ClockState> {
    await this.phaseHook;
    this.checkInterrupt();
    return this.target.advanceClock(ms);
  }

  get adapter(): AdapterControl | undefined {
    return this.options.adapter;
  }

  async restartTarget(): Promise<void> {
    if (!this.options.restartTarget) throw new Error('restartTarget: this run cannot relaunch its target');
    ({ target: this.target, sampler: this.sampler } = await this.options.restartTarget());
  }

  check(finding: CheckFinding): void {
    this.checks.push({ ...finding });
  }

  /** What run.check recorded, in order. */
  findings(): readonly CheckFinding[] {
    return this.checks;
  }

  setCounter(name: string, value: number): void {
    this.setCounters[name] = value;
  }
}
