// What routes answer and how errors look: the real server's NamedError bodies, JSON and
// streamed replies, and how a reply becomes a fetch Response (for msw) or goes to a socket as is.

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

export type Reply<T> = { readonly status: number; readonly body: T; readonly headers?: Readonly<Record<string, string>> } | StreamReply;

export const ok = <T>(body: T, headers?: Record<string, string>): { status: 200; body: T; headers?: Record<string, string> } => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});

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
  | {
      readonly kind: 'json';
      readonly status: number;
      readonly text: string;
      readonly bytes: number;
      readonly headers?: Readonly<Record<string, string>>;
    }
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

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const encoder = new TextEncoder();

export function jsonText(status: number, text: string, headers?: Readonly<Record<string, string>>): Response {
  return new Response(status === 204 ? null : text, { status, headers: status === 204 ? {} : { ...JSON_HEADERS, ...headers } });
}

export function toResponse(raw: RawReply): Response {
  switch (raw.kind) {
    case 'json':
      return jsonText(raw.status, raw.text, raw.headers);
    case 'stream':
      return new Response(raw.stream, { status: raw.status, headers: raw.headers });
    case 'network-error':
      // A network error for the client, as a dying server gives.
      return Response.error();
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

/** Thrown by a route to answer with a dropped connection (e.g. a prompt cut by restart()). */
export class ConnectionDropped extends Error {}
