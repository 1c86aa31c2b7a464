// Delivers hooks and bus events to every loaded plugin's hooks, in load order, the way OpenCode's
// plugin runtime does: a hook that throws is counted and reported, never fatal for the session.
// It counts calls and errors per hook name (counters only: nothing per session is kept), and runs
// each call in a hook scope, so Bun APIs a plugin touches are attributed to the hook.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Hooks } from '@opencode-ai/plugin';
import type { Event } from '@opencode-ai/sdk';
import { registeredHooks, type SessionHookName } from './hook-catalog.ts';

export type HookName = Exclude<SessionHookName, 'event'>;

/**
 * Where plugin code runs: the hook it serves, and the tool call (tool.execute.after), so the SDK
 * client can tag requests made on its behalf. One storage for both: every enabled
 * AsyncLocalStorage costs every promise the target creates (~15 % of the host's CPU per storage).
 */
interface HookScope {
  readonly hook: string;
  readonly toolCallID?: string;
}

const scope = new AsyncLocalStorage<HookScope>();
/** Scopes outside any tool call, one per hook name: no allocation per call. */
const plainScopes = new Map<string, HookScope>();

/** The hook being served; undefined outside any hook (the plugin's load). */
export const currentHook = (): string | undefined => scope.getStore()?.hook;

/** The tool call being served, if any. */
export const currentToolCall = (): string | undefined => scope.getStore()?.toolCallID;

/** Runs `fn` as serving tool call `callID`: hooks called inside keep it. */
export function inToolCall<T>(callID: string, fn: () => T): T {
  return scope.run({ hook: currentHook() ?? 'tool', toolCallID: callID }, fn);
}

function scopeOf(hook: string): HookScope {
  const toolCallID = currentToolCall();
  if (toolCallID !== undefined) return { hook, toolCallID };
  let plain = plainScopes.get(hook);
  if (!plain) plainScopes.set(hook, (plain = { hook }));
  return plain;
}

export interface HookDispatcher {
  /** Call `name` on every plugin that has it, with the same input/output objects. */
  call(name: HookName, input: unknown, output: unknown): Promise<void>;
  event(event: Event): Promise<void>;
  dispose(): Promise<void>;
  /** Whether any loaded plugin registered `name` (lets the host skip building unused payloads). */
  has(name: SessionHookName): boolean;
  /** Hook errors so far, by where they happened ("chat.params", "event:session.idle"). */
  errors: Record<string, number>;
  /** Calls so far per hook name (one per plugin function called). */
  calls: Record<string, number>;
  /** Hook names the plugins registered. */
  registered: string[];
}

export function createDispatcher(hooks: Hooks[], report: (where: string, error: unknown) => void): HookDispatcher {
  const errors: Record<string, number> = {};
  const calls: Record<string, number> = {};
  const registered = registeredHooks(hooks);
  const present = new Set(registered);
  const fail = (where: string, error: unknown): void => {
    errors[where] = (errors[where] ?? 0) + 1;
    report(where, error);
  };
  const invoke = async (name: string, where: string, run: () => Promise<unknown> | unknown): Promise<void> => {
    calls[name] = (calls[name] ?? 0) + 1;
    try {
      await scope.run(scopeOf(name), run);
    } catch (error) {
      fail(where, error);
    }
  };
  return {
    errors,
    calls,
    registered,
    has: (name) => present.has(name),
    async call(name, input, output) {
      if (!present.has(name)) return;
      for (const h of hooks) {
        const fn = h[name] as ((i: unknown, o: unknown) => Promise<void>) | undefined;
        if (typeof fn === 'function') await invoke(name, name, () => fn.call(h, input, output));
      }
    },
    async event(event) {
      if (!present.has('event')) return;
      for (const h of hooks) {
        if (typeof h.event === 'function') await invoke('event', `event:${event.type}`, () => h.event!({ event }));
      }
    },
    async dispose() {
      for (const h of hooks) {
        if (typeof h.dispose === 'function') await invoke('dispose', 'dispose', () => h.dispose!());
      }
    },
  };
}
