// The hooks of `@opencode-ai/plugin` 1.18.33 that OpenCode calls during a session's life, and for
// each one where the plugin host calls it, so a report can say why a registered hook was never
// called. `config`, `tool`, `auth`, `provider` and `dispose` are not session hooks.
import type { Hooks } from '@opencode-ai/plugin';

export type SessionHookName = Exclude<keyof Hooks, 'tool' | 'auth' | 'provider' | 'dispose' | 'config'>;

/** Where each hook is called; `needs` names the scenario share that must be above 0 for it to run. */
export const SESSION_HOOKS: Record<
  SessionHookName,
  { where: string; needs?: 'commandShare' | 'bashTools' | 'permissionShare' | 'compactionShare' | 'untitledShare' | 'toolCalls' }
> = {
  event: {
    where:
      'every bus event of the session (session.created, message.updated, message.part.updated, session.status, session.idle, session.compacted, session.error, session.deleted)',
  },
  'chat.message': { where: 'each user message, before it is stored' },
  'chat.params': { where: 'each model call (steps, titles, summaries)' },
  'chat.headers': { where: 'each model call, after chat.params' },
  'experimental.chat.system.transform': { where: 'each model call, before chat.params' },
  'experimental.chat.messages.transform': { where: 'each model step, with the whole history since the last compaction' },
  'experimental.text.complete': { where: 'each finished text part of a reply' },
  'tool.definition': { where: 'each tool offered to the model, at every step' },
  'tool.execute.before': { where: 'each tool call, before it runs', needs: 'toolCalls' },
  'tool.execute.after': { where: 'each tool call that ran', needs: 'toolCalls' },
  'permission.ask': {
    where: 'tool calls whose permission rule is "ask" (opencode serve 1.18.33 itself publishes permission.asked without calling it)',
    needs: 'permissionShare',
  },
  'command.execute.before': { where: 'turns that run a slash command', needs: 'commandShare' },
  'shell.env': { where: 'bash tool calls, before the shell starts', needs: 'bashTools' },
  'experimental.session.compacting': { where: 'each compaction, before the summary request', needs: 'compactionShare' },
  'experimental.compaction.autocontinue': {
    where: 'each automatic compaction (context overflow), before the synthetic "continue" turn',
    needs: 'compactionShare',
  },
  'experimental.provider.small_model': {
    where: 'the first title of an untitled session (once per server: the answer is cached)',
    needs: 'untitledShare',
  },
};

export const SESSION_HOOK_NAMES = Object.keys(SESSION_HOOKS) as SessionHookName[];

/** Keys of a plugin's Hooks object that are not called during a session's life. */
export const NON_SESSION_KEYS = new Set(['tool', 'auth', 'provider', 'dispose', 'config']);

/** Hook names a Hooks object registers (functions only), in the catalog's order, then unknown keys. */
export function registeredHooks(hooks: readonly Hooks[]): string[] {
  const seen = new Set<string>();
  for (const h of hooks) {
    if (!h || typeof h !== 'object') continue;
    for (const [key, value] of Object.entries(h)) {
      if (!NON_SESSION_KEYS.has(key) && typeof value === 'function') seen.add(key);
    }
  }
  const known = SESSION_HOOK_NAMES.filter((n) => seen.has(n));
  return [...known, ...[...seen].filter((n) => !(SESSION_HOOK_NAMES as string[]).includes(n)).sort()];
}
