// Message routes: list, get one, prompt (sync), prompt_async.
import type { HttpHandler } from 'msw';
import type { MockCore } from '../core.ts';
import { badRequest, HttpError, notFound, ok, sessionNotFound } from '../responses.ts';
import { route, type RouteContext } from '../route.ts';
import { runPrompt, type PromptBody } from '../prompt.ts';
import type { AssistantMessageInfo, MessageWithParts } from '../types.ts';
import type { SessionRecord } from '../state.ts';

function recordOf(core: MockCore, id: string | undefined): SessionRecord {
  const rec = id === undefined ? undefined : core.state.record(id);
  if (rec === undefined) throw sessionNotFound(id ?? '');
  return rec;
}

/** The real server's answer to a `before` it cannot read (a message id, or no `limit`): 400 `{"_tag":"BadRequest"}`. */
const badCursor = () => new HttpError(400, { _tag: 'BadRequest' });

/** The real server's page cursor: base64url of `{"id":"msg_…","time":<created ms>}` of the oldest message of a page. */
export function encodeCursor(message: MessageWithParts): string {
  return Buffer.from(JSON.stringify({ id: message.info.id, time: message.info.time.created })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown; time?: unknown };
    if (typeof value.id === 'string' && typeof value.time === 'number') return value.id;
  } catch {
    // not a cursor
  }
  throw badCursor();
}

function promptBody(ctx: RouteContext): PromptBody {
  const body = ctx.body as Partial<PromptBody>;
  if (!Array.isArray(body.parts)) throw badRequest('Expected parts to be an array');
  return body as PromptBody;
}

export function messageHandlers(core: MockCore): HttpHandler[] {
  return [
    route(core, 'session.messages', {
      resolve: (ctx) => {
        recordOf(core, ctx.sessionID);
        const q = ctx.url.searchParams;
        const limitText = q.get('limit');
        const limit = limitText !== null && limitText !== '' && Number.isFinite(Number(limitText)) ? Number(limitText) : undefined;
        const cursor = q.get('before');
        // As the real server: `before` is its own page cursor, and only with a `limit`.
        if (cursor && limit === undefined) throw badCursor();
        const before = cursor ? decodeCursor(cursor) : undefined;
        const messages = core.state.messages(ctx.sessionID!, { ...(limit !== undefined ? { limit } : {}), ...(before ? { before } : {}) })!;
        const oldest = messages[0];
        const all = core.state.messages(ctx.sessionID!)!;
        if (limit === undefined || !oldest || all[0] === oldest) return ok(messages);
        // Older messages remain: the next page's cursor, as a header and as a link.
        const next = encodeCursor(oldest);
        const link = `${ctx.url.origin}${ctx.url.pathname}?limit=${limit}&before=${next}`;
        return ok(messages, { 'x-next-cursor': next, link: `<${link}>; rel="next"` });
      },
    }),
    route(core, 'session.message', {
      resolve: (ctx) => {
        // The real server looks the message up alone: an unknown session answers "Message not found".
        const messageID = ctx.params.messageID ?? '';
        const message = core.state.record(ctx.sessionID ?? '') === undefined ? undefined : core.state.message(ctx.sessionID!, messageID);
        if (message === undefined) throw notFound(`Message not found: ${messageID}`);
        return ok(message);
      },
    }),
    route(core, 'session.prompt', {
      handles: ['latency', 'malformed-200'],
      resolve: async (ctx) => {
        const rec = recordOf(core, ctx.sessionID);
        const body = promptBody(ctx);
        // The real server has no such model: a 500 UnknownError (measured on 1.18.33), not a reply.
        if (body.model && (body.model.providerID !== core.shape.providerID || body.model.modelID !== core.shape.modelID)) {
          throw new HttpError(500, {
            name: 'UnknownError',
            data: {
              message: 'Unexpected server error. Check server logs for details.',
              ref: `err_${ctx.seq.toString(16).padStart(8, '0')}`,
            },
          });
        }
        const reply = await runPrompt(core, rec, body, { fault: ctx.fault });
        // With noReply the real server answers with the user message; the SDK types say assistant.
        return ok(reply as MessageWithParts<AssistantMessageInfo>);
      },
    }),
    route(core, 'session.prompt_async', {
      handles: ['latency', 'malformed-200'],
      resolve: (ctx) => {
        const rec = recordOf(core, ctx.sessionID);
        const body = promptBody(ctx);
        const fault = ctx.fault;
        // Accepted now, answered after the response: events tell the caller when it is done.
        setImmediate(() => {
          runPrompt(core, rec, body, { fault }).catch(() => {
            // A restart() cut it; the session keeps the unfinished reply, as after a crash.
          });
        });
        return { status: 204, body: undefined };
      },
    }),
  ];
}
