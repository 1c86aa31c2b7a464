// Start the mock OpenCode in its own Node process (child.ts) and stop it: its heap and CPU are
// then its own, and any process can reach it at `url`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ownModule } from '../core/paths.ts';

export const MOCK_CHILD_ENTRY = ownModule('./child', import.meta.url);
/** The sources need tsx (resolved from churnlab's own folder, not the caller's); dist/ does not. */
const TS_FLAGS = MOCK_CHILD_ENTRY.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];

export interface HeapFigures {
  /** process.memoryUsage().heapUsed after full GCs. */
  usedHeapBytes: number;
  /** Compiled code, bytecode and their metadata (v8.getHeapCodeStatistics), part of usedHeapBytes. */
  codeBytes: number;
  totalHeapBytes: number;
  rssBytes: number;
}

export interface MockProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  process: ChildProcess;
  /** The child's used heap after full GCs (asked over IPC, not HTTP). */
  heap(): Promise<HeapFigures>;
  /** SIGTERM (the child persists to its --store first) and wait for the exit. */
  stop(): Promise<void>;
}

/** `args`: child.ts options (--port, --seed, --store, --tool-calls, ...); `nodeFlags`: for node itself. */
export async function spawnMockOpenCode(args: string[] = [], nodeFlags: string[] = []): Promise<MockProcess> {
  const child = spawn(process.execPath, [...nodeFlags, ...TS_FLAGS, MOCK_CHILD_ENTRY, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const { url, pid } = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`mock child did not start in 30 s: ${stderr}`)), 30_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const end = out.indexOf('\n');
        if (end === -1) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(JSON.parse(out.slice(0, end)) as { url: string; pid: number });
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`mock child exited (${code}): ${stderr}`));
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
    return {
      url,
      pid,
      process: child,
      heap: () =>
        new Promise<HeapFigures>((resolve, reject) => {
          const onMessage = (message: { type?: string } & HeapFigures) => {
            if (message?.type !== 'heap') return;
            child.off('message', onMessage);
            const { usedHeapBytes, codeBytes, totalHeapBytes, rssBytes } = message;
            resolve({ usedHeapBytes, codeBytes, totalHeapBytes, rssBytes });
          };
          child.on('message', onMessage);
          if (!child.send({ type: 'heap' })) reject(new Error('mock child IPC channel is closed'));
        }),
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
