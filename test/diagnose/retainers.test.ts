// Diagnosis on real heap snapshots of a small leaky child, taken over the inspector as the
// harness does: the retainer path names the variable, and memlab's growth check singles out
// the Map that grows while leaving a stable one alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeHeapSnapshot } from '../../harness/diagnose/snapshot.ts';
import { diagnoseCollections, type Diagnosis } from '../../harness/diagnose/retainers.ts';
import { startInspectedChild, type InspectedChild } from './inspected-child.ts';

const CHILD = `
const checkpointStates = new Map();
const stableCache = new Map();
let n = 0;
function checkpoint(id) { checkpointStates.set(id, { id, payload: 'state-' + id }); }
function touchStable(i) { stableCache.set('k' + (i % 50), { i }); }
globalThis.__churnTest = {
  grow(k) { for (let i = 0; i < k; i++) { checkpoint('s' + n++); touchStable(i); } return checkpointStates.size; },
  leaky: () => checkpointStates,
  stable: () => stableCache,
};
setInterval(() => {}, 1 << 30);
`;

let dir: string;
let child: InspectedChild;
let snapshots: { file: string; bytes: number; ms: number }[] = [];
let leakyId: string;
let stableId: string;
let diagnosis: Diagnosis;
let diagnosisMs: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-diagnose-'));
  const script = path.join(dir, 'leaky-child.mjs');
  fs.writeFileSync(script, CHILD);
  child = await startInspectedChild(script);
  await child.evaluate('__churnTest.grow(200)');
  leakyId = await child.heapObjectId('__churnTest.leaky()');
  stableId = await child.heapObjectId('__churnTest.stable()');
  snapshots = [];
  for (let i = 1; i <= 3; i++) {
    await child.evaluate('__churnTest.grow(500)');
    const t = performance.now();
    const s = await takeHeapSnapshot(child.cdp, path.join(dir, `snap-${i}.heapsnapshot`));
    snapshots.push({ ...s, ms: performance.now() - t });
  }
  const t = performance.now();
  diagnosis = await diagnoseCollections(
    snapshots.map((s) => s.file),
    [
      { id: leakyId, kind: 'Map' },
      { id: stableId, kind: 'Map', name: 'stableCache' },
    ],
  );
  diagnosisMs = performance.now() - t;
});

afterAll(async () => {
  await child?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  // Figures for the project's notes; never asserted (timing depends on the machine).
  console.info(
    `snapshots: ${snapshots.map((s) => `${(s.bytes / 1e6).toFixed(1)} MB in ${s.ms.toFixed(0)} ms`).join(', ')}; ` +
      `diagnosis of 3: ${diagnosisMs?.toFixed(0)} ms ${JSON.stringify(diagnosis?.timing)}`,
  );
});

describe('takeHeapSnapshot', () => {
  it('streams a complete, parseable snapshot to the file and reports its size', () => {
    const first = snapshots[0];
    expect(first).toBeDefined();
    const text = fs.readFileSync(first!.file, 'utf8');
    expect(Buffer.byteLength(text)).toBe(first!.bytes);
    const parsed = JSON.parse(text) as { snapshot?: { meta?: unknown; node_count?: number } };
    expect(parsed.snapshot?.meta).toBeDefined();
    expect(parsed.snapshot?.node_count).toBeGreaterThan(1000);
    expect(fs.existsSync(`${first!.file}.partial`)).toBe(false);
  });
});

describe('diagnoseCollections', () => {
  it('traces the leaking Map to the checkpointStates variable that holds it', () => {
    const leaky = diagnosis.collections.find((c) => c.id === leakyId);
    expect(leaky?.found).toBe(true);
    expect(leaky?.name).toBe('checkpointStates');
    expect(leaky?.entries).toBe(1700);
    expect(leaky?.retainedBytes).toBeGreaterThan(0);
    const last = leaky?.retainerPath[leaky.retainerPath.length - 1] ?? '';
    expect(last).toContain('checkpointStates');
    expect(last).toContain('Map');
    expect(leaky?.retainerSummary).toMatch(/^\(module scope\) checkpointStates → Map \(1 700 entries, .+ retained\)$/);
    expect(leaky?.steps[0]?.node.type).toBe('synthetic');
  });

  it('flags the growing Map across 3 snapshots and not the stable one', () => {
    const growing = diagnosis.growingAcrossSnapshots ?? [];
    const leaky = growing.find((g) => g.id === leakyId);
    expect(leaky).toMatchObject({ kind: 'Map', monotonic: true, suspect: true, name: 'checkpointStates' });
    expect(leaky?.edgesHistory).toHaveLength(3);
    expect(growing.some((g) => g.id === stableId)).toBe(false);
  });

  it('says the stable suspect showed no growth instead of inventing one', () => {
    const stable = diagnosis.collections.find((c) => c.id === stableId);
    expect(stable?.found).toBe(true);
    expect(stable?.retainerSummary).toContain('stableCache');
    expect(diagnosis.notes.some((n) => n.includes(stableId) && n.includes('no growth'))).toBe(true);
  });

  it('finds a suspect by its name when its id is not in the snapshot', async () => {
    const last = snapshots[snapshots.length - 1]!.file;
    const d = await diagnoseCollections([last], [{ id: '@999999999', name: 'checkpointStates', kind: 'Map', size: 1700 }]);
    expect(d.collections[0]).toMatchObject({ found: true, foundBy: 'name', id: leakyId, entries: 1700, entriesSource: 'census' });
    expect(d.growingAcrossSnapshots).toBeUndefined();
    expect(d.notes.some((n) => n.includes('One snapshot'))).toBe(true);
  });

  it('turns an unreadable snapshot into a note instead of an exception', async () => {
    const bad = path.join(dir, 'truncated.heapsnapshot');
    fs.writeFileSync(bad, '{"snapshot":{"meta":');
    const d = await diagnoseCollections([bad], [{ id: leakyId, name: 'checkpointStates', kind: 'Map' }]);
    expect(d.collections[0]).toMatchObject({ found: false, name: 'checkpointStates' });
    expect(d.notes.some((n) => n.startsWith(`Could not load ${bad}`))).toBe(true);
  });

  it('reports an unknown suspect as not found rather than failing', async () => {
    const last = snapshots[snapshots.length - 1]!.file;
    const d = await diagnoseCollections([last], [{ id: '@999999999', kind: 'Set' }]);
    expect(d.collections[0]).toMatchObject({ found: false, retainerPath: [] });
    expect(d.notes.some((n) => n.includes('not found'))).toBe(true);
  });
});
