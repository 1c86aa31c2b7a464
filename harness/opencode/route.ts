// The route wrapper every mock route goes through: directory resolution, faults, accounting,
// JSON replies. Per request it does one URL parse, one JSON.stringify and one byte count; with no
// fault rules and no listeners there is nothing else.
import type { HttpHandler } from 'msw';
import { http } from 'msw/core/http';
import type { MockCore } from './core.ts';
import { faultError } from './fault-responses.ts';
import type { FaultKind, FaultSpec } from './faults.ts';
import { compileRoute, routeMatchers, safeDecode, urlOf } from './match.ts';
import {
  badRequest,
  ConnectionDropped,
  cutReply,
  HttpError,
  toResponse,
  type MockRequest,
  type RawReply,
  type Reply,
} from './responses.ts';
import { LLM_ROUTES, OPENCODE_ROUTES, type RouteId, type V1, type V2 } from './types.ts';

/** What each route answers, typed by BOTH SDKs: a handler returning anything else does not compile. */
export interface RouteBodies {
  'global.health': V2.GlobalHealthResponses[200];
  'event.subscribe': never;
  'session.list': V2.SessionListResponses[200] & V1.SessionListResponses[200];
  'session.create': V2.SessionCreateResponses[200] & V1.SessionCreateResponses[200];
  'session.status': V2.SessionStatusResponses[200] & V1.SessionStatusResponses[200];
  'session.get': V2.SessionGetResponses[200] & V1.SessionGetResponses[200];
  'session.update': V2.SessionUpdateResponses[200] & V1.SessionUpdateResponses[200];
  'session.delete': V2.SessionDeleteResponses[200] & V1.SessionDeleteResponses[200];
  'session.children': V2.SessionChildrenResponses[200] & V1.SessionChildrenResponses[200];
  'session.messages': V2.SessionMessagesResponses[200] & V1.SessionMessagesResponses[200];
  'session.prompt': V2.SessionPromptResponses[200] & V1.SessionPromptResponses[200];
  'session.message': V2.SessionMessageResponses[200] & V1.SessionMessageResponses[200];
  'session.prompt_async': undefined;
  'session.abort': V2.SessionAbortResponses[200] & V1.SessionAbortResponses[200];
  'session.fork': V2.SessionForkResponses[200] & V1.SessionForkResponses[200];
  'session.summarize': V2.SessionSummarizeResponses[200] & V1.SessionSummarizeResponses[200];
  'llm.chat.completions': unknown;
  'llm.models': unknown;
}

export interface RouteContext {
  readonly core: MockCore;
  readonly request: MockRequest;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly url: URL;
  /** Query `directory`, else the `x-opencode-directory` header (URL-encoded by the SDK), else the mock's. */
  readonly directory: string;
  /** The `{sessionID}` path parameter, if the route has one. */
  readonly sessionID: string | undefined;
  /** The `x-churnlab-tool-call` header: which tool call the caller is serving. */
  readonly toolCallID: string | undefined;
  readonly seq: number;
  /** A fault this route implements itself (one of its `handles`). */
  readonly fault: Readonly<FaultSpec> | undefined;
  /** Parsed JSON body ({} when there is none). */
  readonly body: Record<string, unknown>;
  /** Count this request for another session (session.create counts for the session it made). */
  accountTo(sessionID: string): void;
}

export interface RouteDef<Id extends RouteId> {
  /** Error body style: OpenCode NamedError (default) or OpenAI `{ error: {...} }`. */
  errors?: 'opencode' | 'openai';
  /** Fault kinds the route implements itself; the wrapper applies the others. */
  handles?: readonly FaultKind[];
  resolve(ctx: RouteContext): Reply<RouteBodies[Id]> | Promise<Reply<RouteBodies[Id]>>;
}

const ROUTES: Record<RouteId, readonly [string, string]> = { ...OPENCODE_ROUTES, ...LLM_ROUTES };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const METHODS = { GET: http.get, POST: http.post, PATCH: http.patch, DELETE: http.delete, PUT: http.put } as const;

/**
 * An msw handler for METHOD path, matched by a precompiled regex (msw's own string matching
 * recompiles the path on every request) and registered for the loopback server's dispatch.
 */
export function matchedHandler(
  origin: string,
  method: keyof typeof METHODS,
  path: string,
  resolver: (args: { request: Request; params: Record<string, string | undefined> }) => Promise<Response> | Response,
): HttpHandler {
  const matcher = compileRoute(method, path);
  const handler = METHODS[method](
    ({ request }) => {
      const url = urlOf(request);
      if (origin !== '*' && url.origin !== origin) return false;
      const params = matcher.match(url.pathname);
      return params === undefined ? false : { matches: true, params };
    },
    ({ request, params }) => resolver({ request, params: params as Record<string, string | undefined> }),
  );
  routeMatchers.set(handler, matcher);
  return handler;
}

/** The mock's own routes, callable without msw's dispatch (the loopback server's fast path). */
export const directRoutes = new WeakMap<object, (request: MockRequest, params: Record<string, string | undefined>) => Promise<RawReply>>();

export function route<Id extends RouteId>(core: MockCore, id: Id, def: RouteDef<Id>): HttpHandler {
  const [method, path] = ROUTES[id];
  const run = (request: MockRequest, params: Record<string, string | undefined>) => handle(core, id, def, request, params);
  const handler = matchedHandler(core.origin, method as keyof typeof METHODS, path, async ({ request, params }) =>
    toResponse(await run(request, params)),
  );
  directRoutes.set(handler, run);
  return handler;
}

/** One request being handled: what its accounting record needs, whatever the reply. */
interface Handling {
  readonly core: MockCore;
  readonly id: RouteId;
  /** The session the request's bytes count against (a route may move them to another). */
  accountID: string | undefined;
  readonly toolCallID: string | undefined;
  readonly requestBytes: number;
}

async function handle<Id extends RouteId>(
  core: MockCore,
  id: Id,
  def: RouteDef<Id>,
  request: MockRequest,
  params: Record<string, string | undefined>,
): Promise<RawReply> {
  const { state } = core;
  const seq = core.accounting.nextSeq();
  const sessionID = params.sessionID;
  if (sessionID !== undefined) state.touch(sessionID, seq);
  const url = urlOf(request);
  const toolCallID = request.headers.get('x-churnlab-tool-call') ?? undefined;
  let bodyText = '';
  if (request.method !== 'GET' && request.method !== 'HEAD') bodyText = await request.text();
  const requestBytes = bodyText.length === 0 ? 0 : Buffer.byteLength(bodyText);
  const h: Handling = { core, id, accountID: sessionID, toolCallID, requestBytes };

  try {
    const body = parseBody(bodyText);
    // A session created as a child names its parent: that counts as a reference (orphans).
    if (typeof body.parentID === 'string') state.touch(body.parentID, seq);

    const fault = core.faults.take(id, sessionID);
    let cut = false;
    if (fault !== undefined && !def.handles?.includes(fault.kind)) {
      const early = wrappedFaultReply(h, fault, def.errors ?? 'opencode', sessionID, url, body);
      if (early) return early;
      if (fault.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
      else if (fault.kind === 'drop') cut = true;
    }

    const ctx: RouteContext = {
      core,
      request,
      params,
      url,
      directory: directoryOf(url, request, core.directory),
      sessionID,
      toolCallID,
      seq,
      fault: fault !== undefined && def.handles?.includes(fault.kind) ? fault : undefined,
      body,
      accountTo: (other) => {
        h.accountID = other;
      },
    };
    return finishReply(h, await def.resolve(ctx), cut, fault !== undefined);
  } catch (error) {
    return errorReply(h, error);
  }
}

function parseBody(bodyText: string): Record<string, unknown> {
  if (bodyText.length === 0) return {};
  try {
    return JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    throw badRequest('Malformed JSON in request body');
  }
}

/** A JSON reply, recorded against the request's session and tool call. */
function send(h: Handling, status: number, text: string, error: boolean, headers?: Readonly<Record<string, string>>): RawReply {
  const bytes = text.length === 0 ? 0 : Buffer.byteLength(text);
  h.core.accounting.record(h.id, h.accountID, h.toolCallID, bytes, h.requestBytes, error);
  return { kind: 'json', status, text, bytes, ...(headers ? { headers } : {}) };
}

/** The reply a fault the route does not handle itself gives instead of the route's own: an error or a malformed 200. */
function wrappedFaultReply(
  h: Handling,
  fault: FaultSpec,
  style: 'opencode' | 'openai',
  sessionID: string | undefined,
  url: URL,
  body: Record<string, unknown>,
): RawReply | undefined {
  const agent = typeof body.agent === 'string' ? body.agent : 'unknown';
  const error = faultError(fault.kind, style, { ...(sessionID ? { sessionID } : {}), path: url.pathname, agent });
  if (error) return send(h, error.status, JSON.stringify(error.body), true);
  if (fault.kind === 'malformed-200') return send(h, 200, '{}', true);
  return undefined;
}

function finishReply(h: Handling, reply: Reply<unknown>, cut: boolean, faulted: boolean): RawReply {
  if ('stream' in reply) {
    // Streams (SSE, LLM streaming) count their own bytes as they write them.
    h.core.accounting.record(h.id, h.accountID, h.toolCallID, 0, h.requestBytes, faulted);
    return { kind: 'stream', ...reply };
  }
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  if (cut) {
    h.core.accounting.record(h.id, h.accountID, h.toolCallID, Buffer.byteLength(text) >> 1, h.requestBytes, true);
    return cutReply(reply.status, text);
  }
  return send(h, reply.status, text, reply.status >= 400, reply.headers);
}

function errorReply(h: Handling, error: unknown): RawReply {
  if (error instanceof HttpError) return send(h, error.status, JSON.stringify(error.body), true);
  if (error instanceof ConnectionDropped) {
    h.core.accounting.record(h.id, h.accountID, h.toolCallID, 0, h.requestBytes, true);
    return { kind: 'network-error' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return send(h, 500, JSON.stringify({ name: 'UnknownError', data: { message } }), true);
}

export function directoryOf(url: URL, request: MockRequest, fallback: string): string {
  const query = url.searchParams.get('directory');
  if (query) return query;
  const header = request.headers.get('x-opencode-directory');
  if (header) return safeDecode(header);
  return fallback;
}
