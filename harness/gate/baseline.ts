// ci/baseline.json: the stored runs of every speed figure the gate compares against. Written
// only by an explicit `npm run gate -- --update-baseline`; memory budgets never need it.
import fs from 'node:fs';
import path from 'node:path';
import type { Direction } from '../compare/index.ts';
import { BadInputError } from '../scenario/target-spec.ts';

export const BASELINE_SCHEMA_VERSION = 1;

export interface BaselineFigure {
  /** "sessions/s": what one run's value is. */
  unitText: string;
  direction: Direction;
  /** One value per independent run. */
  runs: number[];
  recordedAt: string;
  /** Where the runs were taken: a comparison across machines compares the machines too. */
  machine: { cpuModel: string; cpus: number; node: string; platform: string };
  command?: string;
}

export interface Baseline {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  /** Keyed by `<entry id>/<figure>`, e.g. "unclean-exit-speed/throughput". */
  figures: Record<string, BaselineFigure>;
}

export const baselineKey = (entryId: string, figure: string): string => `${entryId}/${figure}`;

/** The stored baseline, or an empty one when the file does not exist yet. */
export function readBaseline(file: string): Baseline {
  if (!fs.existsSync(file)) return { schemaVersion: BASELINE_SCHEMA_VERSION, figures: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BadInputError(
      `${file}: not valid JSON (${(e as Error).message}). Expected a speed baseline written by \`npm run gate -- --update-baseline\`.`,
    );
  }
  const b = parsed as Partial<Baseline>;
  if (b.schemaVersion !== BASELINE_SCHEMA_VERSION || typeof b.figures !== 'object' || b.figures === null) {
    throw new BadInputError(
      `${file}: expected { "schemaVersion": ${BASELINE_SCHEMA_VERSION}, "figures": { ... } }, got schemaVersion ${String(b.schemaVersion)}.`,
    );
  }
  for (const [key, f] of Object.entries(b.figures)) {
    if (!Array.isArray(f?.runs) || !f.runs.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new BadInputError(`${file}: figure "${key}" must have "runs": an array of finite numbers.`);
    }
    if (f.direction !== 'higher-is-better' && f.direction !== 'lower-is-better') {
      throw new BadInputError(
        `${file}: figure "${key}" has direction ${JSON.stringify(f.direction)}; expected "higher-is-better" or "lower-is-better".`,
      );
    }
  }
  return b as Baseline;
}

/** Replace the given figures, keep the others (a `--only` refresh touches only its entries). */
export function updateBaseline(file: string, figures: Record<string, BaselineFigure>): Baseline {
  const current = readBaseline(file);
  const next: Baseline = { schemaVersion: BASELINE_SCHEMA_VERSION, figures: { ...current.figures, ...figures } };
  // Sorted keys: a refresh diffs as the figures that changed, not a reshuffle.
  next.figures = Object.fromEntries(Object.entries(next.figures).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
