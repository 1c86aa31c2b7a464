// Records which plugin hooks the real `opencode serve` calls, in which order and with which
// shapes, while one session goes through the operations churnlab's plugin host plays: create,
// plain and tool-calling prompts (bash among them), a slash command, a permission ask, a
// compaction, title generation by the small model, an abort, a delete. The server loads
// hook-recorder.js from its config; the fake LLM decides tool calls by a marker in the prompt.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import type { LlmReply, LlmRequestRecord, LlmToolCall } from '../opencode/llm.ts';
import { messageText } from '../opencode/llm.ts';
import { FAKE_MODEL_ID, FAKE_PROVIDER_ID, type ServerConfigOptions } from './config.ts';
import { startRealBackend, type RealBackendOptions } from './backend.ts';

/** One line of a recording: a hook call, or the start of an operation (`hook: '#op'`). */
export interface HookRecord {
  seq?: number;
  hook: string;
  op?: string;
  hints?: Record<string, unknown>;
  input?: unknown;
  output?: unknown;
}

export interface RecordedOperation {
  op: string;
  calls: HookRecord[];
}

export const RECORDER_PLUGIN = fileURLToPath(new URL('./hook-recorder.js', import.meta.url));

/** The slash command and permission rule the recording config adds (offline, no model switch). */
export const RECORDING_COMMAND = 'churnlab-hello';
export const RECORDING_CONFIG = (recordingFile: string): ServerConfigOptions => ({
  extra: {
    plugin: [[pathToFileURL(RECORDER_PLUGIN).href, { out: recordingFile }]],
    command: { [RECORDING_COMMAND]: { template: 'Say hello to $ARGUMENTS', description: 'churnlab recording command' } },
    permission: { edit: 'ask' },
  },
});

/**
 * The second server of a recording: no `small_model` (the server asks plugins for one when it
 * names a session) and a context small enough that a long prompt overflows it, so the server
 * compacts by itself and asks `experimental.compaction.autocontinue`.
 */
export const OVERFLOW_CONFIG = (recordingFile: string): ServerConfigOptions => ({
  ...RECORDING_CONFIG(recordingFile),
  noSmallModel: true,
  limit: { context: 8_000, output: 2_000 },
});
/** A prompt of ~4 500 tokens (the fake LLM counts 4 characters a token): past the 6 000 usable with the system prompt. */
const OVERFLOW_PROMPT_CHARS = 18_000;

/** Markers in a prompt's text that make the fake LLM answer with tool calls. */
export const TOOL_MARKERS = {
  tools: 'CHURNLAB_TOOLS',
  permission: 'CHURNLAB_WRITE',
} as const;

/** The fake LLM's rule: tool calls for a marked prompt, text once the tools have answered. */
export function recordingReply(request: LlmRequestRecord): LlmReply {
  const last = request.messages.at(-1);
  const text = last ? messageText(last) : '';
  const base = `FAKE-REPLY#${request.n}`;
  if (last?.role !== 'user') return { text: `${base} done` };
  const calls: LlmToolCall[] = [];
  if (text.startsWith(TOOL_MARKERS.tools)) {
    calls.push({ name: 'bash', arguments: { command: 'echo churnlab', description: 'Print a word' }, id: `call_bash_${request.n}` });
    calls.push({ name: 'read', arguments: { filePath: 'README.md' }, id: `call_read_${request.n}` });
  } else if (text.startsWith(TOOL_MARKERS.permission)) {
    calls.push({ name: 'write', arguments: { filePath: 'notes.txt', content: 'churnlab\n' }, id: `call_write_${request.n}` });
  }
  return calls.length > 0 ? { text: '', toolCalls: calls } : { text: `${base} echo: ${text.slice(0, 40)}` };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`hook recording: timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Wait until the recording file has not grown for `quietMs` (the tail of a reply lands late). */
async function settle(file: string, quietMs = 300): Promise<void> {
  let size = existsSync(file) ? statSync(file).size : 0;
  let still = Date.now();
  const started = Date.now();
  while (Date.now() - still < quietMs && Date.now() - started < 20_000) {
    await sleep(100);
    const now = existsSync(file) ? statSync(file).size : 0;
    if (now !== size) {
      size = now;
      still = Date.now();
    }
  }
}

export function readRecording(file: string): HookRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as HookRecord);
}

/** The recording cut at its '#op' markers (calls before the first marker: 'load'). */
export function byOperation(records: readonly HookRecord[]): RecordedOperation[] {
  const ops: RecordedOperation[] = [{ op: 'load', calls: [] }];
  for (const r of records) {
    if (r.hook === '#op') ops.push({ op: r.op ?? '?', calls: [] });
    else ops.at(-1)!.calls.push(r);
  }
  return ops;
}

export interface RecordRealOptions extends Pick<RealBackendOptions, 'binary' | 'log' | 'runDir' | 'keepDirs'> {
  /** Where the NDJSON goes (default: under the run dir, read back and returned either way). */
  file: string;
}

type Sdk = ReturnType<typeof createOpencodeClient>;
interface Stream {
  events: Array<{ type: string; properties: Record<string, unknown> }>;
  stop(): void;
}

async function subscribe(v2: Sdk): Promise<Stream> {
  const events: Stream['events'] = [];
  const aborter = new AbortController();
  const sub = await v2.event.subscribe({}, { signal: aborter.signal, sseMaxRetryAttempts: 1 });
  void (async () => {
    try {
      for await (const event of sub.stream) events.push(event as Stream['events'][number]);
    } catch {
      // aborted at the end
    }
  })();
  await until(() => events.length > 0, 'server.connected');
  return { events, stop: () => aborter.abort() };
}

const model = { providerID: FAKE_PROVIDER_ID, modelID: FAKE_MODEL_ID };
const text = (t: string) => [{ type: 'text' as const, text: t }];

interface Session {
  v2: Sdk;
  stream: Stream;
  backend: Awaited<ReturnType<typeof startRealBackend>>;
  /** Marks the start of an operation in the recording. */
  mark(op: string): void;
  /** Waits for the recording to go quiet. */
  settle(): Promise<void>;
}

async function withRecordingServer(
  opts: RecordRealOptions,
  config: ServerConfigOptions,
  play: (s: Session) => Promise<void>,
): Promise<void> {
  const backend = await startRealBackend({ ...opts, config, llm: { seed: 1 } });
  const v2 = createOpencodeClient({ baseUrl: backend.url, directory: backend.dirs.project });
  try {
    const stream = await subscribe(v2);
    try {
      writeFileSync(join(backend.dirs.project, 'README.md'), '# recorded project\n');
      backend.llm.setReply(recordingReply);
      await settle(opts.file);
      await play({
        v2,
        stream,
        backend,
        mark: (op) => writeFileSync(opts.file, `${JSON.stringify({ hook: '#op', op })}\n`, { flag: 'a' }),
        settle: () => settle(opts.file),
      });
    } finally {
      stream.stop();
    }
  } finally {
    await backend.close();
  }
}

const idleCount = (stream: Stream, sessionID: string) =>
  stream.events.filter((e) => e.type === 'session.idle' && e.properties.sessionID === sessionID).length;

/** The operations of the plugin host's session lives, on one titled session, then an untitled one. */
async function playMain({ v2, stream, backend, mark, settle: quiet }: Session): Promise<void> {
  mark('session.create');
  const session = (await v2.session.create({ title: 'churnlab recording' })).data!;
  const sessionID = session.id;
  await quiet();

  mark('prompt.text');
  await v2.session.prompt({ sessionID, model, agent: 'build', parts: text('hello there') });
  await quiet();

  mark('prompt.tools');
  await v2.session.prompt({ sessionID, model, agent: 'build', parts: text(`${TOOL_MARKERS.tools} run bash and read`) });
  await quiet();

  mark('session.command');
  await v2.session.command({
    sessionID,
    command: RECORDING_COMMAND,
    arguments: 'world',
    model: `${model.providerID}/${model.modelID}`,
    agent: 'build',
  });
  await quiet();

  mark('prompt.permission');
  const seen = stream.events.length;
  const pending = v2.session.prompt({ sessionID, model, agent: 'build', parts: text(`${TOOL_MARKERS.permission} a file`) });
  const asked = await Promise.race([
    until(() => stream.events.slice(seen).some((e) => e.type === 'permission.asked'), 'permission.asked', 20_000).then(() => true),
    pending.then(() => false),
  ]);
  if (asked) {
    const request = stream.events.slice(seen).find((e) => e.type === 'permission.asked')!;
    await v2.permission.reply({ requestID: String(request.properties.id), reply: 'once' });
  }
  await pending;
  await quiet();

  mark('session.summarize');
  await v2.session.summarize({ sessionID, ...model });
  await quiet();

  mark('prompt.after-compaction');
  await v2.session.prompt({ sessionID, model, agent: 'build', parts: text('and now?') });
  await quiet();

  mark('session.abort');
  const hold = backend.faults.add({ route: 'llm.chat.completions', kind: 'latency', latencyMs: 60_000, times: 1 });
  const before = idleCount(stream, sessionID);
  await v2.session.promptAsync({ sessionID, model, agent: 'build', parts: text('a slow one') });
  await until(() => hold.hits > 0, 'the held model call');
  await v2.session.abort({ sessionID });
  await until(() => idleCount(stream, sessionID) > before, 'idle after abort');
  hold.remove();
  await quiet();

  mark('session.delete');
  await v2.session.delete({ sessionID });
  await quiet();

  mark('untitled.create');
  const untitled = (await v2.session.create({})).data!;
  await quiet();

  mark('untitled.prompt.title');
  await v2.session.prompt({ sessionID: untitled.id, model, agent: 'build', parts: text('name this session') });
  await quiet();

  mark('untitled.delete');
  await v2.session.delete({ sessionID: untitled.id });
  await quiet();
}

/** No small_model and a small context: title by the plugin-chosen small model, a compaction the server starts. */
async function playOverflow({ v2, stream, mark, settle: quiet }: Session): Promise<void> {
  mark('overflow.create');
  const session = (await v2.session.create({})).data!;
  const sessionID = session.id;
  await quiet();

  mark('overflow.prompt.title');
  await v2.session.prompt({ sessionID, model, agent: 'build', parts: text('name this session') });
  await quiet();

  mark('overflow.prompt.long');
  await v2.session.prompt({ sessionID, model, agent: 'build', parts: text(`long: ${'context '.repeat(OVERFLOW_PROMPT_CHARS / 8)}`) });
  await quiet();

  mark('overflow.prompt.next');
  await v2.session.prompt({ sessionID, model, agent: 'build', parts: text('what next?') });
  await until(
    () => stream.events.some((e) => e.type === 'session.compacted' && e.properties.sessionID === sessionID),
    'session.compacted',
    30_000,
  ).catch(() => undefined);
  await quiet();

  mark('overflow.delete');
  await v2.session.delete({ sessionID });
  await quiet();
}

/**
 * Start the real server with the recorder, play the operations, return the recording: the main
 * operations on one server, then title and overflow compaction on a second (no small_model, small
 * context). `#op` lines mark where each operation starts.
 */
export async function recordRealServer(opts: RecordRealOptions): Promise<HookRecord[]> {
  writeFileSync(opts.file, '');
  await withRecordingServer(opts, RECORDING_CONFIG(opts.file), playMain);
  writeFileSync(opts.file, `${JSON.stringify({ hook: '#op', op: 'restart' })}\n`, { flag: 'a' });
  await withRecordingServer(opts, OVERFLOW_CONFIG(opts.file), playOverflow);
  return readRecording(opts.file);
}

/** A call's label: the hook, or `event:<type>` for the event hook. */
export function callLabel(r: HookRecord): string {
  return r.hook === 'event' ? `event:${String(r.hints?.type)}` : r.hook;
}

/** Labels with runs of the same label folded: `tool.definition×12`. */
export function foldRuns(labels: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < labels.length) {
    let j = i;
    while (j < labels.length && labels[j] === labels[i]) j += 1;
    out.push(j - i > 1 ? `${labels[i]}×${j - i}` : labels[i]!);
    i = j;
  }
  return out;
}
