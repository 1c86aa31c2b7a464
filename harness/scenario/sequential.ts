// How long the judged main phase runs. A workload writes its main phase as
// `run.mainPhase(name, nominal, (n) => run.churn({ sessions: n, ... }))`; the plan decides how
// much work each step does: all of it at once in a fixed run (--sessions), or up to the next look
// in a sequential run, which judges every expectation there at that look's share of the error
// budget (harness/verdict/sequential.ts) and stops once all of them are decided, or, from the
// nominal size on, once one has failed.
import { DEFAULTS } from '../core/defaults.ts';
import type { MetricVerdict, WorkUnit } from '../core/types.ts';
import { formatRate, formatValue, plural } from '../core/units.ts';
import type { ExpectationResult, StoppingRecord } from '../report/model.ts';
import { groupDigits } from '../report/format.ts';
import { confidenceLevel } from '../verdict/describe.ts';
import { metricDecision, planLooks, type Look, type SequentialDesign, type SpendingFunction } from '../verdict/sequential.ts';
import type { Evaluation } from './expect.ts';
import { BadInputError } from './target-spec.ts';

/** Does `count` units of the main phase's work (in the scenario's unit). */
export type MainPhaseStep = (count: number) => Promise<void>;

export interface MainPhasePlan {
  /** Runs the main phase named `phase` of nominal size `nominal` through `step`. */
  run(phase: string, nominal: number, step: MainPhaseStep): Promise<void>;
  /** Error of the intervals the final verdict uses: the stopping look's share, or the engine's default. */
  finalAlpha(): number | undefined;
  /** Where the main phase stopped and why; undefined when the workload has none. */
  record(): StoppingRecord | undefined;
  /** Expectations decided `bounded` at an earlier look, by id: their verdict is that look's. */
  held(): ReadonlyMap<string, HeldResult>;
  /** At most this many times the nominal work (time limits scale with it). */
  readonly workScale: number;
}

/** The whole nominal size (or --sessions) in one step, judged once at the end at the engine's 95 %. */
export class FixedPlan implements MainPhasePlan {
  readonly workScale = 1;
  private stopped: StoppingRecord | undefined;

  constructor(private readonly unit: WorkUnit) {}

  async run(phase: string, nominal: number, step: MainPhaseStep): Promise<void> {
    await step(nominal);
    this.stopped = {
      mode: 'fixed',
      phase,
      nominal,
      max: nominal,
      stoppedAt: nominal,
      outcome: 'fixed',
      looks: [],
      summary: `fixed run of ${amount(nominal, this.unit)} (--sessions): judged once at the end.`,
    };
  }

  finalAlpha(): number | undefined {
    return undefined;
  }

  record(): StoppingRecord | undefined {
    return this.stopped;
  }

  held(): ReadonlyMap<string, HeldResult> {
    return new Map();
  }
}

export interface SequentialOptions {
  unit: WorkUnit;
  /** Work between samples: looks fall on its multiples. */
  sampleEveryUnits: number;
  /** Maximum work of the main phase; default DEFAULTS.sequentialMaxFactor × nominal. */
  max?: number;
  alpha?: number;
  spending?: SpendingFunction;
  /** The scenario's nominal size, when known before the run (the maximum's time allowance). */
  nominal?: number;
  /** Judges every expectation on the samples so far with intervals at `alpha`. */
  judge(alpha: number): Evaluation;
  /**
   * What passed a declared exact limit at the newest sample, if anything (expect.ts:
   * limitCrossed). The next look is then taken at once: that expectation has failed, and the
   * exact count that says so carries no sampling noise, so the look's error is unchanged.
   */
  crossed?(): string | undefined;
}

/** Why one expectation is or is not settled at a look. */
export interface ExpectationDecision {
  id: string;
  decided: boolean;
  because: string;
}

/** A `bounded` verdict as the look that decided it judged it, kept for the rest of the run. */
export interface HeldResult {
  result: ExpectationResult;
  metrics: MetricVerdict[];
  /** Work of the main phase at that look. */
  at: number;
  /** Why it was decided there ("bounded (flat)"). */
  because: string;
}

/** `evaluation` with each held expectation's result and metrics as the look that decided it judged them. */
export function withHeld(evaluation: Evaluation, held: ReadonlyMap<string, HeldResult>): Evaluation {
  if (held.size === 0) return evaluation;
  return {
    ...evaluation,
    results: evaluation.results.map((r) => held.get(r.id)?.result ?? r),
    metrics: evaluation.metrics.map((m, i) => held.get(evaluation.results[i]!.id)?.metrics ?? m),
  };
}

/**
 * An expectation is decided when it failed (a leak, a broken check) or when every metric behind
 * a pass is decided (metricDecision); exact checks that hold so far do not hold the run up.
 */
export function decideExpectation(
  result: ExpectationResult,
  metrics: readonly MetricVerdict[],
  atOrPastNominal: boolean,
): ExpectationDecision {
  const id = result.id;
  if (result.verdict === 'leak') return { id, decided: true, because: result.metric ? 'leak in both halves' : 'failed' };
  if (result.verdict !== 'bounded') return { id, decided: false, because: result.verdict };
  const cap = result.limitKind === 'absolute' ? result.limit : undefined;
  const open = metrics.map((m) => ({ m, d: metricDecision(m, atOrPastNominal, cap) })).filter((x) => !x.d.decided);
  if (open.length > 0) return { id, decided: false, because: open.map((x) => `${x.m.label}: ${x.d.because}`).join('; ') };
  const shapes = [...new Set(metrics.map((m) => m.shape))];
  return { id, decided: true, because: metrics.length === 0 ? 'held' : `bounded (${shapes.join(', ')})` };
}

type StopReason = 'decided' | 'failed';

/**
 * Why the run stops at a look, if it does. `decided`: every expectation is (a failure counts as
 * decided), so a report says for each one whether it holds, and which collection leaks, not only
 * that one failed. `failed`: from the nominal size on, a run with a failed expectation goes no
 * further than a fixed run would: its outcome is final, and an expectation still open there (a
 * heap near its floor) would otherwise hold it up to the maximum only to refine the report.
 */
function stopReason(
  decisions: readonly ExpectationDecision[],
  results: readonly ExpectationResult[],
  work: number,
  nominal: number,
): StopReason | undefined {
  if (decisions.every((d) => d.decided)) return 'decided';
  return work >= nominal && results.some((r) => r.verdict === 'leak') ? 'failed' : undefined;
}

/** Looks at the samples as they arrive; stops when every expectation is decided, or at the maximum. */
export class SequentialPlan implements MainPhasePlan {
  private stopped: StoppingRecord | undefined;
  private alphaAtStop: number | undefined;
  private readonly kept = new Map<string, HeldResult>();

  constructor(private readonly o: SequentialOptions) {}

  get workScale(): number {
    const nominal = this.o.nominal;
    return nominal !== undefined && nominal > 0 ? this.design(nominal).max / nominal : DEFAULTS.sequentialMaxFactor;
  }

  design(nominal: number): SequentialDesign {
    return {
      nominal,
      max: this.o.max ?? DEFAULTS.sequentialMaxFactor * nominal,
      first: DEFAULTS.sequentialFirstLookSamples * this.o.sampleEveryUnits,
      step: this.o.sampleEveryUnits,
      growth: DEFAULTS.sequentialLookGrowth,
      alpha: this.o.alpha ?? DEFAULTS.sequentialAlpha,
      spending: this.o.spending ?? 'bonferroni',
    };
  }

  async run(phase: string, nominal: number, step: MainPhaseStep): Promise<void> {
    const design = this.design(nominal);
    const looks = planLooks(design);
    const taken: StoppingRecord['looks'] = [];
    let done = 0;
    let last:
      | { look: Look; decisions: ExpectationDecision[]; results: ExpectationResult[]; early?: string; stop: StopReason | undefined }
      | undefined;
    for (const [index, planned] of looks.entries()) {
      // The first look is where the engine first has points enough to judge, and a run never
      // stops short of its maximum undecided: those two stay where they are.
      const reached = await this.advance(done, planned.work, step, index > 0 && index < looks.length - 1);
      done = reached.work;
      const look = { ...planned, work: done };
      const judged = withHeld(this.o.judge(look.alpha), this.kept);
      const decisions = judged.results.map((r, i) => this.decide(r, judged.metrics[i] ?? [], look.work, nominal));
      taken.push({
        at: look.work,
        alpha: look.alpha,
        undecided: decisions.filter((d) => !d.decided).map((d) => `${d.id}: ${d.because}`),
        ...(reached.early ? { early: reached.early } : {}),
      });
      const stop = stopReason(decisions, judged.results, look.work, nominal);
      last = { look, decisions, results: judged.results, early: reached.early, stop };
      if (stop) break;
    }
    const final = last!;
    this.alphaAtStop = final.look.alpha;
    const outcome = final.stop ?? 'maximum';
    this.stopped = {
      mode: 'sequential',
      phase,
      nominal,
      max: looks[looks.length - 1]!.work,
      stoppedAt: final.look.work,
      outcome,
      alpha: design.alpha,
      spending: design.spending,
      looks: taken,
      summary: stopSummary(outcome, final, looks.length, taken.length, this.o.unit),
    };
  }

  finalAlpha(): number | undefined {
    return this.alphaAtStop;
  }

  record(): StoppingRecord | undefined {
    return this.stopped;
  }

  held(): ReadonlyMap<string, HeldResult> {
    return this.kept;
  }

  /**
   * Does the main phase's work from `from` up to the look at `to`. With `mayTakeEarly`, it goes one
   * sampling interval at a time and ends early when a declared exact limit was passed, saying what.
   */
  private async advance(from: number, to: number, step: MainPhaseStep, mayTakeEarly: boolean): Promise<{ work: number; early?: string }> {
    if (!this.o.crossed || !mayTakeEarly) {
      if (to > from) await step(to - from);
      return { work: Math.max(from, to) };
    }
    let work = from;
    while (work < to) {
      const count = Math.min(this.o.sampleEveryUnits, to - work);
      await step(count);
      work += count;
      const early = work < to ? this.o.crossed() : undefined;
      if (early) return { work, early };
    }
    return { work: Math.max(from, to) };
  }

  /**
   * One expectation's decision at a look; a `bounded` one decided at an earlier look stays
   * decided. Each expectation is then a sequential test of its own that stops at its first
   * decision, as the seeded suites simulate it (classifySequentially), and one that is decided
   * does not hold the run up by wavering within its interval while another is still undecided.
   */
  private decide(result: ExpectationResult, metrics: MetricVerdict[], work: number, nominal: number): ExpectationDecision {
    const kept = this.kept.get(result.id);
    if (kept) return { id: result.id, decided: true, because: `${kept.because}, decided at ${amount(kept.at, this.o.unit)}` };
    const decision = decideExpectation(result, metrics, work >= nominal);
    if (decision.decided && result.verdict === 'bounded')
      this.kept.set(result.id, { result, metrics, at: work, because: decision.because });
    return decision;
  }
}

/** The plan of a run: fixed with --sessions (or `fixed`), sequential otherwise. Bad input is named. */
export function mainPhasePlan(
  o: { sessions?: number; maxSessions?: number; fixed?: boolean; unit: WorkUnit; sampleEveryUnits: number; nominal: number },
  judge: (alpha: number) => Evaluation,
  crossed?: () => string | undefined,
): MainPhasePlan {
  if (o.maxSessions !== undefined) {
    if (o.sessions !== undefined || o.fixed)
      throw new BadInputError('--sessions asks for a fixed run and --max-sessions for a sequential one: give one of them');
    if (!(o.maxSessions >= o.nominal))
      throw new BadInputError(
        `--max-sessions ${o.maxSessions} is below the scenario's nominal size of ${amount(o.nominal, o.unit)}: a sequential run goes on up to its maximum`,
      );
  }
  if (o.sessions !== undefined || o.fixed) return new FixedPlan(o.unit);
  return new SequentialPlan({
    unit: o.unit,
    sampleEveryUnits: o.sampleEveryUnits,
    max: o.maxSessions,
    nominal: o.nominal,
    judge,
    ...(crossed ? { crossed } : {}),
  });
}

function amount(n: number, unit: WorkUnit): string {
  return `${groupDigits(n)} ${plural(unit, n)}`;
}

/** "decided at 1400 sessions (look 3 of 13, 99.6 % intervals): collections-bounded: leak in both halves, +0.90 entries per session (…)". */
function stopSummary(
  outcome: StopReason | 'maximum',
  final: { look: Look; results: ExpectationResult[]; decisions: ExpectationDecision[]; early?: string },
  planned: number,
  taken: number,
  unit: WorkUnit,
): string {
  const { look, results, decisions, early } = final;
  const when = early ? `, taken early: ${early}` : '';
  const level = `${confidenceLevel(look.alpha)} intervals`;
  const head =
    outcome === 'decided'
      ? `decided at ${amount(look.work, unit)} (look ${taken} of ${planned}${when}, ${level})`
      : outcome === 'failed'
        ? `stopped on a failure at ${amount(look.work, unit)} (look ${taken} of ${planned}, ${level}): from the nominal size on, a failed run does not wait for the expectations still undecided`
        : `ran to the maximum ${amount(look.work, unit)} (${planned} looks, ${level}): still inconclusive`;
  const parts = results.map((r, i) => {
    const d = decisions[i]!;
    const figure = r.metric
      ? `, ${r.estimate ?? formatRate(r.metric.slopePerUnit, r.metric.valueKind, r.metric.unit)} (interval ${interval(r.metric)})`
      : '';
    return d.decided ? `${r.id}: ${d.because}${figure}` : `${r.id}: not yet decided (${d.because})`;
  });
  return `${head}: ${parts.join('; ')}.`;
}

function interval(m: MetricVerdict): string {
  const [lo, hi] = m.slopeInterval;
  const small = m.valueKind !== 'bytes' && (Math.abs(lo) < 0.5 || Math.abs(hi) < 0.5);
  const low = small ? formatRate(lo, m.valueKind, m.unit) : formatValue(lo, m.valueKind, true);
  return `${low} .. ${formatRate(hi, m.valueKind, m.unit)}`;
}
