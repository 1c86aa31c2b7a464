// Delivers hooks and bus events to every loaded plugin's hooks, in load order, the way OpenCode's
// plugin runtime does: a hook that throws is counted and reported, never fatal for the session.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Hooks } from '@opencode-ai/plugin';
import type { Event } from '@opencode-ai/sdk';

export type HookName = Exclude<keyof Hooks, 'event' | 'tool' | 'auth' | 'provider' | 'dispose' | 'config'>;

/** The tool call a hook is serving, so the SDK client can tag requests made on its behalf. */
export const toolCallContext = new AsyncLocalStorage<string>();

export interface HookDispatcher {
  /** Call `name` on every plugin that has it, with the same input/output objects. */
  call(name: HookName, input: unknown, output: unknown): Promise<void>;
  event(event: Event): Promise<void>;
  dispose(): Promise<void>;
  /** Hook errors so far, by hook name. Counters only: nothing per session is kept. */
  errors: Record<string, number>;
}

export function createDispatcher(hooks: Hooks[], report: (where: string, error: unknown) => void): HookDispatcher {
  const errors: Record<string, number> = {};
  const fail = (where: string, error: unknown): void => {
    errors[where] = (errors[where] ?? 0) + 1;
    report(where, error);
  };
  const invoke = async (where: string, run: () => Promise<unknown> | unknown): Promise<void> => {
    try {
      await run();
    } catch (error) {
      fail(where, error);
    }
  };
  return {
    errors,
    async call(name, input, output) {
      for (const h of hooks) {
        const fn = h[name] as ((i: unknown, o: unknown) => Promise<void>) | undefined;
        if (fn) await invoke(name, () => fn.call(h, input, output));
      }
    },
    async event(event) {
      for (const h of hooks) {
        if (h.event) await invoke(`event:${event.type}`, () => h.event!({ event }));
      }
    },
    async dispose() {
      for (const h of hooks) {
        if (h.dispose) await invoke('dispose', () => h.dispose!());
      }
    },
  };
}
