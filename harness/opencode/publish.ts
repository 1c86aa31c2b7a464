// The real server's event sequences, shared by the prompt, summarize and session routes. Measured on
// opencode serve 1.18.33 (docs/real-opencode.md, "Events"; test/opencode/parity-cases.ts compares
// them): it repeats some events (a second session.status busy, two message.updated for a finished
// reply), follows each change of a session's files with session.updated + session.diff, and
// announces its plugins and catalogs the first time a directory's instance needs a model.
import type { MockCore } from './core.ts';
import type { MessageWithParts, Part, SessionInfo, TextPart } from './types.ts';
import { streamPieces } from './llm.ts';

/**
 * What the instance of a directory publishes while it loads, in the order seen on the real server:
 * 38 provider and config plugins, a catalog update, 7 more, then the reference, integration and
 * catalog notices. The ids are the real server's.
 */
const BOOT_PLUGINS_FIRST = [
  'core/config-reference',
  'agent',
  'command',
  'skill',
  'models-dev',
  'config-agent',
  'config-command',
  'config-skill',
  'alibaba',
  'amazon-bedrock',
  'anthropic',
  'azure-cognitive-services',
  'azure',
  'cerebras',
  'cloudflare-ai-gateway',
  'cloudflare-workers-ai',
  'cohere',
  'deepinfra',
  'gateway',
  'github-copilot',
  'gitlab',
  'google',
  'google-vertex-anthropic',
  'google-vertex',
  'groq',
  'kilo',
  'llmgateway',
  'mistral',
  'nvidia',
  'opencode',
  'snowflake-cortex',
  'openai-compatible',
  'openai',
  'openrouter',
  'perplexity',
  'sap-ai-core',
  'togetherai',
  'vercel',
];
const BOOT_PLUGINS_THEN = ['venice', 'xai', 'zenmux', 'dynamic-provider', 'config-plugin', 'config-provider', 'variant'];

/** Once per directory and server life (a restart boots again): the instance's start-up notices. */
export function bootInstance(core: MockCore, dir: string): void {
  if (core.bootedDirectories.has(dir)) return;
  core.bootedDirectories.add(dir);
  const { bus } = core;
  if (!bus.active) return;
  for (const id of BOOT_PLUGINS_FIRST) bus.publish(dir, { type: 'plugin.added', properties: { id } });
  bus.publish(dir, { type: 'catalog.updated', properties: {} });
  for (const id of BOOT_PLUGINS_THEN) bus.publish(dir, { type: 'plugin.added', properties: { id } });
  bus.publish(dir, { type: 'reference.updated', properties: {} });
  bus.publish(dir, { type: 'integration.updated', properties: {} });
  bus.publish(dir, { type: 'catalog.updated', properties: {} });
}

export function sessionUpdated(core: MockCore, session: SessionInfo): void {
  core.bus.publish(session.directory, { type: 'session.updated', properties: { sessionID: session.id, info: session } });
}

/**
 * The file diff after a step: totals on the session (the mock changes no files; set whether or not
 * anyone listens, so GET /session shows them too), then session.updated and the diff.
 */
export function diffComputed(core: MockCore, session: SessionInfo): void {
  session.summary ??= { additions: 0, deletions: 0, files: 0 };
  sessionUpdated(core, session);
  core.bus.publish(session.directory, { type: 'session.diff', properties: { sessionID: session.id, diff: [] } });
}

export function busy(core: MockCore, dir: string, sessionID: string): void {
  core.bus.publish(dir, { type: 'session.status', properties: { sessionID, status: { type: 'busy' } } });
}

/** status idle, then session.idle: the pair the real server sends whenever a session stops. */
export function wentIdle(core: MockCore, dir: string, sessionID: string): void {
  core.bus.publish(dir, { type: 'session.status', properties: { sessionID, status: { type: 'idle' } } });
  core.bus.publish(dir, { type: 'session.idle', properties: { sessionID } });
}

/** A message as it is stored: message.updated, then each part (a fork's copies, a marker). */
export function storedMessage(core: MockCore, dir: string, message: MessageWithParts, time: number): void {
  const sessionID = message.info.sessionID;
  core.bus.publish(dir, { type: 'message.updated', properties: { sessionID, info: message.info } });
  for (const part of message.parts) core.bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part, time } });
}

/**
 * A reply's parts as the model streams them: tools pending -> running -> completed, a text part
 * opened empty, one message.part.delta per streamed piece (the pieces the fake LLM's HTTP route
 * streams, so the count matches the real server's), then closed.
 */
export function streamedParts(core: MockCore, dir: string, sessionID: string, parts: readonly Part[], time: number): void {
  const { bus } = core;
  for (const part of parts) {
    if (part.type === 'tool' && part.state.status === 'completed') {
      const { input, time: t, title } = part.state;
      bus.publish(dir, {
        type: 'message.part.updated',
        properties: { sessionID, part: { ...part, state: { status: 'pending', input, raw: '' } }, time },
      });
      bus.publish(dir, {
        type: 'message.part.updated',
        properties: { sessionID, part: { ...part, state: { status: 'running', input, title, time: { start: t.start } } }, time },
      });
    }
    if (part.type === 'text') {
      const start: TextPart = { ...part, text: '', time: { start: part.time?.start ?? time } };
      bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part: start, time } });
      for (const delta of streamPieces(part.text)) {
        bus.publish(dir, {
          type: 'message.part.delta',
          properties: { sessionID, messageID: part.messageID, partID: part.id, field: 'text', delta },
        });
      }
    }
    bus.publish(dir, { type: 'message.part.updated', properties: { sessionID, part, time } });
  }
}
