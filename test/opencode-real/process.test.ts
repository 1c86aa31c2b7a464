// The server process wrapper, with a stand-in script for the binary: readiness from the
// "listening" line, clear errors when it exits or stays silent, and the guarantee that matters
// most: the server dies when the process that started it dies, even by SIGKILL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive, ServerStartError, spawnServer } from '../../harness/opencode-real/process.ts';
import { trackedGroups } from '../../harness/target/children.ts';

const FAKE = fileURLToPath(new URL('./fake-server.sh', import.meta.url));
const env = { PATH: process.env.PATH };

async function waitUntil(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('opencode serve process', () => {
  it('is ready at the "listening" line, reports the URL and the server\'s own pid, and stops', async () => {
    const server = await spawnServer({ binary: FAKE, args: ['ready'], cwd: process.cwd(), env });
    try {
      expect(server.url).toBe('http://127.0.0.1:4999');
      expect(server.pid).not.toBe(server.pgid);
      expect(alive(server.pid)).toBe(true);
      expect(trackedGroups()).toContain(server.pgid);
      expect(server.logTail()).toContain('listening');
      expect(server.logTail()).not.toContain('churnlab-server-pid');
    } finally {
      await server.stop('kill');
    }
    expect(alive(server.pid)).toBe(false);
    expect(trackedGroups()).not.toContain(server.pgid);
  });

  it('fails with "exited before it was ready" and the server\'s output when it exits early', async () => {
    const error = await spawnServer({ binary: FAKE, args: ['exit'], cwd: process.cwd(), env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as ServerStartError).failure).toMatchObject({ kind: 'exited', exit: { code: 3 } });
    expect((error as ServerStartError).logTail).toContain('ServeError: port busy');
  });

  it('fails with a timeout naming the missing line when the server never says it listens, and kills it', async () => {
    const error = await spawnServer({ binary: FAKE, args: ['silent'], cwd: process.cwd(), env, startTimeoutMs: 1500 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as ServerStartError).message).toContain('no "listening" line within 1500 ms');
    expect(trackedGroups()).toEqual([]);
  });

  it('dies when the process that started it dies without cleaning up (the watchdog)', async () => {
    // Stand-in for a harness that is SIGKILLed: the watchdog follows this pid instead of ours.
    const harness = spawn('sleep', ['60'], { stdio: 'ignore' });
    const server = await spawnServer({ binary: FAKE, args: ['ready'], cwd: process.cwd(), env, parentPid: harness.pid });
    expect(alive(server.pid)).toBe(true);
    harness.kill('SIGKILL');
    await waitUntil(() => !alive(server.pid), 'the server to die with its parent');
    await server.exited;
    expect(alive(server.pid)).toBe(false);
  });
});

describe("the harness's own exit and signals", () => {
  const CHILD = fileURLToPath(new URL('./start-server-child.ts', import.meta.url));

  it.each(['exit', 'SIGTERM', 'SIGINT'] as const)(
    'kill the server on %s (the watchdog is kept out of it)',
    async (how) => {
      const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
      try {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, FAKE, String(bystander.pid), how], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          child.once('exit', (code, signal) => resolve({ code, signal })),
        );
        let out = '';
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        await waitUntil(() => out.includes('\n'), 'the child to start the server', 30_000);
        const serverPid = Number(out.trim());
        expect(alive(serverPid)).toBe(true);
        if (how === 'exit') child.stdin!.write('exit now\n');
        else child.kill(how);
        const exit = await ended;
        // A signal still ends the process by that signal once the servers are gone.
        expect(exit).toEqual(how === 'exit' ? { code: 0, signal: null } : { code: null, signal: how });
        await waitUntil(() => !alive(serverPid), 'the server to die');
      } finally {
        bystander.kill('SIGKILL');
      }
    },
    60_000,
  );
});
