// The field corpus: OpenCode plugins published on npm, pinned, one of each kind churnlab's users
// write. Each entry says what it does, which hooks matter, and the config or environment it needs
// to run in a meaningful mode (not disabled at load). `npm run field` installs them once into the
// churnlab cache (never into the project's node_modules) and runs the scenarios on each.

export type PluginKind =
  'context pruning' | 'memory' | 'time tracking' | 'orchestration' | 'auth' | 'prompt history' | 'guard' | 'tooling' | 'feature tracking';

export interface FieldPlugin {
  /** npm package name. */
  name: string;
  /** Exact version: the corpus is reproducible. */
  version: string;
  kind: PluginKind;
  /** One line: what it does and where its per-session state would live. */
  about: string;
  /** Environment the plugin reads, with why (values are the harness's, never real secrets). */
  env?: Record<string, { value: string; why: string }>;
  /** Files written under the plugin's own HOME before the run (config the plugin reads). */
  homeFiles?: Record<string, { content: string; why: string }>;
  /** It reads session histories (messages, transforms): also run leak-message-refetch. */
  readsHistory: boolean;
  /** A larger run than the corpus default where a verdict needs one, with why. */
  size?: { sessions?: number; runCapMs?: number; why: string };
}

/** The loopback port nothing listens on: a plugin's remote API fails fast, as in an outage. */
const DEAD_API = 'http://127.0.0.1:9';

export const FIELD_PLUGINS: FieldPlugin[] = [
  {
    name: '@tarquinen/opencode-dcp',
    version: '3.1.14',
    kind: 'context pruning',
    about:
      'Dynamic context pruning: dedupes and purges obsolete tool outputs in experimental.chat.messages.transform; keeps per-session prune state.',
    // Enabled by default with no config file (it writes its default ~/.config/opencode/dcp.jsonc).
    readsHistory: true,
  },
  {
    name: 'opencode-supermemory',
    version: '2.0.10',
    kind: 'memory',
    about: 'Persistent memory: injects memories on chat.message and saves them through the Supermemory API.',
    env: {
      // Without a key it registers no hooks (disabled at load); with one it runs every hook.
      SUPERMEMORY_API_KEY: { value: 'sm_churnlab_field', why: 'without a key the plugin disables itself at load' },
      // The API is unreachable on purpose: calls fail fast on loopback, the hooks' own state still churns.
      SUPERMEMORY_API_URL: { value: DEAD_API, why: 'no network here: the API fails fast, as in an outage' },
      SUPERMEMORY_BASE_URL: { value: DEAD_API, why: 'the same, for the client the plugin builds' },
    },
    readsHistory: false,
    size: {
      runCapMs: 16 * 60_000,
      why: "about 8 sessions/s here: its per-session Set passes the scenario's 2000-entry cap after ~1700 churn sessions, but its heap (near the 64 B floor) is still undecided then, so the run goes on to the nominal 5000 sessions (a 6-minute run stopped at 2900)",
    },
  },
  {
    name: 'opencode-wakatime',
    version: '1.3.9',
    kind: 'time tracking',
    about: 'WakaTime heartbeats per tool call and session (event, chat.message); tracks files per session.',
    homeFiles: {
      // A config with an API key: otherwise the plugin only logs that it is not configured.
      '.wakatime.cfg': {
        content: '[settings]\napi_key = waka_00000000-0000-4000-8000-000000000000\napi_url = http://127.0.0.1:9/api/v1\n',
        why: 'an API key (the plugin needs one) and a dead API URL (no network)',
      },
    },
    readsHistory: false,
  },
  {
    name: 'opencode-orchestrator',
    version: '1.7.22',
    kind: 'orchestration',
    about: 'Multi-agent mission control (Commander, Planner, Worker, Reviewer); session and task state across hooks.',
    // package.json asks for Node >= 24.15; churnlab runs plugins in Node 20: a load failure is a finding.
    readsHistory: false,
  },
  {
    name: 'opencode-anthropic-auth',
    version: '0.0.13',
    kind: 'auth',
    about: 'Anthropic OAuth (auth hook) and a system-prompt rewrite in experimental.chat.system.transform.',
    // The auth hook runs only when the user logs in; the session hook is the system transform.
    readsHistory: false,
  },
  {
    name: 'opencode-prompt-recorder',
    version: '1.9.9',
    kind: 'prompt history',
    about: 'Saves every user prompt to disk from the event hook (files per project and day).',
    // Writes under the project directory the host hands it (a temp dir per run); reads one session, not histories.
    readsHistory: false,
    size: {
      runCapMs: 15 * 60_000,
      why: 'it appends to files on every message: its run and the leak diagnosis took 3m16s here, 7m07s in a busier corpus run',
    },
  },
  {
    name: '@ranger-testing/opencode-plugin',
    version: '3.1.8',
    kind: 'feature tracking',
    about: 'Feature tracking for AI sessions: tools and the event hook; tracks the active session.',
    readsHistory: false,
  },
  {
    name: '@sureshsankaran/opencode-destructive-check',
    version: '1.0.5',
    kind: 'guard',
    about: 'Checks bash and tool calls for destructive commands in tool.execute.before/after and permission.ask.',
    readsHistory: false,
  },
  {
    name: 'opencode-skills',
    version: '0.1.7',
    kind: 'tooling',
    about: 'Agent Skills: discovers SKILL.md files and registers one tool per skill (tool hook).',
    readsHistory: false,
  },
];
