// Pure chart arithmetic: downsampling that keeps the envelope, and axis ticks at round values
// (decimal for counts, binary multiples for bytes so labels read "2 MB", not "1.91 MB").
import type { SeriesPoint, ValueKind } from '../core/types.ts';

/**
 * At most ~4 points per bucket (first, min, max, last of the bucket, in x order): a line drawn
 * through them shows every spike and dip of the full series, with a bounded point count.
 */
export function downsampleMinMax(points: SeriesPoint[], buckets: number): SeriesPoint[] {
  if (points.length <= buckets * 4) return points;
  const out: SeriesPoint[] = [];
  const size = points.length / buckets;
  for (let b = 0; b < buckets; b += 1) {
    const from = Math.floor(b * size);
    const to = Math.min(points.length, Math.floor((b + 1) * size));
    if (to <= from) continue;
    let minI = from;
    let maxI = from;
    for (let i = from; i < to; i += 1) {
      if (points[i]!.y < points[minI]!.y) minI = i;
      if (points[i]!.y > points[maxI]!.y) maxI = i;
    }
    for (const i of [...new Set([from, minI, maxI, to - 1])].sort((a, c) => a - c)) out.push(points[i]!);
  }
  return out;
}

/** 1, 2 or 5 × 10^k, the smallest such step >= raw. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

export interface Axis {
  min: number;
  max: number;
  ticks: number[];
  /** Bytes: the binary unit all tick labels share (1024 -> KB), so labels never mix units. */
  scale: number;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Round ticks covering [min, max], about `count` of them; the axis widens to the outer ticks. */
export function niceAxis(min: number, max: number, count = 5, kind: ValueKind = 'count', integer = false): Axis {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1, ticks: [0, 1], scale: 1 };
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
    if (min < 0 && max > 0 && kind !== 'count') min = Math.max(min, 0);
  }
  // Bytes step in binary multiples of a unit that keeps numbers small.
  let scale = 1;
  if (kind === 'bytes') while (Math.max(Math.abs(min), Math.abs(max)) / scale >= 1024 && scale < 1024 ** 4) scale *= 1024;
  // Whole work units have no fractions to tick ("0.2 sessions").
  const step = Math.max(integer ? 1 : 0, niceStep((max - min) / scale / Math.max(1, count)) * scale);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { min: lo, max: hi, ticks, scale };
}

/** A tick label: "2 MB", "1.5 MB", "12k", "1.5M", "250". */
export function tickLabel(value: number, kind: ValueKind, axis?: Axis): string {
  if (kind === 'bytes') {
    const scale = axis?.scale ?? 1;
    return `${trim(value / scale)} ${BYTE_UNITS[Math.round(Math.log(scale) / Math.log(1024))] ?? 'B'}`;
  }
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function trim(n: number): string {
  return String(Math.round(n * 100) / 100);
}
