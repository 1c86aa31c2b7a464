// The real `opencode serve` as an OpenCodeBackend (harness/opencode/backend.ts): the server runs
// offline in isolated dirs, its model is the mock's fake LLM (a mock instance on loopback: its
// /v1/chat/completions routes ARE the LLM, and `llm` records what the model was sent), and a
// proxy in front keeps `url` stable across restarts and applies faults.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenCodeBackend } from '../opencode/backend.ts';
import { createMockOpenCode, type MockOpenCodeOptions } from '../opencode/index.ts';
import { REAL_DEFAULTS } from '../core/defaults.ts';
import { isolatedDirs, prepareServerDirs, type IsolatedDirs, type ServerConfigOptions } from './config.ts';
import { ensureOpencodeInstalled, findOpencodeBinary, INSTALL_COMMAND } from './install.ts';
import { freePort, ServerStartError, spawnServer, type ServerProcess } from './process.ts';
import { startProxy, type ProxyStats } from './proxy.ts';

/** The binary is not there (and installing it was not asked for, or failed). Exit code 3. */
export class OpenCodeNotInstalledError extends Error {
  constructor(reason: string) {
    super(`${reason}. Install it once with:\n  ${INSTALL_COMMAND}`);
  }
}

export interface RealBackendOptions {
  /** Where HOME, XDG_* and the project dir go (default: a new temp dir, removed on close). */
  runDir?: string;
  /** Keep runDir on close (default: remove what we created: the SQLite db can be hundreds of MB). */
  keepDirs?: boolean;
  /** The opencode binary (default: the one in the cache dir). */
  binary?: string;
  /** Install into the cache dir when the binary is missing (default false: fail with the command). */
  install?: boolean;
  /** Progress lines (installing, starting). */
  log?: (line: string) => void;
  /** The fake LLM's mock: seed and reply shape. */
  llm?: Pick<MockOpenCodeOptions, 'seed' | 'llm'>;
  startTimeoutMs?: number;
  promptTimeoutMs?: number;
  /** Changes to the server's opencode.json (plugins, commands, permissions, model limits). */
  config?: ServerConfigOptions;
}

export interface RealOpenCodeBackend extends OpenCodeBackend {
  readonly mode: 'real';
  readonly mock: undefined;
  /** The server's own URL (changes on restart); `url` is the proxy's. */
  readonly serverUrl: string;
  /** Spawn to "listening" of the last start. */
  readonly startMs: number;
  readonly dirs: IsolatedDirs;
  readonly proxyStats: Readonly<ProxyStats>;
  /** Last lines of the server's output. */
  logTail(): string;
}

async function resolveBinary(opts: RealBackendOptions): Promise<string> {
  if (opts.binary !== undefined) return opts.binary;
  const found = findOpencodeBinary();
  if (found.found) return found.path;
  if (!opts.install) throw new OpenCodeNotInstalledError(found.reason);
  const installed = await ensureOpencodeInstalled({ log: opts.log });
  if (!installed.ok) throw new OpenCodeNotInstalledError(installed.reason);
  return installed.path;
}

export async function startRealBackend(opts: RealBackendOptions = {}): Promise<RealOpenCodeBackend> {
  const binary = await resolveBinary(opts);
  const root = opts.runDir ?? mkdtempSync(join(tmpdir(), 'churnlab-opencode-'));
  const llmMock = createMockOpenCode({ seed: opts.llm?.seed ?? 1, ...(opts.llm?.llm ? { llm: opts.llm.llm } : {}) });
  const llm = await llmMock.listen({ port: 0, host: '127.0.0.1' });
  const proxy = await startProxy({ faults: llmMock.faults, promptTimeoutMs: opts.promptTimeoutMs, upstreamWaitMs: opts.startTimeoutMs });
  let generation = 0;
  let dirs = isolatedDirs(root);
  let server: ServerProcess | undefined;

  const start = async () => {
    const env = prepareServerDirs(dirs, llm.url, opts.config);
    opts.log?.(`churnlab: starting opencode serve (${binary})`);
    const spawnOnce = async () =>
      spawnServer({
        binary,
        args: ['serve', '--hostname', '127.0.0.1', '--port', String(await freePort())],
        cwd: dirs.project,
        env,
        startTimeoutMs: opts.startTimeoutMs ?? REAL_DEFAULTS.startTimeoutMs,
      });
    try {
      server = await spawnOnce();
    } catch (e) {
      // Another process took the port between our probe and the server's bind: once more.
      if (!(e instanceof ServerStartError && e.failure.kind === 'exited')) throw e;
      server = await spawnOnce();
    }
    proxy.setUpstream(server.url);
  };
  const cleanup = async () => {
    await server?.stop('graceful');
    await proxy.close();
    await llm.close();
    // CHURNLAB_KEEP_OPENCODE_DIRS=1 keeps them for a post-mortem (server logs: data/opencode/log/).
    if (!opts.keepDirs && process.env.CHURNLAB_KEEP_OPENCODE_DIRS !== '1') rmSync(root, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }

  return {
    mode: 'real',
    url: proxy.url,
    llm: llmMock.llm,
    faults: llmMock.faults,
    mock: undefined,
    get pid() {
      return server?.pid;
    },
    get serverUrl() {
      return server?.url ?? '';
    },
    get startMs() {
      return server?.startMs ?? 0;
    },
    get dirs() {
      return dirs;
    },
    proxyStats: proxy.stats,
    logTail: () => server?.logTail() ?? '',
    async restart({ keepState }) {
      proxy.setUpstream(undefined);
      // A crash, not a shutdown: SQLite keeps what was committed, in-flight work is lost.
      await server?.stop('kill');
      if (!keepState) {
        const old = dirs.data;
        generation += 1;
        dirs = isolatedDirs(root, join(root, `data-${generation}`));
        rmSync(old, { recursive: true, force: true });
      }
      await start();
    },
    close: cleanup,
  };
}
