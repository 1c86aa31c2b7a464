// A recording OpenCode plugin: registers every hook of the `Hooks` type of @opencode-ai/plugin
// 1.18.33 and appends one NDJSON line per call (hook, input shape, output shape, a few scalar
// hints) to a file, in call order. Loaded by the real `opencode serve` (Bun) from its config; plain
// JavaScript with Node built-ins only, so any runtime loads it as it is. Shapes, never texts: a
// recording says which keys and types came, id prefixes and array lengths, so it can be committed.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every hook of `Hooks` that takes (input, output), as OpenCode 1.18.33's plugin package declares. */
const RECORDED_HOOKS = [
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
];

const ID_PREFIX = /^(ses|msg|prt|per|call|tool|toolu|que|snap|prj|wrk|pty|evt)_/;
const MAX_DEPTH = 5;
const MAX_KEYS = 40;

/** The shape of a value: types, id prefixes, array lengths and the shapes of their items. */
function shapeOf(value, depth = 0) {
  if (value === null) return 'null';
  const type = typeof value;
  if (type === 'string') {
    const id = ID_PREFIX.exec(value);
    return id ? `id:${id[1]}` : 'string';
  }
  if (type !== 'object') return type;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `array(${value.length})` : 'object';
  if (Array.isArray(value)) {
    const items = [];
    const seen = new Set();
    for (const item of value) {
      const shape = shapeOf(item, depth + 1);
      const key = JSON.stringify(shape);
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(shape);
      if (items.length >= 8) break;
    }
    return { array: value.length, items };
  }
  const out = {};
  const keys = Object.keys(value).sort();
  for (const key of keys.slice(0, MAX_KEYS)) out[key] = shapeOf(value[key], depth + 1);
  if (keys.length > MAX_KEYS) out['…'] = `${keys.length - MAX_KEYS} more keys`;
  return out;
}

const short = (v) => (typeof v === 'string' && v.length <= 40 && !ID_PREFIX.test(v) ? v : undefined);

/** Scalars worth comparing besides shapes: which event, tool, agent, role sequence. */
function hintsOf(hook, input, output) {
  const hints = {};
  const put = (name, v) => {
    if (v !== undefined) hints[name] = v;
  };
  if (hook === 'event') {
    const e = input?.event ?? {};
    put('type', e.type);
    const p = e.properties ?? {};
    put('status', short(p.status?.type));
    put('partType', short(p.part?.type));
    put('toolStatus', short(p.part?.state?.status));
    put('role', short(p.info?.role));
    const sessionID =
      p.sessionID ?? p.info?.sessionID ?? p.part?.sessionID ?? (String(e.type).startsWith('session.') ? p.info?.id : undefined);
    put('sessionID', typeof sessionID === 'string' ? 'yes' : undefined);
  }
  if (input && typeof input === 'object') {
    put('tool', short(input.tool));
    put('toolID', short(input.toolID));
    put('agent', short(typeof input.agent === 'string' ? input.agent : undefined));
    put('command', short(input.command));
    put('permissionType', short(input.type ?? input.permission));
  }
  if (hook === 'experimental.chat.messages.transform' && Array.isArray(output?.messages)) {
    put('roles', output.messages.map((m) => m?.info?.role ?? '?').join(','));
    put('partTypes', output.messages.map((m) => (m?.parts ?? []).map((p) => p?.type).join('+')).join(','));
  }
  if (hook === 'experimental.chat.system.transform' && Array.isArray(output?.system)) {
    put(
      'systemChars',
      output.system.map((s) => (typeof s === 'string' ? s.length : -1)),
    );
  }
  if (hook === 'chat.params' && output) {
    put('params', { temperature: output.temperature, topP: output.topP, topK: output.topK, maxOutputTokens: output.maxOutputTokens });
  }
  if (hook === 'permission.ask' || hook === 'experimental.compaction.autocontinue') put('decision', output?.status ?? output?.enabled);
  return hints;
}

/** The plugin: `options.out` or $CHURNLAB_HOOK_RECORDING or <directory>/hook-recording.ndjson. */
export const HookRecorder = async (input, options) => {
  const out = options?.out ?? process.env.CHURNLAB_HOOK_RECORDING ?? join(input.directory, 'hook-recording.ndjson');
  let seq = 0;
  const record = (hook, hookInput, hookOutput) => {
    seq += 1;
    const line = { seq, t: Date.now(), hook, hints: hintsOf(hook, hookInput, hookOutput), input: shapeOf(hookInput) };
    if (hookOutput !== undefined) line.output = shapeOf(hookOutput);
    try {
      appendFileSync(out, `${JSON.stringify(line)}\n`);
    } catch {
      // A recorder never breaks the server it watches.
    }
  };
  record('plugin.init', {
    directory: input.directory,
    worktree: input.worktree,
    project: input.project,
    serverUrl: String(input.serverUrl),
  });
  const hooks = {
    event: async (hookInput) => record('event', hookInput),
    config: async (config) => record('config', { keys: Object.keys(config ?? {}).sort() }),
  };
  for (const name of RECORDED_HOOKS) hooks[name] = async (hookInput, hookOutput) => record(name, hookInput, hookOutput);
  return hooks;
};
