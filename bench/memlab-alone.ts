// The memlab-alone pipeline, as a user who knows memlab builds it: the plugin loaded in this
// process, an in-process driver playing the same session lives as leak-unclean-exit (the same
// host code: SessionLife on the real SDK client, against the mock OpenCode in its own process,
// its reply shape, 2 turns, 10 % clean ends), a heap snapshot after a warm-up and after each of
// two equal churn steps, then @memlab/heap-analysis's CollectionUnboundGrowthAnalysis on the three.
//   npx tsx bench/memlab-alone.ts --target <plugin> [--warmup 300] [--step 1000]
// Prints one JSON line: { wallMs, verdict: 'leak' | 'bounded', flagged: [{ name, id, history }] }.
// Used by bench/vs-memlab.ts; not a test.
import { mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import memlabCore from '@memlab/core';
import unboundModule from '@memlab/heap-analysis/dist/plugins/CollectionUnboundGrowthAnalysis.js';
import { createOpencodeClient } from '@opencode-ai/sdk';
import type { Hooks, PluginInput } from '@opencode-ai/plugin';
import { parseUnboundCsv } from '../harness/diagnose/parse-unbound.ts';
import { createDispatcher } from '../harness/host/hooks.ts';
import { loadPluginModule } from '../harness/host/load-plugin.ts';
import { endsCleanly } from '../harness/host/plugin-host.ts';
import { NO_MIX, SessionLife, type LifeCounters } from '../harness/host/session-life.ts';
import { BunUses, countedShell } from '../harness/host/bun.ts';
import { spawnMockOpenCode } from '../harness/opencode/spawn.ts';
import scenario from '../scenarios/leak-unclean-exit.ts';

const startedMs = performance.now();
const { values } = parseArgs({
  options: { target: { type: 'string' }, warmup: { type: 'string', default: '300' }, step: { type: 'string', default: '1000' } },
});
if (!values.target) throw new Error('memlab-alone: --target <plugin path> is required');
const p = scenario.params;
const reply = scenario.reply!;
const mock = await spawnMockOpenCode([
  '--seed',
  String(p.seed),
  '--tool-calls',
  String(reply.toolCallsPerMessage),
  '--tool-output-bytes',
  String(reply.toolOutputBytes),
  ...(reply.textBytes !== undefined ? ['--text-bytes', String(reply.textBytes)] : []),
]);
const work = mkdtempSync(join(tmpdir(), 'memlab-alone-'));
try {
  const directory = join(work, 'project');
  mkdirSync(directory);
  const client = createOpencodeClient({ baseUrl: mock.url, directory });
  const input: PluginInput = {
    client,
    project: { id: 'global', worktree: directory, time: { created: Date.now() } },
    directory,
    worktree: directory,
    experimental_workspace: { register() {} },
    serverUrl: new URL(mock.url),
    $: countedShell(new BunUses()),
  };
  const loaded = await loadPluginModule(resolve(values.target));
  const hooks: Hooks[] = [];
  for (const { plugin } of loaded.plugins) hooks.push(await plugin(input));
  const counters: LifeCounters = {
    sessions: 0,
    messages: 0,
    toolCalls: 0,
    cleanEnds: 0,
    uncleanEnds: 0,
    compactions: 0,
    smallModelAsks: 0,
  };
  // The scenario's own mix of slash commands, permission asks, compactions and untitled sessions.
  const mix = {
    ...NO_MIX,
    commandShare: p.commandShare,
    permissionShare: p.permissionShare,
    compactionShare: p.compactionShare,
    untitledShare: p.untitledShare,
  };
  const shape = { userTextBytes: 400, agent: 'build', providerID: 'fake', modelID: 'fake-1' };
  const life = new SessionLife(
    client,
    createDispatcher(hooks, () => {}),
    shape,
    counters,
    mix,
  );

  let next = 0;
  const play = async (count: number) => {
    const end = next + count;
    const worker = async () => {
      while (next < end) {
        const index = next++;
        const session = await life.open(`churnlab session ${index}`, index);
        for (let m = 0; m < p.turnsPerSession; m += 1) await life.turn(session, m, m === p.turnsPerSession - 1);
        if (endsCleanly(index, p.cleanEndShare)) await life.endCleanly(session);
        else life.endUncleanly(session);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  };
  // A snapshot blocks the event loop for seconds; the server drops idle keep-alive sockets meanwhile.
  const snapshot = async (file: string) => {
    writeHeapSnapshot(join(snapshots, file));
    await new Promise((done) => setTimeout(done, 100));
  };
  const snapshots = join(work, 'snapshots');
  mkdirSync(snapshots);
  await play(Number(values.warmup));
  await snapshot('s1.heapsnapshot');
  await play(Number(values.step));
  await snapshot('s2.heapsnapshot');
  await play(Number(values.step));
  await snapshot('s3.heapsnapshot');

  // memlab, as its docs show it: the analysis on a directory of snapshots, its CSV read back.
  memlabCore.config.errorHandling = memlabCore.ErrorHandling.Throw;
  memlabCore.config.muteConsole = true;
  type AnalysisClass = typeof unboundModule.default;
  const Analysis: AnalysisClass = typeof unboundModule === 'function' ? (unboundModule as unknown as AnalysisClass) : unboundModule.default;
  await new Analysis().analyzeSnapshotsInDirectory(snapshots, { workDir: join(work, 'memlab') });
  const csvFile = memlabCore.config.unboundObjectCSV;
  const flagged = existsSync(csvFile) ? parseUnboundCsv(readFileSync(csvFile, 'utf8')) : [];
  process.stdout.write(
    `${JSON.stringify({ wallMs: performance.now() - startedMs, verdict: flagged.length > 0 ? 'leak' : 'bounded', flagged, sessions: counters.sessions })}\n`,
  );
} finally {
  await mock.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
