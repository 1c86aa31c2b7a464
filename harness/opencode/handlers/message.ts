// Message routes: list, get one, prompt (sync), prompt_async.
import type { HttpHandler } from 'msw';
import type { MockCore } from '../core.ts';
import { badRequest, notFound, ok, sessionNotFound } from '../responses.ts';
import { route, type RouteContext } from '../route.ts';
import { runPrompt, type PromptBody } from '../prompt.ts';
import type { AssistantMessageInfo, MessageWithParts } from '../types.ts';
import type { SessionRecord } from '../state.ts';

function recordOf(core: MockCore, id: string | undefined): SessionRecord {
  const rec = id === undefined ? undefined : core.state.record(id);
  if (rec === undefined) throw sessionNotFound(id ?? '');
  return rec;
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
        const limit = q.get('limit');
        const before = q.get('before');
        const messages = core.state.messages(ctx.sessionID!, {
          ...(limit !== null && limit !== '' && Number.isFinite(Number(limit)) ? { limit: Number(limit) } : {}),
          ...(before ? { before } : {}),
        })!;
        return ok(messages);
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
        const reply = await runPrompt(core, rec, promptBody(ctx), { fault: ctx.fault });
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
