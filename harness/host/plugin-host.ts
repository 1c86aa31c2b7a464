// The 'plugin' target host: runs inside the target process, loads an OpenCode plugin as OpenCode
// does, hands it a real PluginInput (the real SDK client pointed at the OpenCode in use), and
// plays sessions through it on the harness's command. It keeps counters, and per session only the
// history of a session while it lives (the transforms get it), dropped at its end, clean or not,
// so a control plugin stays flat.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpencodeClient } from '@opencode-ai/sdk';
import type { Hooks, PluginInput } from '@opencode-ai/plugin';
import type { HostLoadContext, TargetHost } from '../wire/protocol.ts';
import { createDispatcher, currentToolCall, type HookDispatcher } from './hooks.ts';
import { createHostTransport, hostClient, type HostTransport } from './host-client.ts';
import { loadPluginModule, type LoadedModule } from './load-plugin.ts';
import { NO_MIX, SessionLife, type LifeCounters, type LifeMix, type LiveSession, type TurnShape } from './session-life.ts';
import { BunUses, bunGlobal, countedShell } from './bun.ts';

export interface PluginHostOptions {
  /** Base URL of the OpenCode server (mock or real). */
  opencodeUrl: string;
  /** Project directory handed to the plugin; a fresh temp dir when absent. */
  directory?: string;
  /** Options passed as the plugin's second argument, as OpenCode does for `[name, options]`. */
  pluginOptions?: Record<string, unknown>;
  turn?: Partial<TurnShape>;
  /** 'real': transforms are not sent with the prompt (the real server's model never sees them). */
  opencodeMode?: 'mock' | 'real';
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
  /** Shares of slash commands, permission asks and compactions (none when absent). */
  mix?: Partial<LifeMix>;
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
  let client: ReturnType<typeof createOpencodeClient> | undefined;
  let transport: HostTransport | undefined;
  let shape: TurnShape = DEFAULT_TURN;
  let sendTransforms = true;
  const counters: LifeCounters = { sessions: 0, messages: 0, toolCalls: 0, cleanEnds: 0, uncleanEnds: 0, compactions: 0, smallModelAsks: 0 };
  const openByHand = new Map<string, LiveSession>();
  const bunUses = new BunUses();
  // Lives with a batch's mix share one SessionLife per mix (a handful), not one per session.
  const lives = new Map<string, SessionLife>();

  const need = (): SessionLife => {
    if (!life) throw new Error('plugin host: the plugin is not loaded yet');
    return life;
  };

  const lifeFor = (mix: Partial<LifeMix> | undefined): SessionLife => {
    const base = need();
    if (!mix) return base;
    const full: LifeMix = { ...NO_MIX, ...mix };
    const key = `${full.commandShare}/${full.permissionShare}/${full.compactionShare}/${full.untitledShare}`;
    let l = lives.get(key);
    if (!l) {
      l = new SessionLife(client!, dispatcher!, shape, counters, full, sendTransforms);
      lives.set(key, l);
    }
    return l;
  };

  const liveSession = async (l: SessionLife, index: number, messages: number, clean: boolean): Promise<void> => {
    const live = await l.open(`churnlab session ${index}`, index);
    try {
      for (let m = 0; m < messages; m += 1) await l.turn(live, m, m === messages - 1);
    } catch (error) {
      // A failed turn ends the session the way a crashed client does: the history goes with it.
      l.endUncleanly(live);
      throw error;
    }
    if (clean) await l.endCleanly(live);
    else l.endUncleanly(live);
  };

  return {
    async load(ctx: HostLoadContext) {
      const options = ctx.options as unknown as PluginHostOptions;
      if (typeof options.opencodeUrl !== 'string') {
        throw new Error('plugin host: options.opencodeUrl (the OpenCode server URL) is required');
      }
      const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'churnlab-project-'));
      client = createOpencodeClient({
        baseUrl: options.opencodeUrl,
        directory,
        fetch: (request: Request) => {
          const callID = currentToolCall();
          if (callID) request.headers.set('x-churnlab-tool-call', callID);
          return fetch(request);
        },
      });
      // OpenCode logs a rejection nobody handled and keeps serving (its CLI entry installs such a
      // handler); without one Node ends the process, and a plugin's stray rejection would be a crash here.
      process.on('unhandledRejection', (reason) => ctx.reportTargetError('unhandledRejection', reason));
      // Installed before the plugin loads, so module-level uses are counted too ('plugin load').
      if (!('Bun' in globalThis)) Object.defineProperty(globalThis, 'Bun', { value: bunGlobal(bunUses), configurable: true, writable: true });
      loaded = await loadPluginModule(ctx.target);
      const input: PluginInput = {
        client,
        project: { id: 'global', worktree: directory, time: { created: Date.now() } },
        directory,
        worktree: directory,
        experimental_workspace: { register() {} },
        serverUrl: new URL(options.opencodeUrl),
        $: countedShell(bunUses),
      };
      hooks = [];
      // A plugin that disabled itself may return nothing: it registered no hooks.
      for (const { plugin } of loaded.plugins) hooks.push(((await plugin(input, options.pluginOptions)) ?? {}) as Hooks);
      dispatcher = createDispatcher(hooks, ctx.reportTargetError);
      shape = { ...DEFAULT_TURN, ...options.turn };
      sendTransforms = options.opencodeMode !== 'real';
      // The plugin gets `client`; the host's own session-life requests take the cheaper transport.
      transport = createHostTransport({ baseUrl: options.opencodeUrl, directory, coalesce: options.opencodeMode !== 'real' });
      client = hostClient(client, transport);
      life = new SessionLife(client, dispatcher, shape, counters, NO_MIX, sendTransforms);
      return { plugins: loaded.plugins.map((p) => p.name), skippedExports: loaded.skipped, directory };
    },

    methods: {
      async 'sessions.run'(batch: ChurnBatch) {
        const before = { ...counters };
        const l = lifeFor(batch.mix);
        await pool(batch.count, batch.concurrency, (i) => {
          const index = batch.startIndex + i;
          return liveSession(l, index, batch.messagesPerSession, endsCleanly(index, batch.cleanEndShare));
        });
        return {
          sessions: counters.sessions - before.sessions,
          messages: counters.messages - before.messages,
          toolCalls: counters.toolCalls - before.toolCalls,
        };
      },
      async 'session.open'(params: { title?: string }) {
        const live = await need().open(params.title ?? 'churnlab session', counters.sessions);
        openByHand.set(live.session.id, live);
        return { id: live.session.id };
      },
      async 'session.exchange'(params: { id: string; messages: number; from?: number }) {
        const live = openByHand.get(params.id);
        if (!live) throw new Error(`plugin host: no open session ${params.id}`);
        for (let m = 0; m < params.messages; m += 1) await need().turn(live, (params.from ?? 0) + m);
        return { messages: params.messages * 2 };
      },
      async 'session.end'(params: { id: string; clean: boolean }) {
        const live = openByHand.get(params.id);
        if (!live) throw new Error(`plugin host: no open session ${params.id}`);
        openByHand.delete(params.id);
        if (params.clean) await need().endCleanly(live);
        else need().endUncleanly(live);
        return {};
      },
      stats() {
        return { ...counters, hookErrors: { ...(dispatcher?.errors ?? {}) } };
      },
      /** What the run exercised: hooks registered, calls and errors per hook, Bun APIs used. */
      coverage() {
        return {
          registered: [...(dispatcher?.registered ?? [])],
          calls: { ...(dispatcher?.calls ?? {}) },
          errors: { ...(dispatcher?.errors ?? {}) },
          bun: bunUses.list(),
        };
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
