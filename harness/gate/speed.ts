// A speed figure of an entry's runs against the stored baseline, through harness/compare (rank
// test + Hodges-Lehmann interval + minimum effect). Three-valued: 'inconclusive' says how many
// runs per side would settle it; whether a regression fails the gate is the budget's choice.
import { compareRuns, formatComparison, type Comparison, type Direction } from '../compare/index.ts';
import type { BaselineFigure } from './baseline.ts';
import { GATE_DEFAULTS } from '../core/defaults.ts';
import type { OnSpeedRegression, SpeedBudget } from './suite.ts';

export type SpeedStatus = 'unchanged' | 'improved' | 'regressed' | 'inconclusive' | 'no-baseline' | 'recorded';

export interface SpeedResult {
  /** Baseline key, `<entry id>/<figure>`. */
  key: string;
  figure: SpeedBudget['figure'];
  unitText: string;
  direction: Direction;
  onRegression: OnSpeedRegression;
  status: SpeedStatus;
  /** True only for a regression whose budget says 'fail'. */
  fails: boolean;
  current: number[];
  baseline?: number[];
  /** "throughput: 120 sessions/s -> 84 sessions/s (-30 %, significant regression)". */
  line: string;
  reasons: string[];
  /** For inconclusive: runs per side that would settle it. */
  suggestedRunsPerSide?: number;
  /** What to do next, for people. */
  advice?: string;
  comparison?: Pick<Comparison, 'relativeChange' | 'interval' | 'pValue' | 'estimate'>;
}

const DIRECTION: Record<SpeedBudget['figure'], Direction> = {
  throughput: 'higher-is-better',
  p99LatencyMs: 'lower-is-better',
  requestsPerSecond: 'higher-is-better',
};

export const speedDirection = (figure: SpeedBudget['figure']): Direction => DIRECTION[figure];

function fmt(unitText: string): (v: number) => string {
  return (v) => `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)} ${unitText}`;
}

/** Compare `current` runs of one speed figure with its baseline (if any). */
export function checkSpeed(
  budget: SpeedBudget,
  key: string,
  unitText: string,
  current: number[],
  baseline: BaselineFigure | undefined,
  machine?: BaselineFigure['machine'],
): SpeedResult {
  const onRegression = budget.onRegression ?? GATE_DEFAULTS.onSpeedRegression;
  const direction = speedDirection(budget.figure);
  const format = fmt(unitText);
  const base = { key, figure: budget.figure, unitText, direction, onRegression, current };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
  if (!baseline || baseline.runs.length === 0) {
    return {
      ...base,
      status: 'no-baseline',
      fails: false,
      line: `${budget.figure}: ${current.length ? format(median(current)) : 'n/a'} (${current.length} run${current.length === 1 ? '' : 's'}), no baseline`,
      reasons: [`The baseline holds no runs of ${key}.`],
      advice:
        'Record one with `npx churnlab gate --update-baseline` on the kind of machine the gate runs on, and commit the baseline file.',
    };
  }
  const c = compareRuns(baseline.runs, current, {
    direction,
    minRelativeEffect: budget.minRelativeEffect ?? GATE_DEFAULTS.speedMinRelativeEffect,
    alpha: budget.alpha ?? GATE_DEFAULTS.speedAlpha,
    format,
  });
  const reasons = [...c.reasons];
  if (machine && (machine.cpuModel !== baseline.machine.cpuModel || machine.cpus !== baseline.machine.cpus)) {
    reasons.push(
      `The baseline was recorded on ${baseline.machine.cpus} x ${baseline.machine.cpuModel}, this run is on ${machine.cpus} x ${machine.cpuModel}: the comparison includes the machines.`,
    );
  }
  let advice: string | undefined;
  if (c.outcome === 'inconclusive') {
    const n = Math.max(GATE_DEFAULTS.speedRunsFloor, c.suggestedRunsPerSide ?? 0);
    // compare's own suggestion says when even many runs may not settle it (a change near the threshold).
    advice = `Inconclusive: ${c.suggestion ?? `${n} runs per side`}. Rerun with \`--runs ${n}\`${baseline.runs.length < n ? ` and refresh the baseline with \`--update-baseline --runs ${n}\`` : ''}.`;
  } else if (c.outcome === 'improved') {
    advice = 'Faster than the baseline: refresh it (`npx churnlab gate --update-baseline`) so later regressions are measured from here.';
  } else if (c.outcome === 'regressed') {
    advice =
      onRegression === 'fail' ? 'This budget fails the gate on a regression.' : "A warning only: this budget's onRegression is 'warn'.";
  }
  return {
    ...base,
    status: c.outcome,
    fails: c.outcome === 'regressed' && onRegression === 'fail',
    baseline: baseline.runs,
    line: formatComparison(budget.figure, c, format),
    reasons,
    suggestedRunsPerSide: c.suggestedRunsPerSide,
    advice,
    comparison: { relativeChange: c.relativeChange, interval: c.interval, pValue: c.pValue, estimate: c.estimate },
  };
}
