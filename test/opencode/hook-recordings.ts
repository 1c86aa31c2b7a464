// The two sides of hook parity as compact recordings: the real `opencode serve` (live, or the
// committed fixture) and churnlab's plugin host (live, against the mock). Both are recorded by the
// same plugin, harness/opencode-real/hook-recorder.js, so both lines have one format.
// `npx tsx test/opencode/hook-recordings.ts` records the real server again and rewrites the fixture.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockBackend } from '../../harness/opencode/backend.ts';
import { readRecording, recordRealServer, RECORDER_PLUGIN } from '../../harness/opencode-real/hook-recording.ts';
import { launchTarget } from '../../harness/target/launch.ts';
import { compact, type CompactRecording } from './hook-parity.ts';

export const FIXTURE = fileURLToPath(new URL('./real-hook-recording.json', import.meta.url));
export const REAL_SOURCE = 'opencode serve 1.18.33 (harness/opencode-real/hook-recording.ts)';

export function committedRecording(): CompactRecording {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as CompactRecording;
}

/** Records the real server now (~1-2 min: two server starts, 14 operations). */
export async function recordRealLive(): Promise<CompactRecording> {
  const dir = mkdtempSync(join(tmpdir(), 'churnlab-hooks-real-'));
  try {
    return compact(await recordRealServer({ file: join(dir, 'hooks.ndjson') }), REAL_SOURCE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The mixes the host plays, one session each: plain turns, then slash commands, permission asks,
 * compactions (a host without mixes ignores the field and plays plain turns).
 */
export const HOST_MIXES: Array<Record<string, number>> = [{}, { commandShare: 1 }, { permissionShare: 1 }, { compactionShare: 1 }];
export const HOST_MESSAGES_PER_SESSION = 3;

/** The plugin host, in its own process, with the recorder as its plugin, against the mock (2 tool calls a reply). */
export async function recordHost(): Promise<CompactRecording> {
  const dir = mkdtempSync(join(tmpdir(), 'churnlab-hooks-host-'));
  const file = join(dir, 'hooks.ndjson');
  const backend = await startMockBackend({ seed: 11, reply: { toolCallsPerMessage: 2 } });
  try {
    const target = await launchTarget({
      host: 'plugin',
      target: RECORDER_PLUGIN,
      options: { opencodeUrl: backend.url, pluginOptions: { out: file } },
    });
    try {
      for (const [i, mix] of HOST_MIXES.entries()) {
        await target.call('sessions.run', {
          startIndex: i,
          count: 1,
          messagesPerSession: HOST_MESSAGES_PER_SESSION,
          cleanEndShare: 1,
          concurrency: 1,
          mix,
        });
      }
    } finally {
      await target.stop();
    }
    return compact(readRecording(file), 'churnlab plugin host (harness/host/plugin-host.ts) on the mock');
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const recording = await recordRealLive();
  writeFileSync(FIXTURE, `${JSON.stringify(recording, null, 1)}\n`);
  process.stdout.write(`wrote ${FIXTURE}: ${recording.calls.length} calls, ${Object.keys(recording.shapes).length} shapes\n`);
}
