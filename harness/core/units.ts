// Formatting figures for people: "+1.9 KB per session", "+1 entry per 100 sessions".
import type { ValueKind, WorkUnit } from './types.ts';

const BYTE_STEPS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 -> "1.5 KB" (binary multiples, as heap tools print them). */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let step = 0;
  const digitsFor = (v: number, s: number) => (s === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2);
  // Step up on the rounded value, so 1023.9 B reads "1.00 KB", not "1024 B".
  while (Number(value.toFixed(digitsFor(value, step))) >= 1024 && step < BYTE_STEPS.length - 1) {
    value /= 1024;
    step += 1;
  }
  const text = value.toFixed(digitsFor(value, step));
  // -0.3 B reads "0 B", never "-0 B".
  return `${Number(text) === 0 ? '' : sign}${text} ${BYTE_STEPS[step]}`;
}

const KIND_NOUN: Record<ValueKind, [string, string]> = {
  bytes: ['byte', 'bytes'],
  entries: ['entry', 'entries'],
  handles: ['handle', 'handles'],
  calls: ['call', 'calls'],
  count: ['', ''],
};

export function plural(unit: WorkUnit, n = 2): string {
  return n === 1 ? unit : unit === 'tool call' ? 'tool calls' : `${unit}s`;
}

/** A signed value of a kind: "+1.9 KB", "-3 entries", "+0.01 entries". */
export function formatValue(value: number, kind: ValueKind, signed = false): string {
  const sign = signed && value > 0 ? '+' : '';
  if (kind === 'bytes') {
    const text = formatBytes(value);
    return (text.startsWith('0 ') ? '' : sign) + text;
  }
  const abs = Math.abs(value);
  const text = abs >= 100 || Number.isInteger(value) ? value.toFixed(0) : abs >= 1 ? value.toFixed(2) : value.toPrecision(2);
  const [one, many] = KIND_NOUN[kind];
  const noun = abs === 1 ? one : many;
  return `${sign}${text}${noun ? ` ${noun}` : ''}`;
}

/**
 * A rate per work unit, readable at any magnitude: "+1.9 KB per session",
 * "+1 entry per 100 sessions" (for slopes well below 1 of a counted kind).
 */
export function formatRate(perUnit: number, kind: ValueKind, unit: WorkUnit): string {
  if (kind !== 'bytes' && perUnit !== 0 && Math.abs(perUnit) < 0.5) {
    const every = 1 / Math.abs(perUnit);
    const rounded = every >= 10 ? Math.round(every / 10) * 10 : Math.round(every);
    const sign = perUnit > 0 ? '+' : '-';
    return `${sign}${formatValue(1, kind)} per ${rounded} ${plural(unit, rounded)}`;
  }
  return `${formatValue(perUnit, kind, true)} per ${unit}`;
}
