// The shapes the mock produces, pinned to @opencode-ai/sdk 1.18.33. Each stored shape is spelled
// out and then checked, at compile time, against BOTH generated SDKs (v2, which matches the
// server, and v1, which plugins receive): if the SDK renames or adds a required field, or changes
// a literal, `tsc` fails here instead of a scenario failing at run time.
import type * as V1 from '@opencode-ai/sdk';
import type * as V2 from '@opencode-ai/sdk/v2';

export type { V1, V2 };

/** OpenCode version the mock claims to be (session.version, /global/health). */
export const OPENCODE_VERSION = '1.18.33';

// ---------------------------------------------------------------------------------------------
// Compile-time checks

type Extends<A, B> = [A] extends [B] ? true : false;
/** Fails to compile unless T is `true`. */
type Assert<T extends true> = T;

// ---------------------------------------------------------------------------------------------
// Sessions

export interface Tokens {
  total?: number;
  input: number;
  output: number;
  reasoning: number;
  cache: { read: number; write: number };
}

export interface SessionInfo {
  id: string;
  slug: string;
  projectID: string;
  directory: string;
  path?: string;
  parentID?: string;
  title: string;
  version: string;
  cost: number;
  tokens: { input: number; output: number; reasoning: number; cache: { read: number; write: number } };
  agent?: string;
  model?: { id: string; providerID: string; variant?: string };
  summary?: { additions: number; deletions: number; files: number };
  metadata?: { [key: string]: unknown };
  time: { created: number; updated: number; compacting?: number; archived?: number };
}

// ---------------------------------------------------------------------------------------------
// Messages and parts

export interface UserMessageInfo {
  id: string;
  sessionID: string;
  role: 'user';
  time: { created: number };
  agent: string;
  model: { providerID: string; modelID: string };
  format?: V2.OutputFormat;
  system?: string;
  tools?: { [key: string]: boolean };
}

export type AssistantError = V2.MessageAbortedError | V2.UnknownError;

export interface AssistantMessageInfo {
  id: string;
  sessionID: string;
  role: 'assistant';
  time: { created: number; completed?: number };
  error?: AssistantError;
  parentID: string;
  modelID: string;
  providerID: string;
  mode: string;
  agent: string;
  path: { cwd: string; root: string };
  summary?: boolean;
  cost: number;
  tokens: Tokens;
  finish?: string;
}

export type MessageInfo = UserMessageInfo | AssistantMessageInfo;

interface PartBase {
  id: string;
  sessionID: string;
  messageID: string;
}

export interface TextPart extends PartBase {
  type: 'text';
  text: string;
  synthetic?: boolean;
  time?: { start: number; end?: number };
}

export type ToolState =
  | { status: 'pending'; input: { [key: string]: unknown }; raw: string }
  | { status: 'running'; input: { [key: string]: unknown }; title?: string; time: { start: number } }
  | {
      status: 'completed';
      input: { [key: string]: unknown };
      output: string;
      title: string;
      metadata: { [key: string]: unknown };
      time: { start: number; end: number };
    };

export interface ToolPart extends PartBase {
  type: 'tool';
  callID: string;
  tool: string;
  state: ToolState;
}

export interface StepStartPart extends PartBase {
  type: 'step-start';
}

export interface StepFinishPart extends PartBase {
  type: 'step-finish';
  reason: string;
  cost: number;
  tokens: Tokens;
}

/** The user-side marker of a compaction (summarize): the real server stores it before the summary. */
export interface CompactionPart extends PartBase {
  type: 'compaction';
  auto: boolean;
}

export type Part = TextPart | ToolPart | StepStartPart | StepFinishPart | CompactionPart;

/** One entry of `GET /session/{id}/message`: `{ info, parts }`. */
export interface MessageWithParts<I extends MessageInfo = MessageInfo> {
  info: I;
  parts: Part[];
}

export type SessionStatus = { type: 'idle' } | { type: 'busy' };

// ---------------------------------------------------------------------------------------------
// Events (the bus): exactly the SSE `data:` payloads

export type MockEvent =
  | { id: string; type: 'server.connected'; properties: { [key: string]: unknown } }
  | { id: string; type: 'session.created'; properties: { sessionID: string; info: SessionInfo } }
  | { id: string; type: 'session.updated'; properties: { sessionID: string; info: SessionInfo } }
  | { id: string; type: 'session.deleted'; properties: { sessionID: string; info: SessionInfo } }
  | { id: string; type: 'session.status'; properties: { sessionID: string; status: SessionStatus } }
  | { id: string; type: 'session.idle'; properties: { sessionID: string } }
  | { id: string; type: 'session.error'; properties: { sessionID?: string; error?: AssistantError } }
  | { id: string; type: 'session.compacted'; properties: { sessionID: string } }
  | { id: string; type: 'message.updated'; properties: { sessionID: string; info: MessageInfo } }
  | { id: string; type: 'message.part.updated'; properties: { sessionID: string; part: Part; time: number } }
  | {
      id: string;
      type: 'message.part.delta';
      properties: { sessionID: string; messageID: string; partID: string; field: string; delta: string };
    }
  // The file diff after each step (the mock changes no files: always empty).
  | { id: string; type: 'session.diff'; properties: { sessionID: string; diff: never[] } }
  // A directory's instance starting up (publish.ts bootInstance).
  | { id: string; type: 'plugin.added'; properties: { id: string } }
  | { id: string; type: 'catalog.updated'; properties: { [key: string]: unknown } }
  | { id: string; type: 'reference.updated'; properties: { [key: string]: unknown } }
  | { id: string; type: 'integration.updated'; properties: { [key: string]: unknown } };

/**
 * Sent by the real server on every event stream every 10 s. Not in the SDK's Event union (1.18.33),
 * so not a MockEvent: the SSE layer writes it (sse.ts), the in-process bus never carries it.
 */
export interface ServerHeartbeat {
  id: string;
  type: 'server.heartbeat';
  properties: Record<string, never>;
}

export type MockEventType = MockEvent['type'];

/** An event without its id: the bus assigns `evt_…` ids in publish order. */
export type MockEventInput = MockEvent extends infer E ? (E extends MockEvent ? Omit<E, 'id'> : never) : never;

type EventOf<T extends MockEventType> = Extract<MockEvent, { type: T }>;

// ---------------------------------------------------------------------------------------------
// Errors, as the real server writes them

export interface NamedErrorBody {
  name: string;
  data: { message: string; [key: string]: unknown };
}

// ---------------------------------------------------------------------------------------------
// The drift checks. Every line reads "what the mock sends is what SDK vN declares".

export type ShapeChecks = [
  Assert<Extends<SessionInfo, V2.Session>>,
  Assert<Extends<SessionInfo, V1.Session>>,
  Assert<Extends<UserMessageInfo, V2.UserMessage>>,
  Assert<Extends<UserMessageInfo, V1.UserMessage>>,
  Assert<Extends<AssistantMessageInfo, V2.AssistantMessage>>,
  Assert<Extends<AssistantMessageInfo, V1.AssistantMessage>>,
  Assert<Extends<Part, V2.Part>>,
  Assert<Extends<Part, V1.Part>>,
  Assert<Extends<TextPart, V2.TextPart>>,
  Assert<Extends<ToolPart, V1.ToolPart>>,
  Assert<Extends<StepFinishPart, V1.StepFinishPart>>,
  Assert<Extends<CompactionPart, V2.CompactionPart>>,
  Assert<Extends<SessionStatus, V2.SessionStatus>>,
  Assert<Extends<SessionStatus, V1.SessionStatus>>,
  Assert<Extends<MockEvent, V2.Event>>,
  Assert<Extends<EventOf<'session.created'>, V1.EventSessionCreated>>,
  Assert<Extends<EventOf<'session.updated'>, V1.EventSessionUpdated>>,
  Assert<Extends<EventOf<'session.deleted'>, V1.EventSessionDeleted>>,
  Assert<Extends<EventOf<'session.status'>, V1.EventSessionStatus>>,
  Assert<Extends<EventOf<'session.idle'>, V1.EventSessionIdle>>,
  Assert<Extends<EventOf<'session.error'>, V1.EventSessionError>>,
  Assert<Extends<EventOf<'session.compacted'>, V1.EventSessionCompacted>>,
  Assert<Extends<EventOf<'message.updated'>, V1.EventMessageUpdated>>,
  Assert<Extends<EventOf<'message.part.updated'>, V1.EventMessagePartUpdated>>,
  Assert<Extends<EventOf<'server.connected'>, V1.EventServerConnected>>,
  Assert<Extends<EventOf<'session.diff'>, V2.EventSessionDiff>>,
  Assert<Extends<EventOf<'plugin.added'>, V2.EventPluginAdded>>,
  Assert<Extends<{ name: 'NotFoundError'; data: { message: string } }, V2.NotFoundError>>,
  Assert<Extends<{ name: 'NotFoundError'; data: { message: string } }, V1.NotFoundError>>,
  // Route bodies: the response type of each SDK operation the mock serves.
  Assert<Extends<SessionInfo[], V2.SessionListResponses[200]>>,
  Assert<Extends<SessionInfo[], V1.SessionListResponses[200]>>,
  Assert<Extends<Record<string, SessionStatus>, V2.SessionStatusResponses[200]>>,
  Assert<Extends<MessageWithParts[], V2.SessionMessagesResponses[200]>>,
  Assert<Extends<MessageWithParts[], V1.SessionMessagesResponses[200]>>,
  Assert<Extends<MessageWithParts<AssistantMessageInfo>, V2.SessionPromptResponses[200]>>,
  Assert<Extends<MessageWithParts<AssistantMessageInfo>, V1.SessionPromptResponses[200]>>,
  Assert<Extends<{ healthy: true; version: string }, V2.GlobalHealthResponses[200]>>,
];

// ---------------------------------------------------------------------------------------------
// Route ids: the OpenAPI operationIds of the real server (test/opencode/real-routes.txt), plus the fake LLM's.

export const OPENCODE_ROUTES = {
  'global.health': ['GET', '/global/health'],
  'event.subscribe': ['GET', '/event'],
  'session.list': ['GET', '/session'],
  'session.create': ['POST', '/session'],
  'session.status': ['GET', '/session/status'],
  'session.get': ['GET', '/session/:sessionID'],
  'session.update': ['PATCH', '/session/:sessionID'],
  'session.delete': ['DELETE', '/session/:sessionID'],
  'session.children': ['GET', '/session/:sessionID/children'],
  'session.messages': ['GET', '/session/:sessionID/message'],
  'session.prompt': ['POST', '/session/:sessionID/message'],
  'session.message': ['GET', '/session/:sessionID/message/:messageID'],
  'session.prompt_async': ['POST', '/session/:sessionID/prompt_async'],
  'session.abort': ['POST', '/session/:sessionID/abort'],
  'session.fork': ['POST', '/session/:sessionID/fork'],
  'session.summarize': ['POST', '/session/:sessionID/summarize'],
} as const satisfies Record<string, readonly [string, string]>;

export const LLM_ROUTES = {
  'llm.chat.completions': ['POST', '/v1/chat/completions'],
  'llm.models': ['GET', '/v1/models'],
} as const satisfies Record<string, readonly [string, string]>;

export type OpenCodeRouteId = keyof typeof OPENCODE_ROUTES;
export type LlmRouteId = keyof typeof LLM_ROUTES;
export type RouteId = OpenCodeRouteId | LlmRouteId;
