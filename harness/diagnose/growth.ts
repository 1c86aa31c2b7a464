// Collections that grow across snapshots, by memlab's unbound-collection analysis. memlab reads
// `s1..sN.heapsnapshot` from one directory and reports through files (CSV and a console log);
// this stages the snapshots, runs it in a scratch dir, and parses the files into typed rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GrowingCollection } from './model.ts';
import { runUnboundCollection } from './memlab.ts';
import { parseUnboundCsv, parseUnboundLog, unboundFoundNothing, type UnboundRow } from './parse-unbound.ts';

export interface GrowthResult {
  rows: GrowingCollection[];
  notes: string[];
}

/** Must run inside `withMemlab` (memlab's state is global). */
export async function growthAcrossSnapshots(snapshotFiles: string[], scratchRoot = os.tmpdir()): Promise<GrowthResult> {
  const notes: string[] = [];
  const scratch = fs.mkdtempSync(path.join(scratchRoot, 'churnlab-memlab-'));
  try {
    const dir = path.join(scratch, 'snapshots');
    fs.mkdirSync(dir);
    // memlab orders `s<N>` names numerically; links keep the caller's order without copying GBs.
    snapshotFiles.forEach((file, i) => linkOrCopy(path.resolve(file), path.join(dir, `s${i + 1}.heapsnapshot`)));
    let rows: UnboundRow[];
    try {
      const out = await runUnboundCollection(dir, path.join(scratch, 'work'));
      rows = out.csv !== undefined ? parseUnboundCsv(out.csv) : parseUnboundLog(out.log);
      if (rows.length === 0 && out.csv === undefined && !unboundFoundNothing(out.log)) {
        notes.push('memlab unbound-collection analysis gave no result that could be read.');
      }
    } catch (error) {
      notes.push(`memlab unbound-collection analysis failed: ${(error as Error).message}`);
      return { rows: [], notes };
    }
    if (snapshotFiles.length === 2) notes.push('Two snapshots show a change, not a trend; 3 or more make the growth check convincing.');
    const grown = rows.filter((r) => (r.history[r.history.length - 1] ?? 0) > (r.history[0] ?? 0));
    const dropped = rows.length - grown.length;
    if (dropped > 0) notes.push(`${dropped} collection(s) changed size across snapshots but did not end larger; not listed.`);
    const result = grown.map(toGrowing);
    // Steady growers first: a collection that only fluctuates upward is weaker evidence.
    result.sort((a, b) => Number(b.monotonic) - Number(a.monotonic));
    return { rows: result, notes };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function toGrowing(row: UnboundRow): GrowingCollection {
  const monotonic = row.history.every((v, i) => i === 0 || v >= (row.history[i - 1] ?? v));
  return { id: row.id, kind: row.name, edgesHistory: row.history, monotonic, suspect: false };
}

function linkOrCopy(from: string, to: string): void {
  try {
    fs.symlinkSync(from, to);
  } catch {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}
