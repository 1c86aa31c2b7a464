// The objects OpenCode hands hooks besides the session's own messages: the model and its provider
// (SDK `Model`, `Provider`, the plugin package's `ProviderContext`), the tool definitions offered
// to the model, permissions, slash commands, and ids shaped like OpenCode's. Built once per host
// (or per call where OpenCode builds them per call), never kept per session.
import type { Model, Permission, Provider } from '@opencode-ai/sdk';
import type { ProviderContext } from '@opencode-ai/plugin';
import type { Provider as ProviderV2, Model as ModelV2 } from '@opencode-ai/sdk/v2';

let idSeq = 0;
let hexAtMs = -1;
let hexTime = '';
/** Ascending ids shaped like OpenCode's: prefix + time-ordered hex + a fixed tail ("msg_", "prt_", "per_", "evt_"). */
export function ascendingId(prefix: 'msg' | 'prt' | 'per' | 'evt'): string {
  idSeq += 1;
  const now = Date.now();
  if (now !== hexAtMs) {
    hexAtMs = now;
    hexTime = now.toString(16);
  }
  return `${prefix}_${hexTime}${idSeq.toString(16).padStart(8, '0')}churnlab`;
}

/** The model as hooks get it: the server's v2 Model (family, release_date, variants), a superset of the SDK's v1 `Model`. */
export function modelOf(providerID: string, modelID: string): ModelV2 {
  return {
    id: modelID,
    providerID,
    api: { id: modelID, url: 'http://127.0.0.1/v1', npm: '@ai-sdk/openai-compatible' },
    name: modelID,
    family: modelID,
    capabilities: {
      temperature: true,
      reasoning: false,
      attachment: false,
      toolcall: true,
      input: { text: true, audio: false, image: false, video: false, pdf: false },
      output: { text: true, audio: false, image: false, video: false, pdf: false },
      interleaved: false,
    },
    cost: { input: 0, output: 0, cache: { read: 0, write: 0 } },
    limit: { context: 128_000, output: 8192 },
    status: 'active',
    options: {},
    headers: {},
    release_date: '2026-01-01',
    variants: {},
  };
}

export function providerContextOf(model: Model): ProviderContext {
  const info: Provider = {
    id: model.providerID,
    name: model.providerID,
    source: 'config',
    env: [],
    options: {},
    models: { [model.id]: model },
  };
  return { source: 'config', info, options: info.options };
}

/** The provider as `experimental.provider.small_model` gets it (the v2 SDK shape). */
export function providerV2Of(model: ModelV2): ProviderV2 {
  return { id: model.providerID, name: model.providerID, source: 'config', env: [], options: {}, models: { [model.id]: model } };
}

/** The tools `opencode serve` 1.18.33 offers the model, in the order tool.definition sees them (recorded). */
export const TOOL_IDS = [
  'invalid',
  'question',
  'bash',
  'read',
  'glob',
  'grep',
  'edit',
  'write',
  'task',
  'webfetch',
  'todowrite',
  'skill',
] as const;

const TOOL_DESCRIPTIONS: Record<string, string> = {
  bash: 'Executes a given bash command in a persistent shell session with optional timeout.',
  read: 'Reads a file from the local filesystem.',
  glob: 'Fast file pattern matching tool that works with any codebase size.',
  grep: 'Fast content search tool that works with any codebase size.',
  edit: 'Performs exact string replacements in files.',
  write: 'Writes a file to the local filesystem.',
  task: 'Launch a new agent to handle complex, multi-step tasks autonomously.',
  webfetch: 'Fetches content from a specified URL.',
  todowrite: 'Use this tool to create and manage a structured task list for your current coding session.',
  invalid: 'Do not use',
  question: 'Ask the user a question and wait for the answer.',
  skill: 'Load a skill to get detailed instructions for a specific task.',
};

/** A fresh definition per call, as OpenCode builds one per tool at every step. */
export function toolDefinition(toolID: string): { description: string; parameters: Record<string, unknown> } {
  return {
    description: TOOL_DESCRIPTIONS[toolID] ?? toolID,
    parameters: { type: 'object', properties: { input: { type: 'string', description: `input of ${toolID}` } }, required: [] },
  };
}

/** The `permission.asked` event's properties (1.18.33's permission service, recorded). */
export function permissionAsked(p: Permission): Record<string, unknown> {
  return {
    id: p.id,
    sessionID: p.sessionID,
    permission: p.type,
    patterns: [String(p.pattern)],
    always: [String(p.pattern)],
    metadata: p.metadata,
    tool: { messageID: p.messageID, callID: p.callID },
  };
}

/** The permission OpenCode asks for before a tool runs (SDK `Permission`). */
export function permissionFor(
  tool: string,
  input: Record<string, unknown>,
  ids: { sessionID: string; messageID: string; callID: string },
  now: number,
): Permission {
  const pattern =
    typeof input.command === 'string'
      ? input.command
      : typeof input.filePath === 'string'
        ? input.filePath
        : typeof input.url === 'string'
          ? input.url
          : '*';
  return {
    id: ascendingId('per'),
    type: tool,
    pattern,
    sessionID: ids.sessionID,
    messageID: ids.messageID,
    callID: ids.callID,
    title: tool === 'bash' ? `Run ${pattern}` : `${tool} ${pattern}`,
    metadata: { ...input },
    time: { created: now },
  };
}

/** Slash commands a share of turns run (OpenCode's built-in and typical project commands). */
export const COMMANDS = [
  { command: 'review', arguments: 'src/', template: 'Review the changes in $ARGUMENTS and list the risky ones.' },
  { command: 'test', arguments: '--changed', template: 'Run the tests ($ARGUMENTS) and fix what fails.' },
  { command: 'init', arguments: '', template: 'Create or update AGENTS.md for this project.' },
] as const;

/** Deterministic choice over (session, turn, salt) with a multiplicative hash (not a PRNG). */
export function chosen(session: number, turn: number, salt: number, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  const h = Math.imul(Math.imul(session + 1, 2654435761) ^ Math.imul(turn + 1, 40503) ^ Math.imul(salt, 2246822519), 2654435761) >>> 0;
  return (h % 10_000) / 10_000 < share;
}
