// Session routes: list, create, status, get, update, delete, children, fork, abort, summarize.
import type { HttpHandler } from 'msw';
import type { MockCore } from '../core.ts';
import { badRequest, ok, sessionNotFound } from '../responses.ts';
import { route } from '../route.ts';
import { overrideOf, runSummarize } from '../prompt.ts';
import { storedMessage, wentIdle } from '../publish.ts';
import type { SessionInfo, V2 } from '../types.ts';

type CreateBody = NonNullable<V2.SessionCreateData['body']>;
type UpdateBody = NonNullable<V2.SessionUpdateData['body']>;

function numberParam(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function mustGet(core: MockCore, id: string | undefined): SessionInfo {
  const info = id === undefined ? undefined : core.state.get(id);
  if (info === undefined) throw sessionNotFound(id ?? '');
  return info;
}

export function sessionHandlers(core: MockCore): HttpHandler[] {
  // In this order: the first matching route wins.
  return [...sessionReadRoutes(core), ...sessionWriteRoutes(core), ...sessionTreeRoutes(core), ...sessionControlRoutes(core)];
}

/** Status, one session, and the list. */
function sessionReadRoutes(core: MockCore): HttpHandler[] {
  const { state } = core;
  return [
    // Before /session/:sessionID, which would otherwise take "status" for an id.
    route(core, 'session.status', {
      resolve: (ctx) => ok(state.statuses(ctx.directory)),
    }),
    route(core, 'session.get', {
      resolve: (ctx) => ok(mustGet(core, ctx.sessionID)),
    }),
    route(core, 'session.list', {
      resolve: (ctx) => {
        const q = ctx.url.searchParams;
        const roots = q.get('roots');
        const limit = numberParam(q.get('limit'));
        const start = numberParam(q.get('start'));
        const search = q.get('search');
        return ok(
          state.list({
            directory: ctx.directory,
            roots: roots === 'true',
            ...(limit !== undefined ? { limit } : {}),
            ...(start !== undefined ? { start } : {}),
            ...(search ? { search } : {}),
          }),
        );
      },
    }),
  ];
}

/** Create, update and delete. */
function sessionWriteRoutes(core: MockCore): HttpHandler[] {
  const { state, bus } = core;
  return [
    route(core, 'session.create', {
      resolve: (ctx) => {
        const body = ctx.body as CreateBody;
        if (body.parentID !== undefined && !state.has(body.parentID)) throw sessionNotFound(body.parentID);
        const info = state.create({
          directory: ctx.directory,
          ...(body.title !== undefined ? { title: body.title } : {}),
          ...(body.parentID !== undefined ? { parentID: body.parentID } : {}),
          ...(body.agent !== undefined ? { agent: body.agent } : {}),
          ...(body.model !== undefined ? { model: body.model } : {}),
          ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
        });
        state.touch(info.id, ctx.seq);
        ctx.accountTo(info.id);
        // The real server announces a new session with session.created alone.
        bus.publish(info.directory, { type: 'session.created', properties: { sessionID: info.id, info } });
        return ok(info);
      },
    }),
    route(core, 'session.update', {
      resolve: (ctx) => {
        mustGet(core, ctx.sessionID);
        const body = ctx.body as UpdateBody;
        const info = state.update(ctx.sessionID!, {
          ...(body.title !== undefined ? { title: body.title } : {}),
          ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
          ...(body.time !== undefined ? { time: body.time } : {}),
        })!;
        bus.publish(info.directory, { type: 'session.updated', properties: { sessionID: info.id, info } });
        return ok(info);
      },
    }),
    route(core, 'session.delete', {
      resolve: (ctx) => {
        mustGet(core, ctx.sessionID);
        for (const info of state.delete(ctx.sessionID!)) {
          core.inflight.get(info.id)?.abort('deleted');
          core.accounting.sessionDeleted(info.id);
          bus.publish(info.directory, { type: 'session.deleted', properties: { sessionID: info.id, info } });
        }
        return ok(true);
      },
    }),
  ];
}

/** Children and forks. */
function sessionTreeRoutes(core: MockCore): HttpHandler[] {
  const { state, bus } = core;
  return [
    route(core, 'session.children', {
      resolve: (ctx) => {
        mustGet(core, ctx.sessionID);
        return ok(state.children(ctx.sessionID!));
      },
    }),
    route(core, 'session.fork', {
      resolve: (ctx) => {
        mustGet(core, ctx.sessionID);
        const messageID = (ctx.body as NonNullable<V2.SessionForkData['body']>).messageID;
        const info = state.fork(ctx.sessionID!, messageID)!;
        state.touch(info.id, ctx.seq);
        // As the real server: session.created, then every copied message with its parts.
        bus.publish(info.directory, { type: 'session.created', properties: { sessionID: info.id, info } });
        const time = core.now();
        if (bus.active) for (const message of state.record(info.id)!.messages) storedMessage(core, info.directory, message, time);
        return ok(info);
      },
    }),
  ];
}

/** Abort and summarize a session in flight or at rest. */
function sessionControlRoutes(core: MockCore): HttpHandler[] {
  const { state } = core;
  return [
    route(core, 'session.abort', {
      // The real server answers true for any id, busy or not, and says the session is idle (even
      // an unknown one, in the request's directory); a reply in flight ends with session.error.
      resolve: (ctx) => {
        const id = ctx.sessionID;
        if (id !== undefined) {
          core.inflight.get(id)?.abort('user');
          if (state.has(id)) state.setStatus(id, 'idle');
          wentIdle(core, state.record(id)?.info.directory ?? ctx.directory, id);
        }
        return ok(true);
      },
    }),
    route(core, 'session.summarize', {
      resolve: (ctx) => {
        mustGet(core, ctx.sessionID);
        const body = ctx.body as Partial<NonNullable<V2.SessionSummarizeData['body']>>;
        if (body.providerID !== undefined && typeof body.providerID !== 'string') throw badRequest('providerID must be a string');
        const model = body.providerID && body.modelID ? { providerID: body.providerID, modelID: body.modelID } : undefined;
        runSummarize(core, state.record(ctx.sessionID!)!, model, overrideOf(body as Record<string, unknown>));
        return ok(true);
      },
    }),
  ];
}
