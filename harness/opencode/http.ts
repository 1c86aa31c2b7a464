// The route wrapper every mock route goes through: matching, directory resolution, faults,
// accounting, JSON responses. Per request it does one URL parse, one JSON.stringify and one
// byte count; with no fault rules and no listeners there is nothing else.
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { MockCore } from './core.ts';
import type { FaultKind, FaultSpec } from './faults.ts';
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

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** The real server's 404: `{"name":"NotFoundError","data":{"message":"Session not found: ses_…"}}`. */
export const notFound = (message: string) => new HttpError(404, { name: 'NotFoundError', data: { message } });
export const badRequest = (message: string) => new HttpError(400, { name: 'BadRequest', data: { message, kind: 'Body' } });
export const sessionNotFound = (id: string) => notFound(`Session not found: ${id}`);

/** A streamed body (SSE, LLM streaming): the route counts its own bytes as it writes them. */
export interface StreamReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly stream: ReadableStream<Uint8Array>;
}

export type Reply<T> = { readonly status: number; readonly body: T } | StreamReply;

export const ok = <T>(body: T): { status: 200; body: T } => ({ status: 200, body });

export const streamReply = (stream: ReadableStream<Uint8Array>, headers: Record<string, string>, status = 200): StreamReply => ({
  status,
  headers,
  stream,
});

/**
 * What a route answers, before it becomes a fetch Response: msw gets a Response made from it;
 * the loopback server writes it to the socket directly (no Response, no body stream for JSON).
 */
export type RawReply =
  | { readonly kind: 'json'; readonly status: number; readonly text: string; readonly bytes: number }
  | ({ readonly kind: 'stream' } & StreamReply)
  | { readonly kind: 'network-error' };

/** The part of a fetch Request the routes read: the loopback server passes a lighter object. */
export interface MockRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** Aborted when the client goes away (in-process); the loopback server cancels streams instead. */
  readonly signal?: AbortSignal;
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

// ---------------------------------------------------------------------------------------------
// Matching

export interface RouteMatcher {
  method: string;
  /** Express-style path: /session/:sessionID. */
  path: string;
  match(pathname: string): Record<string, string> | undefined;
}

/** Route info of handlers made here, so the loopback server can dispatch without trying each. */
export const routeMatchers = new WeakMap<object, RouteMatcher>();

const ROUTES: Record<RouteId, readonly [string, string]> = { ...OPENCODE_ROUTES, ...LLM_ROUTES };

/** A matcher for METHOD path, with `:name` parameters (one path segment each). */
export function compileRoute(method: string, path: string): RouteMatcher {
  const names: string[] = [];
  const source = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${source}/?$`);
  return {
    method,
    path,
    match(pathname) {
      const m = regex.exec(pathname);
      if (m === null) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) {
        const raw = m[i + 1]!;
        params[names[i]!] = raw.includes('%') ? safeDecode(raw) : raw;
      }
      return params;
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// One URL parse per request, shared by every handler's predicate (msw asks each in turn).
const urls = new WeakMap<MockRequest, URL>();
export function urlOf(request: MockRequest): URL {
  let url = urls.get(request);
  if (url === undefined) {
    url = new URL(request.url);
    urls.set(request, url);
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// Responses

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const encoder = new TextEncoder();

export function jsonText(status: number, text: string): Response {
  return new Response(status === 204 ? null : text, { status, headers: status === 204 ? {} : JSON_HEADERS });
}

export function toResponse(raw: RawReply): Response {
  switch (raw.kind) {
    case 'json':
      return jsonText(raw.status, raw.text);
    case 'stream':
      return new Response(raw.stream, { status: raw.status, headers: raw.headers });
    case 'network-error':
      // A network error for the client, as a dying server gives.
      return HttpResponse.error();
  }
}

/** Half of the body, then a dropped connection (content-length promises the whole body). */
export function cutReply(status: number, text: string, contentType = 'application/json'): RawReply {
  const bytes = encoder.encode(text);
  const half = bytes.subarray(0, Math.max(1, bytes.length >> 1));
  let sent = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(half);
        } else controller.error(new Error('churnlab: connection dropped mid-response'));
      },
    },
    { highWaterMark: 0 },
  );
  return { kind: 'stream', status, headers: { 'content-type': contentType, 'content-length': String(bytes.length) }, stream };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function faultError(kind: FaultKind, style: 'opencode' | 'openai', ctx: { sessionID?: string; path: string; agent: string }): HttpError | undefined {
  const what = ctx.sessionID ?? ctx.path;
  if (style === 'openai') {
    const e = (status: number, type: string, message: string, code: string | null = null) =>
      new HttpError(status, { error: { message, type, param: null, code } });
    switch (kind) {
      case '404': return e(404, 'invalid_request_error', 'The model does not exist', 'model_not_found');
      case '410': return e(410, 'invalid_request_error', 'Gone');
      case '422-format': return e(422, 'invalid_request_error', "Unrecognized request argument supplied: format");
      case 'unknown-agent': return e(400, 'invalid_request_error', `Unknown agent: ${ctx.agent}`);
      case '500': return e(500, 'server_error', 'churnlab: injected server error');
      default: return undefined;
    }
  }
  switch (kind) {
    case '404':
      return notFound(ctx.sessionID ? `Session not found: ${ctx.sessionID}` : `Not found: ${ctx.path}`);
    case '410':
      return new HttpError(410, { name: 'GoneError', data: { message: `Gone: ${what}` } });
    case '422-format':
      // What an older server's Zod validator says about the v2 `format` field.
      return new HttpError(422, {
        success: false,
        error: {
          name: 'ZodError',
          message: 'Unrecognized key(s) in object: \'format\'',
          issues: [{ code: 'unrecognized_keys', keys: ['format'], path: [], message: "Unrecognized key(s) in object: 'format'" }],
        },
      });
    case 'unknown-agent':
      return badRequest(`Agent not found: "${ctx.agent}"`);
    case '500':
      return new HttpError(500, { name: 'UnknownError', data: { message: 'churnlab: injected internal server error' } });
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The wrapper

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
  const handler = matchedHandler(core.origin, method as keyof typeof METHODS, path, async ({ request, params }) => toResponse(await run(request, params)));
  directRoutes.set(handler, run);
  return handler;
}

async function handle<Id extends RouteId>(
  core: MockCore,
  id: Id,
  def: RouteDef<Id>,
  request: MockRequest,
  params: Record<string, string | undefined>,
): Promise<RawReply> {
  const { accounting, state } = core;
  const seq = accounting.nextSeq();
  const sessionID = params.sessionID;
  if (sessionID !== undefined) state.touch(sessionID, seq);
  const url = urlOf(request);
  const toolCallID = request.headers.get('x-churnlab-tool-call') ?? undefined;
  let bodyText = '';
  if (request.method !== 'GET' && request.method !== 'HEAD') bodyText = await request.text();
  const requestBytes = bodyText.length === 0 ? 0 : Buffer.byteLength(bodyText);
  const style = def.errors ?? 'opencode';
  let accountID = sessionID;

  const send = (status: number, text: string, error: boolean): RawReply => {
    const bytes = text.length === 0 ? 0 : Buffer.byteLength(text);
    accounting.record(id, accountID, toolCallID, bytes, requestBytes, error);
    return { kind: 'json', status, text, bytes };
  };

  try {
    let body: Record<string, unknown> = {};
    if (bodyText.length > 0) {
      try {
        body = JSON.parse(bodyText) as Record<string, unknown>;
      } catch {
        throw badRequest('Malformed JSON in request body');
      }
    }
    // A session created as a child names its parent: that counts as a reference (orphans).
    if (typeof body.parentID === 'string') state.touch(body.parentID, seq);

    const fault = core.faults.take(id, sessionID);
    let cut = false;
    if (fault !== undefined && !def.handles?.includes(fault.kind)) {
      const agent = typeof body.agent === 'string' ? body.agent : 'unknown';
      const error = faultError(fault.kind, style, { ...(sessionID ? { sessionID } : {}), path: url.pathname, agent });
      if (error) return send(error.status, JSON.stringify(error.body), true);
      if (fault.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
      else if (fault.kind === 'malformed-200') return send(200, '{}', true);
      else if (fault.kind === 'drop') cut = true;
    }

    const directory = directoryOf(url, request, core.directory);
    const ctx: RouteContext = {
      core,
      request,
      params,
      url,
      directory,
      sessionID,
      toolCallID,
      seq,
      fault: fault !== undefined && def.handles?.includes(fault.kind) ? fault : undefined,
      body,
      accountTo: (other) => {
        accountID = other;
      },
    };
    const reply = await def.resolve(ctx);
    if ('stream' in reply) {
      // Streams (SSE, LLM streaming) count their own bytes as they write them.
      accounting.record(id, accountID, toolCallID, 0, requestBytes, fault !== undefined);
      return { kind: 'stream', ...reply };
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    if (cut) {
      accounting.record(id, accountID, toolCallID, Buffer.byteLength(text) >> 1, requestBytes, true);
      return cutReply(reply.status, text);
    }
    return send(reply.status, text, reply.status >= 400);
  } catch (error) {
    if (error instanceof HttpError) return send(error.status, JSON.stringify(error.body), true);
    if (error instanceof ConnectionDropped) {
      accounting.record(id, accountID, toolCallID, 0, requestBytes, true);
      return { kind: 'network-error' };
    }
    const message = error instanceof Error ? error.message : String(error);
    return send(500, JSON.stringify({ name: 'UnknownError', data: { message } }), true);
  }
}

/** Thrown by a route to answer with a dropped connection (e.g. a prompt cut by restart()). */
export class ConnectionDropped extends Error {}

export function directoryOf(url: URL, request: MockRequest, fallback: string): string {
  const query = url.searchParams.get('directory');
  if (query) return query;
  const header = request.headers.get('x-opencode-directory');
  if (header) return safeDecode(header);
  return fallback;
}
