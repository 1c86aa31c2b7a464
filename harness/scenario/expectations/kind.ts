// The one interface every expectation kind implements (one folder per kind, as fuite keeps one
// metric per folder): a kind turns its declared expectation into a judge, and the judge turns the
// judged window's samples into a result, the metric verdicts behind it and the collections it blames.
import type { MetricVerdict, Sample, Verdict, WorkUnit } from '../../core/types.ts';
import { formatRate } from '../../core/units.ts';
import type { ExpectationResult } from '../../report/model.ts';

/** One outcome of one check (run.check), e.g. { check: 'same-session', ok: false, detail: 'thread t7: ...' }. */
export interface CheckFinding {
  check: string;
  ok: boolean;
  /** A sentence naming what was checked and, when it failed, what broke. */
  detail: string;
}

/** A collection the verdicts blame, for the diagnosis (heap snapshot retainer paths). */
export interface Suspect {
  id: string;
  name?: string;
  kind: string;
}

/** What every judge may read besides the samples: the same for all expectations of one look. */
export interface JudgeContext {
  /** The scenario's unit of work: the x axis of every series. */
  unit: WorkUnit;
  /** Two-sided error of the growth intervals (a sequential look's share); undefined: the engine's 0.05. */
  alpha: number | undefined;
  /** What the workload's correctness checks recorded (run.check), in order. */
  findings: readonly CheckFinding[];
}

export interface Judged {
  result: ExpectationResult;
  /** Every metric verdict behind the result (a sequential look needs all of them decided). */
  metrics: MetricVerdict[];
  /** Collections a leak verdict blames, in the order found. */
  suspects?: Suspect[];
}

export interface ExpectationJudge {
  /** Judge the samples of the judged window (harness/verdict/window.ts decides which). */
  judge(samples: readonly Sample[], context: JudgeContext): Judged;
  /**
   * What passed a declared exact limit between two consecutive samples ("Set seen passed 2000
   * entries"), for an expectation that fails on any sample over it; undefined when nothing did.
   * It reads exact counts, which carry no sampling noise, so a sequential run may take its next
   * look there without spending more error.
   */
  crossed?(previous: Sample, latest: Sample): string | undefined;
}

/** A kind: from one declared expectation of it to its judge. */
export type ExpectationKind<E> = (expectation: E) => ExpectationJudge;

/** A result judged without a series (an exact limit, a check) or on the one metric it carries. */
export function judgedBy(result: ExpectationResult): Judged {
  return { result, metrics: result.metric ? [result.metric] : [] };
}

const RANK: Record<Verdict, number> = { bounded: 0, inconclusive: 1, leak: 2 };

/** The worst verdict of several (the first of equals), which an expectation on all of them reports. */
export function worst(metrics: readonly MetricVerdict[]): MetricVerdict | undefined {
  return metrics.reduce<MetricVerdict | undefined>((w, m) => (!w || RANK[m.verdict] > RANK[w.verdict] ? m : w), undefined);
}

/** A memory expectation's result from the one metric verdict that decides it. */
export function fromMetric(id: string, description: string, metric: MetricVerdict, limit?: number): ExpectationResult {
  return {
    id,
    description,
    passed: metric.verdict === 'bounded',
    verdict: metric.verdict,
    metric,
    estimate: formatRate(metric.slopePerUnit, metric.valueKind, metric.unit),
    limit,
    reasons: metric.reasons,
    warnings: metric.warnings,
  };
}
