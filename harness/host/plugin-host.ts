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

/** What the host holds between the harness's calls: the loaded plugin, its hooks and the session lives. */
interface PluginHostState {
  loaded: LoadedModule | undefined;
  hooks: Hooks[];
  dispatcher: HookDispatcher | undefined;
  life: SessionLife | undefined;
  client: ReturnType<typeof createOpencodeClient> | undefined;
  transport: HostTransport | undefined;
  shape: TurnShape;
  sendTransforms: boolean;
  readonly counters: LifeCounters;
  readonly openByHand: Map<string, LiveSession>;
  readonly bunUses: BunUses;
  /** Lives with a batch's mix share one SessionLife per mix (a handful), not one per session. */
  readonly lives: Map<string, SessionLife>;
}

function createPluginHost(): TargetHost {
  const s: PluginHostState = {
    loaded: undefined,
    hooks: [],
    dispatcher: undefined,
    life: undefined,
    client: undefined,
    transport: undefined,
    shape: DEFAULT_TURN,
    sendTransforms: true,
    counters: { sessions: 0, messages: 0, toolCalls: 0, cleanEnds: 0, uncleanEnds: 0, compactions: 0, smallModelAsks: 0 },
    openByHand: new Map<string, LiveSession>(),
    bunUses: new BunUses(),
    lives: new Map<string, SessionLife>(),
  };
  return {
    load: (ctx: HostLoadContext) => loadPlugin(s, ctx),
    methods: hostMethods(s),
    roots: () => pluginRoots(s),
    async dispose() {
      await s.dispatcher?.dispose();
      s.transport?.close();
    },
  };
}

function need(s: PluginHostState): SessionLife {
  if (!s.life) throw new Error('plugin host: the plugin is not loaded yet');
  return s.life;
}

function lifeFor(s: PluginHostState, mix: Partial<LifeMix> | undefined): SessionLife {
  const base = need(s);
  if (!mix) return base;
  const full: LifeMix = { ...NO_MIX, ...mix };
  const key = `${full.commandShare}/${full.permissionShare}/${full.compactionShare}/${full.untitledShare}`;
  let l = s.lives.get(key);
  if (!l) {
    l = new SessionLife(s.client!, s.dispatcher!, s.shape, s.counters, full, s.sendTransforms);
    s.lives.set(key, l);
  }
  return l;
}

async function liveSession(l: SessionLife, index: number, messages: number, clean: boolean): Promise<void> {
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
}

/** The SDK client the plugin gets; requests made inside a tool call carry its id. */
function pluginClient(opencodeUrl: string, directory: string): ReturnType<typeof createOpencodeClient> {
  return createOpencodeClient({
    baseUrl: opencodeUrl,
    directory,
    fetch: (request: Request) => {
      const callID = currentToolCall();
      if (callID) request.headers.set('x-churnlab-tool-call', callID);
      return fetch(request);
    },
  });
}

function pluginInput(s: PluginHostState, opencodeUrl: string, directory: string): PluginInput {
  return {
    client: s.client!,
    project: { id: 'global', worktree: directory, time: { created: Date.now() } },
    directory,
    worktree: directory,
    experimental_workspace: { register() {} },
    serverUrl: new URL(opencodeUrl),
    $: countedShell(s.bunUses),
  };
}

async function loadPlugin(s: PluginHostState, ctx: HostLoadContext) {
  const options = ctx.options as unknown as PluginHostOptions;
  if (typeof options.opencodeUrl !== 'string') {
    throw new Error('plugin host: options.opencodeUrl (the OpenCode server URL) is required');
  }
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'churnlab-project-'));
  s.client = pluginClient(options.opencodeUrl, directory);
  // OpenCode logs a rejection nobody handled and keeps serving (its CLI entry installs such a
  // handler); without one Node ends the process, and a plugin's stray rejection would be a crash here.
  process.on('unhandledRejection', (reason) => ctx.reportTargetError('unhandledRejection', reason));
  // Installed before the plugin loads, so module-level uses are counted too ('plugin load').
  if (!('Bun' in globalThis)) Object.defineProperty(globalThis, 'Bun', { value: bunGlobal(s.bunUses), configurable: true, writable: true });
  const loaded = await loadPluginModule(ctx.target);
  s.loaded = loaded;
  const input = pluginInput(s, options.opencodeUrl, directory);
  s.hooks = [];
  // A plugin that disabled itself may return nothing: it registered no hooks.
  for (const { plugin } of loaded.plugins) s.hooks.push(((await plugin(input, options.pluginOptions)) ?? {}) as Hooks);
  s.dispatcher = createDispatcher(s.hooks, ctx.reportTargetError);
  s.shape = { ...DEFAULT_TURN, ...options.turn };
  s.sendTransforms = options.opencodeMode !== 'real';
  // The plugin gets `client`; the host's own session-life requests take the cheaper transport.
  s.transport = createHostTransport({ baseUrl: options.opencodeUrl, directory, coalesce: options.opencodeMode !== 'real' });
  s.client = hostClient(s.client, s.transport);
  s.life = new SessionLife(s.client, s.dispatcher, s.shape, s.counters, NO_MIX, s.sendTransforms);
  return { plugins: loaded.plugins.map((p) => p.name), skippedExports: loaded.skipped, directory };
}

async function runSessions(s: PluginHostState, batch: ChurnBatch) {
  const { counters } = s;
  const before = { ...counters };
  const l = lifeFor(s, batch.mix);
  await pool(batch.count, batch.concurrency, (i) => {
    const index = batch.startIndex + i;
    return liveSession(l, index, batch.messagesPerSession, endsCleanly(index, batch.cleanEndShare));
  });
  return {
    sessions: counters.sessions - before.sessions,
    messages: counters.messages - before.messages,
    toolCalls: counters.toolCalls - before.toolCalls,
  };
}

function openSessionByHand(s: PluginHostState, id: string): LiveSession {
  const live = s.openByHand.get(id);
  if (!live) throw new Error(`plugin host: no open session ${id}`);
  return live;
}

function hostMethods(s: PluginHostState): TargetHost['methods'] {
  return {
    'sessions.run': (batch: ChurnBatch) => runSessions(s, batch),
    async 'session.open'(params: { title?: string }) {
      const live = await need(s).open(params.title ?? 'churnlab session', s.counters.sessions);
      s.openByHand.set(live.session.id, live);
      return { id: live.session.id };
    },
    async 'session.exchange'(params: { id: string; messages: number; from?: number }) {
      const live = openSessionByHand(s, params.id);
      for (let m = 0; m < params.messages; m += 1) await need(s).turn(live, (params.from ?? 0) + m);
      return { messages: params.messages * 2 };
    },
    async 'session.end'(params: { id: string; clean: boolean }) {
      const live = openSessionByHand(s, params.id);
      s.openByHand.delete(params.id);
      if (params.clean) await need(s).endCleanly(live);
      else need(s).endUncleanly(live);
      return {};
    },
    stats() {
      return { ...s.counters, hookErrors: { ...(s.dispatcher?.errors ?? {}) } };
    },
    /** What the run exercised: hooks registered, calls and errors per hook, Bun APIs used. */
    coverage() {
      return {
        registered: [...(s.dispatcher?.registered ?? [])],
        calls: { ...(s.dispatcher?.calls ?? {}) },
        errors: { ...(s.dispatcher?.errors ?? {}) },
        bun: s.bunUses.list(),
      };
    },
  };
}

/**
 * Each plugin's hooks object under its export name: the census walks object properties (not
 * array elements) into the hooks' closures, where per-plugin state like `const notes = new Map()`
 * inside the plugin function lives.
 */
function pluginRoots(s: PluginHostState): Record<string, unknown> {
  const roots: Record<string, unknown> = { target: s.loaded?.namespace };
  s.loaded?.plugins.forEach((p, i) => {
    roots[`hooks of ${p.name}`] = s.hooks[i];
  });
  return roots;
}

export default createPluginHost();
