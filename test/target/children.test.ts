// The one registry of what must not outlive the harness: a signal nobody else handles kills every
// tracked child (a group leader with its group), runs the cleanups and still ends the process by
// that signal; a signal an interruptible command handles leaves them to its run, and the exit
// that follows kills them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

const HELPER = fileURLToPath(new URL('./children-helper.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) for every pid to be gone; returns the ones still alive. */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 50 && pids.some(alive); i += 1) await delay(100);
  return pids.filter(alive);
}

function startHelper(mode: 'unhandled' | 'handled') {
  const cleanupFile = join(mkdtempSync(join(tmpdir(), 'churnlab-children-')), 'cleanup');
  const child = spawn(process.execPath, ['--import', 'tsx', HELPER, mode, cleanupFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const line = async (pattern: RegExp): Promise<string> => {
    for (let i = 0; i < 300 && !pattern.test(out); i += 1) await delay(100);
    return out;
  };
  return { child, ended, cleanupFile, line };
}

describe('the child-process registry', () => {
  it('kills every tracked child and group and runs the cleanups on a signal nobody handles, then dies by it', async () => {
    const helper = startHelper('unhandled');
    const pids = (await helper.line(/^\d+ \d+ \d+\n/)).trim().split(' ').map(Number);
    expect(pids.every(alive)).toBe(true);
    helper.child.kill('SIGTERM');
    expect(await helper.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await survivors(pids)).toEqual([]);
    expect(existsSync(helper.cleanupFile)).toBe(true);
  }, 60_000);

  it('leaves the children to an interruptible command that handles the signal, and kills them at its exit', async () => {
    const helper = startHelper('handled');
    const pids = (await helper.line(/^\d+ \d+ \d+\n/)).trim().split(' ').map(Number);
    helper.child.kill('SIGTERM');
    await helper.line(/handled/);
    expect(pids.filter(alive)).toEqual(pids);
    expect(existsSync(helper.cleanupFile)).toBe(false);
    helper.child.stdin!.write('exit now\n');
    expect(await helper.ended).toEqual({ code: 0, signal: null });
    expect(await survivors(pids)).toEqual([]);
    expect(existsSync(helper.cleanupFile)).toBe(true);
  }, 60_000);
});
