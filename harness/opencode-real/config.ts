// The environment `opencode serve` runs in, offline and isolated (docs/real-opencode.md): its own
// HOME and XDG dirs under the run directory, the seven OPENCODE_DISABLE_* flags, a pre-seeded
// config dir (without it every fresh start runs a background npm install of @opencode-ai/plugin:
// ~94 MB on disk, ~120 MB of RSS), and one provider, the fake LLM, under the bare package name (a
// versioned spec installs at run time and then loops on the LLM forever).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENCODE_VERSION } from './version.ts';

export const FAKE_PROVIDER_ID = 'fake';
export const FAKE_MODEL_ID = 'fake-1';

export const DISABLE_FLAGS = {
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_SHARE: '1',
  OPENCODE_DISABLE_CLAUDE_CODE: '1',
  OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
} as const;

export interface IsolatedDirs {
  home: string;
  config: string;
  data: string;
  cache: string;
  state: string;
  /** The project directory the server runs in (its cwd). */
  project: string;
}

/** The dirs under `root`; `dataDir` replaces the data dir (a restart that keeps state reuses it). */
export function isolatedDirs(root: string, dataDir = join(root, 'data')): IsolatedDirs {
  return {
    home: join(root, 'home'),
    config: join(root, 'config'),
    data: dataDir,
    cache: join(root, 'cache'),
    state: join(root, 'state'),
    project: join(root, 'project'),
  };
}

/** What a recording may change in opencode.json besides adding top-level keys. */
export interface ServerConfigOptions {
  /** Extra top-level keys (plugins, commands, permissions); they cannot replace the provider or model. */
  extra?: Record<string, unknown>;
  /** Leave `small_model` unset, so the server asks plugins for one (`experimental.provider.small_model`). */
  noSmallModel?: boolean;
  /** The fake model's token limits (a small context makes the server compact by itself). */
  limit?: { context: number; output: number };
}

/** opencode.json: the fake provider only, nothing that reaches out. */
export function serverConfig(llmBaseUrl: string, opts: ServerConfigOptions = {}): Record<string, unknown> {
  const model = `${FAKE_PROVIDER_ID}/${FAKE_MODEL_ID}`;
  return {
    ...opts.extra,
    $schema: 'https://opencode.ai/config.json',
    model,
    ...(opts.noSmallModel ? {} : { small_model: model }),
    enabled_providers: [FAKE_PROVIDER_ID],
    provider: {
      [FAKE_PROVIDER_ID]: {
        npm: '@ai-sdk/openai-compatible',
        name: 'churnlab fake LLM',
        options: { baseURL: `${llmBaseUrl}/v1`, apiKey: 'x' },
        models: { [FAKE_MODEL_ID]: { name: 'fake', limit: opts.limit ?? { context: 1_000_000, output: 8192 } } },
      },
    },
    autoupdate: false,
    share: 'disabled',
    snapshot: false,
    lsp: false,
    formatter: false,
  };
}

/** Create the dirs and write the config files; returns the environment for the server. */
export function prepareServerDirs(dirs: IsolatedDirs, llmBaseUrl: string, config: ServerConfigOptions = {}): NodeJS.ProcessEnv {
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const opencodeConfig = join(dirs.config, 'opencode');
  mkdirSync(join(opencodeConfig, 'node_modules'), { recursive: true });
  const deps = { '@opencode-ai/plugin': OPENCODE_VERSION };
  writeFileSync(join(opencodeConfig, 'package.json'), JSON.stringify({ dependencies: deps }));
  writeFileSync(
    join(opencodeConfig, 'package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: deps } } }),
  );
  writeFileSync(join(opencodeConfig, 'opencode.json'), JSON.stringify(serverConfig(llmBaseUrl, config), null, 2));
  return serverEnv(dirs);
}

/** Only what the server needs from our environment (PATH, locale), then the isolation. */
export function serverEnv(dirs: IsolatedDirs, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];
  const env: NodeJS.ProcessEnv = {};
  for (const name of keep) if (base[name] !== undefined) env[name] = base[name];
  return {
    ...env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    ...DISABLE_FLAGS,
    // Never a proxy: every request of the server stays on 127.0.0.1.
    NO_PROXY: '127.0.0.1,localhost',
  };
}
