// Loads one plugin as the plugin host does and prints, as one JSON line, the hooks each of its
// plugin functions registered (or why it could not load). Run in its own process by the field
// runner, with the plugin's HOME and environment: a report needs what was registered, and a
// plugin that disabled itself at load registers nothing.
import { createOpencodeClient } from '@opencode-ai/sdk';
import type { PluginInput } from '@opencode-ai/plugin';
import { createMockOpenCode } from '../opencode/index.ts';
import { loadPluginModule } from '../host/load-plugin.ts';
import { SESSION_HOOK_NAMES } from '../host/hook-catalog.ts';

const SESSION_HOOK_SET: ReadonlySet<string> = new Set(SESSION_HOOK_NAMES);

export interface ProbeResult {
  plugins: Array<{ name: string; hooks: string[]; tools: string[] }>;
  skippedExports: string[];
  error?: string;
}

export async function probe(target: string, directory: string): Promise<ProbeResult> {
  const mock = createMockOpenCode({ seed: 1, directory });
  const server = await mock.listen({ port: 0, host: '127.0.0.1' });
  try {
    const loaded = await loadPluginModule(target);
    const input = {
      client: createOpencodeClient({ baseUrl: server.url, directory }),
      project: { id: 'global', worktree: directory, time: { created: Date.now() } },
      directory,
      worktree: directory,
      experimental_workspace: { register() {} },
      serverUrl: new URL(server.url),
      $: undefined,
    } as unknown as PluginInput;
    const plugins: ProbeResult['plugins'] = [];
    for (const { name, plugin } of loaded.plugins) {
      const hooks = ((await plugin(input, {})) ?? {}) as Record<string, unknown>;
      plugins.push({
        name,
        // A helper export called as a plugin returns whatever it returns: only hook names count.
        hooks: Object.keys(hooks)
          .filter((k) => SESSION_HOOK_SET.has(k))
          .sort(),
        tools: Object.keys((hooks.tool as Record<string, unknown> | undefined) ?? {}).sort(),
      });
    }
    return { plugins, skippedExports: loaded.skipped };
  } finally {
    await server.close();
  }
}

const [target, directory] = process.argv.slice(2);
if (target && directory) {
  const result = await probe(target, directory).catch((e: unknown): ProbeResult => ({
    plugins: [],
    skippedExports: [],
    error: e instanceof Error ? e.message : String(e),
  }));
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
  // Plugins keep servers and timers open: the probe is done once it has printed.
  process.exit(0);
}
