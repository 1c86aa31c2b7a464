// Hook names, for reading what a plugin registered.

/** The hooks a session calls (the `Hooks` type of @opencode-ai/plugin 1.18.33, less config, tool, auth, provider, dispose). */
export const SESSION_HOOKS = new Set([
  'event',
  'chat.message',
  'chat.params',
  'chat.headers',
  'permission.ask',
  'command.execute.before',
  'tool.execute.before',
  'shell.env',
  'tool.execute.after',
  'experimental.chat.messages.transform',
  'experimental.chat.system.transform',
  'experimental.provider.small_model',
  'experimental.session.compacting',
  'experimental.compaction.autocontinue',
  'experimental.text.complete',
  'tool.definition',
]);
