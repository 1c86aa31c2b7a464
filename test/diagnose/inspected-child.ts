// Test helper: a Node child with the inspector on 127.0.0.1 and a minimal CDP client over ws,
// so the diagnosis runs on real snapshots taken the way the harness takes them.
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import type { CdpLike } from '../../harness/diagnose/snapshot.ts';

export interface InspectedChild {
  pid: number;
  cdp: CdpLike;
  /** Evaluate an expression in the child and return its value (awaits promises). */
  evaluate(expression: string): Promise<unknown>;
  /** The heap snapshot id ("@N") of the object an expression yields. */
  heapObjectId(expression: string): Promise<string>;
  close(): Promise<void>;
}

export async function startInspectedChild(script: string): Promise<InspectedChild> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await inspectorUrl(child);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  let nextId = 1;
  let tracking = false;
  const pending = new Map<number, { resolve(v: any): void; reject(e: Error): void }>();
  const listeners = new Map<string, Set<(p: any) => void>>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
      else p?.resolve(msg.result);
    } else if (typeof msg.method === 'string') {
      for (const l of listeners.get(msg.method) ?? []) l(msg.params);
    }
  });
  const cdp: CdpLike = {
    send(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params: params ?? {} }));
      });
    },
    on(event, l) {
      const set = listeners.get(event) ?? new Set();
      set.add(l);
      listeners.set(event, set);
    },
    off(event, l) {
      listeners.get(event)?.delete(l);
    },
  };
  // The script may still be loading: the inspector is up before the main module runs, and an
  // evaluation that early can even land while Node bootstraps its loader. So poll from here,
  // one plain expression at a time, until the script has published its test handle.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await cdp.send('Runtime.evaluate', { expression: 'typeof globalThis.__churnTest', returnByValue: true });
    if (r.result?.value === 'object') break;
    if (Date.now() > deadline) throw new Error('the inspected child never defined globalThis.__churnTest within 20 s');
    await new Promise((res) => setTimeout(res, 20));
  }

  return {
    pid: child.pid ?? -1,
    cdp,
    async evaluate(expression) {
      const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? 'evaluate failed');
      return r.result.value;
    },
    async heapObjectId(expression) {
      await cdp.send('HeapProfiler.enable');
      // V8 gives objects snapshot ids only once a snapshot was taken or tracking is on;
      // before that getHeapObjectId answers "0". (Stopping tracking would take a snapshot.)
      if (!tracking) {
        await cdp.send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false });
        tracking = true;
      }
      const r = await cdp.send('Runtime.evaluate', { expression, objectGroup: 'churnlab-test' });
      try {
        const { heapSnapshotObjectId } = await cdp.send('HeapProfiler.getHeapObjectId', { objectId: r.result.objectId });
        return `@${heapSnapshotObjectId}`;
      } finally {
        // A remote object handle is itself a retainer; drop it so paths go through the program.
        await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'churnlab-test' });
      }
    },
    async close() {
      ws.close();
      await stop(child);
    },
  };
}

function inspectorUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(text);
      if (m?.[1]) {
        child.stderr?.off('data', onData);
        // Keep draining stderr so the child never blocks on a full pipe.
        child.stderr?.resume();
        resolve(m[1]);
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before the inspector was up: ${text}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(child.pid as number, 'SIGKILL');
  });
}
