// The mock in its own process, so its heap is not the harness's (and a target can be pointed at
// it by URL). Prints one JSON line {"url","pid"} on stdout when listening; SIGTERM, SIGINT or the
// parent's IPC channel closing stops it (persisting to --store first, if given).
//
//   npx tsx harness/opencode/child.ts [--port 0] [--seed 1] [--directory DIR] [--store FILE]
//        [--tool-calls N] [--tool-output-bytes N] [--text-bytes N] [--max-deleted-sessions N]
//        [--llm-record-limit N] [--dispatch direct|msw]
//
// Over its IPC channel it answers { type: 'heap' } with the post-GC heap of this process
// ({ type: 'heap', usedHeapBytes, codeBytes, totalHeapBytes, rssBytes }): not over HTTP, so
// measuring does not run (and JIT-compile, a little more each time) code paths the load does not
// use. codeBytes is V8's own count of compiled code, bytecode and their metadata: it keeps growing
// for a while under a varied load (optimized code is replaced, not freed at once) without any
// JavaScript object being retained, so leak checks subtract it.
import { getHeapCodeStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { createMockOpenCode, fileStore } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    directory: { type: 'string' },
    store: { type: 'string' },
    'tool-calls': { type: 'string' },
    'tool-output-bytes': { type: 'string' },
    'text-bytes': { type: 'string' },
    'max-deleted-sessions': { type: 'string' },
    'llm-record-limit': { type: 'string' },
    dispatch: { type: 'string', default: 'direct' },
  },
});

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const reply = Object.fromEntries(
  Object.entries({
    toolCallsPerMessage: num(values['tool-calls']),
    toolOutputBytes: num(values['tool-output-bytes']),
    textBytes: num(values['text-bytes']),
  }).filter(([, v]) => v !== undefined),
);
const maxDeleted = num(values['max-deleted-sessions']);
const recordLimit = num(values['llm-record-limit']);

const mock = createMockOpenCode({
  seed: Number(values.seed),
  ...(values.directory ? { directory: values.directory } : {}),
  ...(values.store ? { store: fileStore(values.store) } : {}),
  reply,
  ...(maxDeleted !== undefined ? { accounting: { maxDeletedSessions: maxDeleted } } : {}),
  ...(recordLimit !== undefined ? { llm: { recordLimit } } : {}),
});

// gc() without --expose-gc on the command line: set the flag, then fetch gc from a fresh context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function postGcHeap() {
  // FinalizationRegistry callbacks (undici uses them per Request) run in a task after a GC: let
  // them run between collections, or objects they would release still count.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  gc();
  const usage = process.memoryUsage();
  const code = getHeapCodeStatistics();
  return {
    type: 'heap',
    usedHeapBytes: usage.heapUsed,
    codeBytes: code.code_and_metadata_size + code.bytecode_and_metadata_size,
    totalHeapBytes: usage.heapTotal,
    rssBytes: usage.rss,
  };
}

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'heap') void postGcHeap().then((heap) => process.send?.(heap));
});

const listening = await mock.listen({ port: Number(values.port), dispatch: values.dispatch === 'msw' ? 'msw' : 'direct' });
process.stdout.write(`${JSON.stringify({ url: listening.url, pid: process.pid })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await listening.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
