// collections-bounded: every Map and Set that grew in the judged window is bounded, or stays at or
// below a declared number of entries at every sample. The ones judged leaking are the diagnosis's suspects.
import type { MetricVerdict, Sample, WorkUnit } from '../../../core/types.ts';
import { checkAtMost, classifyGrowth, collectionSeries, rankGrowers, type Grower } from '../../../verdict/index.ts';
import { fromMetric, worst, type ExpectationKind, type Judged, type Suspect } from '../kind.ts';

export interface CollectionsBounded {
  kind: 'collections-bounded';
  /** Every growing Map/Set stays at or below this many entries at every sample. */
  atMost?: number;
  /** How many of the fastest-growing collections are judged. */
  consider?: number;
}

/** Collections judged when the expectation names no number. */
const CONSIDERED = 6;

function collectionLabel(g: { id: string; kind: string; name?: string }): string {
  return g.name ? `${g.kind} ${g.name}` : `${g.kind} ${g.id} (unnamed)`;
}

/** The fastest growers; a sawtooth may end below where it started, so a collection that rose at all is judged. */
function growersOf(samples: readonly Sample[], unit: WorkUnit, consider: number): Grower[] {
  return rankGrowers(samples, unit, 50)
    .filter((g) => g.lastSize > g.firstSize || g.maxSize > g.firstSize || g.slopePerUnit > 0)
    .slice(0, consider);
}

function judgeGrower(
  samples: readonly Sample[],
  g: Grower,
  e: CollectionsBounded,
  unit: WorkUnit,
  alpha: number | undefined,
): MetricVerdict {
  const points = collectionSeries(samples, unit, g.id);
  const opts = { metric: `collection:${g.id}`, label: collectionLabel(g), unit, valueKind: 'entries' as const, alpha };
  return e.atMost === undefined ? classifyGrowth(points, opts) : checkAtMost(points, e.atMost, opts);
}

/**
 * A collection over `atMost` now that was followed at or below it at the sample before. One first
 * followed now may have been over it for long: when it passed is not known, so it is not said.
 */
function crossedAtMost(atMost: number, previous: Sample, latest: Sample): string | undefined {
  const before = new Map((previous.collections ?? []).map((c) => [c.id, c.size]));
  const over = (latest.collections ?? []).find((c) => c.size > atMost && (before.get(c.id) ?? Infinity) <= atMost);
  return over && `${collectionLabel(over)} passed the declared limit of ${atMost} entries`;
}

export const collectionsBounded: ExpectationKind<CollectionsBounded> = (e) => ({
  ...(e.atMost !== undefined ? { crossed: (previous: Sample, latest: Sample) => crossedAtMost(e.atMost!, previous, latest) } : {}),
  judge: (samples, { unit, alpha }): Judged => {
    const description =
      e.atMost === undefined ? 'every growing collection is bounded' : `every growing collection stays <= ${e.atMost} entries`;
    const growers = growersOf(samples, unit, e.consider ?? CONSIDERED);
    if (growers.length === 0) {
      const reasons = ['No Map or Set grew in the verdict window.'];
      const result = {
        id: 'collections-bounded',
        description,
        passed: true,
        verdict: 'bounded' as const,
        limit: e.atMost,
        reasons,
        warnings: [],
      };
      return { result, metrics: [] };
    }
    const metrics = growers.map((g) => judgeGrower(samples, g, e, unit, alpha));
    const blamed = growers.filter((_, i) => metrics[i]!.verdict === 'leak');
    const suspects: Suspect[] = blamed.map((g) => ({ id: g.id, name: g.name, kind: g.kind }));
    const result = fromMetric('collections-bounded', description, worst(metrics)!, e.atMost);
    if (e.atMost !== undefined) result.limitKind = 'absolute';
    // Under a limit the first reason is the limit's; a sawtooth's shape (floor, ceiling) comes next.
    const shown = (m: MetricVerdict) => m.reasons.slice(0, e.atMost !== undefined && m.shape === 'sawtooth' ? 2 : 1).join(' ');
    result.reasons = metrics.map((m) => `${m.label}: ${m.verdict}. ${shown(m)}`);
    result.warnings = metrics.flatMap((m) => m.warnings.map((x) => `${m.label}: ${x}`));
    return { result, metrics, suspects };
  },
});
