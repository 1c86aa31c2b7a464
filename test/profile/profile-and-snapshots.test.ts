// --profile and --snapshot-at end to end on a real target process: the leaky guard plugin's
// allocation site is among the top sites and its Map is named by the snapshot diff; the fixed
// twin's profile does not show that site keeping memory.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../harness/scenario/run.ts';
import { shortPrimed, testOut } from '../scenario/helpers.ts';
import { SMALL_SESSIONS, smallScenario } from './small-scenario.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const LEAKY_FILE = 'test/profile/fixtures/guard-leaky.ts';
const FIXED_FILE = 'test/profile/fixtures/guard-fixed.ts';
/** Profiles and snapshots are read here, no heap verdict: a short priming. */
const scenario = shortPrimed(smallScenario);

describe('--profile and --snapshot-at', () => {
  let leaky: RunResult;
  let fixed: RunResult;
  beforeAll(async () => {
    leaky = await runScenario(scenario, {
      target: fixture('guard-leaky.ts'),
      sessions: SMALL_SESSIONS,
      outRoot: testOut(),
      diagnose: false,
      // Twice the default sampling rate: ~14 samples expected at the site instead of ~7, so the
      // site cannot be missed by the luck of the draw.
      local: { profile: { mode: 'retained', samplingIntervalBytes: 2048 }, snapshotAt: ['churn'] },
    });
    fixed = await runScenario(scenario, {
      target: fixture('guard-fixed.ts'),
      sessions: SMALL_SESSIONS,
      outRoot: testOut(),
      diagnose: false,
      local: { profile: { mode: 'retained', samplingIntervalBytes: 2048 } },
    });
  }, 300_000);

  it('finds the function that adds to the leaking Map among the top allocation sites, per session', () => {
    const p = leaky.report.profile;
    expect(leaky.report.error).toBeUndefined();
    expect(p?.status).toBe('profiled');
    if (p?.status !== 'profiled') return;
    expect(p.phases).toEqual(['churn']);
    expect(p.unitsProfiled).toBe(SMALL_SESSIONS);
    const site = p.topSites.find((s) => s.functionName === 'rememberSession');
    expect(site, JSON.stringify(p.topSites.map((s) => `${s.functionName} ${s.file}`))).toBeDefined();
    // Mapped back to the .ts source through tsx's source map, relative to the repository.
    expect(site!.file).toBe(LEAKY_FILE);
    expect(site!.line).toBe(16);
    expect(site!.origin).toBe('user');
    // ~0.9 of sessions vanish, each leaving an entry (object, array, string, table slots): read
    // 130-190 B per session in runs here (~14 samples); 32 B would be ~2 samples.
    expect(site!.bytesPerUnit).toBeGreaterThan(32);
    expect(p.topUserSites[0]?.functionName).toBe('rememberSession');
    // The harness's own frames never appear as sites.
    expect(p.topSites.every((s) => s.origin !== 'harness' && !s.file.startsWith('harness/'))).toBe(true);
  });

  it('writes a .heapprofile that DevTools reads, and shows the sites in summary.md and report.html', () => {
    const file = join(leaky.dir, 'churn.heapprofile');
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    expect(profile.head.callFrame.functionName).toBe('(root)');
    expect(Array.isArray(profile.samples)).toBe(true);
    expect(leaky.report.files.local).toContain('churn.heapprofile');
    const md = readFileSync(join(leaky.dir, 'summary.md'), 'utf8');
    expect(md).toContain('### Allocation profile');
    expect(md).toContain(`${LEAKY_FILE}:16`);
    expect(readFileSync(join(leaky.dir, 'report.html'), 'utf8')).toContain('rememberSession');
  });

  it('does not show the fixed twin keeping memory at that site', () => {
    const p = fixed.report.profile;
    expect(p?.status).toBe('profiled');
    if (p?.status !== 'profiled') return;
    const site = p.topSites.find((s) => s.functionName === 'rememberSession' && s.file === FIXED_FILE);
    // Entries go on session.idle, so what rememberSession allocated is garbage by the end. One
    // sample of the Map's live table would read ~14 B per session; the leaky twin reads ~300.
    expect(site?.bytesPerUnit ?? 0).toBeLessThan(32);
  });

  it('diffs the snapshots at the start of churn and at the end, and names the growing Map', () => {
    const d = leaky.report.phaseDiff;
    expect(d?.status).toBe('diffed');
    if (d?.status !== 'diffed') return;
    expect(d.from.phase).toBe('churn');
    expect(d.to.phase).toBe('end');
    expect(d.unitsBetween).toBe(SMALL_SESSIONS);
    for (const s of leaky.report.snapshots ?? []) expect(existsSync(join(leaky.dir, s.file))).toBe(true);
    const gate = d.growingCollections.find((g) => g.name === 'gateSessions');
    expect(gate, JSON.stringify(d.growingCollections)).toBeDefined();
    expect(gate!.monotonic).toBe(true);
    expect(gate!.retainerSummary).toContain('gateSessions');
    expect(d.classes.length).toBeGreaterThan(0);
    expect(readFileSync(join(leaky.dir, 'summary.md'), 'utf8')).toContain('gateSessions');
  });
});
