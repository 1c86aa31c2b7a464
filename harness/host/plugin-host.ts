// The 'plugin' target host: runs inside the target process, loads an OpenCode plugin as OpenCode
// does, hands it a real PluginInput (the real SDK client pointed at the OpenCode in use), and
// plays sessions through it on the harness's command. It keeps counters, never per-session state
// (except sessions a scenario opened by hand and has not ended yet), so a control plugin stays flat.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpencodeClient, type Session } from '@opencode-ai/sdk';
import type { Hooks, PluginInput } from '@opencode-ai/plugin';
import type { HostLoadContext, TargetHost } from '../target/protocol.ts';
import { createDispatcher, toolCallContext, type HookDispatcher } from './hooks.ts';
import { createHostTransport, hostClient, type HostTransport } from './host-client.ts';
import { loadPluginModule, type LoadedModule } from './load-plugin.ts';
import { SessionLife, type LifeCounters, type TurnShape } from './session-life.ts';
import { unavailableShell } from './shell.ts';

export interface PluginHostOptions {
  /** Base URL of the OpenCode server (mock or real). */
  opencodeUrl: string;
  /** Project directory handed to the plugin; a fresh temp dir when absent. */
  directory?: string;
  /** Options passed as the plugin's second argument, as OpenCode does for `[name, options]`. */
  pluginOptions?: Record<string, unknown>;
  turn?: Partial<TurnShape>;
}

/** A batch of whole session lives, run by one IPC call. */
export interface ChurnBatch {
  /** Global index of the first session (for deterministic titles and end choices). */
  startIndex: number;
  count: number;
  messagesPerSession: number;
  /** Share of sessions that end cleanly (session.deleted); the rest vanish. */
  cleanEndShare: number;
  /** Sessions in flight at once. */
  concurrency: number;
}

// The model the mock (and the real server's fake provider) knows: another one is a 500 on both.
const DEFAULT_TURN: TurnShape = { userTextBytes: 400, agent: 'build', providerID: 'fake', modelID: 'fake-1' };

/** Deterministic spread of clean ends over session indices (a multiplicative hash, not a PRNG). */
export function endsCleanly(index: number, cleanShare: number): boolean {
  if (cleanShare <= 0) return false;
  if (cleanShare >= 1) return true;
  return ((Math.imul(index + 1, 2654435761) >>> 0) % 10_000) / 10_000 < cleanShare;
}

async function pool(count: number, concurrency: number, run: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      await run(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}

function createPluginHost(): TargetHost {
  let loaded: LoadedModule | undefined;
  let hooks: Hooks[] = [];
  let dispatcher: HookDispatcher | undefined;
  let life: SessionLife | undefined;
  let transport: HostTransport | undefined;
  const counters: LifeCounters = { sessions: 0, messages: 0, toolCalls: 0, cleanEnds: 0, uncleanEnds: 0 };
  const openByHand = new Map<string, Session>();

  const need = (): SessionLife => {
    if (!life) throw new Error('plugin host: the plugin is not loaded yet');
    return life;
  };

  const liveSession = async (index: number, messages: number, clean: boolean): Promise<void> => {
    const l = need();
    const session = await l.open(`churnlab session ${index}`);
    for (let m = 0; m < messages; m += 1) await l.turn(session, m);
    if (clean) await l.endCleanly(session);
    else l.endUncleanly();
  };

  return {
    async load(ctx: HostLoadContext) {
      const options = ctx.options as unknown as PluginHostOptions;
      if (typeof options.opencodeUrl !== 'string') {
        throw new Error('plugin host: options.opencodeUrl (the OpenCode server URL) is required');
      }
      const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'churnlab-project-'));
      const client = createOpencodeClient({
        baseUrl: options.opencodeUrl,
        directory,
        fetch: (request: Request) => {
          const callID = toolCallContext.getStore();
          if (callID) request.headers.set('x-churnlab-tool-call', callID);
          return fetch(request);
        },
      });
      loaded = await loadPluginModule(ctx.target);
      const input: PluginInput = {
        client,
        project: { id: 'global', worktree: directory, time: { created: Date.now() } },
        directory,
        worktree: directory,
        experimental_workspace: { register() {} },
        serverUrl: new URL(options.opencodeUrl),
        $: unavailableShell(),
      };
      hooks = [];
      for (const { plugin } of loaded.plugins) hooks.push(await plugin(input, options.pluginOptions));
      dispatcher = createDispatcher(hooks, ctx.reportTargetError);
      // The plugin gets `client`; the host's own session-life requests take the cheaper transport.
      transport = createHostTransport({ baseUrl: options.opencodeUrl, directory });
      life = new SessionLife(hostClient(client, transport), dispatcher, { ...DEFAULT_TURN, ...options.turn }, counters);
      return { plugins: loaded.plugins.map((p) => p.name), skippedExports: loaded.skipped, directory };
    },

    methods: {
      async 'sessions.run'(batch: ChurnBatch) {
        const before = { ...counters };
        await pool(batch.count, batch.concurrency, (i) => {
          const index = batch.startIndex + i;
          return liveSession(index, batch.messagesPerSession, endsCleanly(index, batch.cleanEndShare));
        });
        return {
          sessions: counters.sessions - before.sessions,
          messages: counters.messages - before.messages,
          toolCalls: counters.toolCalls - before.toolCalls,
        };
      },
      async 'session.open'(params: { title?: string }) {
        const session = await need().open(params.title ?? 'churnlab session');
        openByHand.set(session.id, session);
        return { id: session.id };
      },
      async 'session.exchange'(params: { id: string; messages: number; from?: number }) {
        const session = openByHand.get(params.id);
        if (!session) throw new Error(`plugin host: no open session ${params.id}`);
        for (let m = 0; m < params.messages; m += 1) await need().turn(session, (params.from ?? 0) + m);
        return { messages: params.messages * 2 };
      },
      async 'session.end'(params: { id: string; clean: boolean }) {
        const session = openByHand.get(params.id);
        if (!session) throw new Error(`plugin host: no open session ${params.id}`);
        openByHand.delete(params.id);
        if (params.clean) await need().endCleanly(session);
        else need().endUncleanly();
        return {};
      },
      stats() {
        return { ...counters, hookErrors: { ...(dispatcher?.errors ?? {}) } };
      },
    },

    roots() {
      // Each plugin's hooks object under its export name: the census walks object properties
      // (not array elements) into the hooks' closures, where per-plugin state like
      // `const notes = new Map()` inside the plugin function lives.
      const roots: Record<string, unknown> = { target: loaded?.namespace };
      loaded?.plugins.forEach((p, i) => {
        roots[`hooks of ${p.name}`] = hooks[i];
      });
      return roots;
    },

    async dispose() {
      await dispatcher?.dispose();
      transport?.close();
    },
  };
}

export default createPluginHost();
