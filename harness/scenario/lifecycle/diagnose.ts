// Step 6, diagnose: after a leak verdict, a heap snapshot of the target and memlab's retainer
// paths of the collections the verdict points at. A failed diagnosis is a note; the verdict stands.
import { join } from 'node:path';
import type { Census } from '../../observe/census.ts';
import type { Diagnosis } from '../../report/model.ts';
import { takeHeapSnapshot } from '../../diagnose/snapshot.ts';
import { diagnoseCollections } from '../../diagnose/retainers.ts';
import type { TargetProcess } from '../../target/launch.ts';
import type { Suspect } from '../expect.ts';
import type { Judged } from './judge.ts';
import { nodeTarget } from './launch.ts';
import type { RunState } from './kind.ts';

export const DIAGNOSIS_SNAPSHOT = 'leak.heapsnapshot';

export async function diagnose(target: TargetProcess, census: Census | undefined, dir: string, suspects: Suspect[]): Promise<Diagnosis> {
  const file = join(dir, DIAGNOSIS_SNAPSHOT);
  await takeHeapSnapshot(target.cdp, file);
  // The census's own ids ("#12") map to heap snapshot ids ("@12345") once a snapshot exists.
  const ids = (await census?.snapshotIds()) ?? {};
  return diagnoseCollections(
    [file],
    suspects.map((s) => ({ ...s, id: ids[s.id] ?? s.id })),
  );
}

/** The diagnosis of a leak a Node target showed, unless it was turned off or the run is being interrupted. */
export async function diagnoseLeak(
  run: RunState,
  judged: Judged,
  enabled: boolean,
  signal: AbortSignal | undefined,
): Promise<Diagnosis | undefined> {
  const target = nodeTarget(run);
  if (!target || judged.verdict !== 'leak' || signal?.aborted || judged.suspects.length === 0 || !enabled) return undefined;
  try {
    return await diagnose(target, run.sampler?.census, run.dir, judged.suspects);
  } catch (e) {
    return { snapshots: [], collections: [], notes: [`diagnosis failed: ${(e as Error).message}`] };
  }
}
