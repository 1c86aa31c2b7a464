// OpenCode hands plugins Bun's `$`. A Node host has no Bun shell, and silently running commands
// during a leak test would be worse than failing: any use throws a message that says so.
import type { PluginInput } from '@opencode-ai/plugin';

export function unavailableShell(): PluginInput['$'] {
  const fail = (): never => {
    throw new Error(
      "churnlab's plugin host has no Bun shell: this plugin used `$` (PluginInput.$). " +
        'Run it under churnlab without shell calls, or guard them behind an option.',
    );
  };
  return new Proxy(fail, { get: fail, apply: fail }) as unknown as PluginInput['$'];
}
