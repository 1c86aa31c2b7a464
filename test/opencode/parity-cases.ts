// Contract cases that run against any OpenCode backend, the mock or the real `opencode serve`:
// each drives the real SDK clients and returns an observation with ids, times and counters
// normalised away, so the two servers' observations can be compared for equality. Each case names
// the routes and events it covers (the parity test lists what matches). Every body is also
// checked against the real server's OpenAPI schema.
import { createOpencodeClient } from '@opencode-ai/sdk/v2';
import { createOpencodeClient as createV1Client } from '@opencode-ai/sdk';
import type { OpenCodeBackend } from '../../harness/opencode/backend.ts';
import type { MockEvent, RouteId } from '../../harness/opencode/index.ts';
import { eventLabel as label } from './helpers.ts';
import { check, responseSchema } from './openapi.ts';

export interface CaseContext {
  backend: OpenCodeBackend;
  v2: ReturnType<typeof createOpencodeClient>;
  v1: ReturnType<typeof createV1Client>;
  /** Every event of GET /event since the backend started (one subscription per backend). */
  events: MockEvent[];
  /** Schema problems found so far (must stay empty). */
  schemaProblems: string[];
}

export interface ParityCase {
  name: string;
  routes: RouteId[];
  events?: string[];
  run(ctx: CaseContext): Promise<unknown>;
}

const UNKNOWN_SESSION = 'ses_0000000000000000000000000';
const text = (t: string) => [{ type: 'text' as const, text: t }];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(condition: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function conforms(ctx: CaseContext, operationId: string, body: unknown): void {
  for (const problem of check(responseSchema(operationId), body)) ctx.schemaProblems.push(`${operationId}: ${problem}`);
}

const sessionOf = (e: MockEvent): string | undefined => {
  const p = e.properties as { sessionID?: string; info?: { id?: string; sessionID?: string }; part?: { sessionID?: string } };
  return p.sessionID ?? p.info?.sessionID ?? p.part?.sessionID ?? (e.type.startsWith('session.') ? p.info?.id : undefined);
};

/**
 * Labels the real server publishes from a concurrent task, so where they first appear varies
 * between runs: a step's session.diff (with its session.updated) comes before or after the
 * step's second busy and its step-start part. Each must only come after the label named here.
 */
export const FLOATING_LABELS: Record<string, string> = { 'session.diff': 'message.updated:assistant' };

/**
 * The events of one session, in a form both servers must agree on: each label in the order it first
 * appeared (floating labels left out, with whether each came after its anchor), and how many times
 * each label came (the real server repeats some: a second busy, two message.updated for a
 * finished reply). Exact order is not compared: the real server publishes a step's second `busy`
 * and its session.updated + session.diff concurrently, in either order.
 */
export function sessionEvents(
  events: readonly MockEvent[],
  sessionID: string,
): { order: string[]; floating: Record<string, string>; counts: Record<string, number> } {
  const labels = events.filter((e) => sessionOf(e) === sessionID).map(label);
  const order: string[] = [];
  const counts: Record<string, number> = {};
  for (const l of labels) {
    if (!order.includes(l) && FLOATING_LABELS[l] === undefined) order.push(l);
    counts[l] = (counts[l] ?? 0) + 1;
  }
  const floating: Record<string, string> = {};
  for (const [l, anchor] of Object.entries(FLOATING_LABELS)) {
    const at = labels.indexOf(l);
    if (at === -1) continue;
    const anchorAt = labels.indexOf(anchor);
    floating[l] = anchorAt !== -1 && anchorAt < at ? `after ${anchor}` : `NOT after ${anchor}`;
  }
  return { order, floating, counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) };
}

/** Events about no session and not about the connection: a directory's instance starting up. */
const isInstanceNotice = (e: MockEvent): boolean =>
  sessionOf(e) === undefined && !['server.connected', 'server.heartbeat'].includes(e.type);

/** FAKE-REPLY#17 (saw 3 …) -> FAKE-REPLY#n (saw 3 …): the counter depends on what ran before. */
const replyText = (t: string | undefined) => t?.replace(/^FAKE-REPLY#\d+/, 'FAKE-REPLY#n');

function textOf(parts: Array<{ type: string; text?: string }>): string | undefined {
  return replyText(parts.find((p) => p.type === 'text')?.text);
}

export const PARITY_CASES: ParityCase[] = [
  {
    name: 'health',
    routes: ['global.health'],
    async run(ctx) {
      const res = await ctx.v2.global.health();
      conforms(ctx, 'global.health', res.data);
      return res.data;
    },
  },
  {
    name: 'create, get, list, update, delete a session; 404 after delete',
    routes: ['session.create', 'session.get', 'session.list', 'session.update', 'session.delete'],
    async run(ctx) {
      const a = await ctx.v2.session.create({ title: 'parity a' });
      conforms(ctx, 'session.create', a.data);
      const b = (await ctx.v1.session.create({ body: { title: 'parity b' } })).data!;
      const got = await ctx.v1.session.get({ path: { id: a.data!.id } });
      conforms(ctx, 'session.get', got.data);
      const list = await ctx.v2.session.list();
      conforms(ctx, 'session.list', list.data);
      const ids = list.data!.map((s) => s.id);
      const updated = await ctx.v2.session.update({ sessionID: a.data!.id, title: 'parity renamed' });
      conforms(ctx, 'session.update', updated.data);
      const deleted = await ctx.v2.session.delete({ sessionID: a.data!.id });
      const gone = await ctx.v2.session.get({ sessionID: a.data!.id });
      await ctx.v2.session.delete({ sessionID: b.id });
      return {
        createStatus: a.response.status,
        idShape: /^ses_[0-9a-zA-Z]{26}$/.test(a.data!.id),
        title: a.data!.title,
        version: a.data!.version,
        keys: Object.keys(a.data!).sort(),
        getSame: got.data!.id === a.data!.id,
        listHasBoth: ids.includes(a.data!.id) && ids.includes(b.id),
        newestFirst: ids.indexOf(b.id) < ids.indexOf(a.data!.id),
        updatedTitle: updated.data!.title,
        deleted: deleted.data,
        goneStatus: gone.response.status,
        goneError: JSON.stringify(gone.error).replace(a.data!.id, '<id>'),
      };
    },
  },
  {
    name: 'children, and a parent delete takes its children',
    routes: ['session.create', 'session.children', 'session.delete', 'session.get'],
    async run(ctx) {
      const parent = (await ctx.v2.session.create({ title: 'parity parent' })).data!;
      const child = (await ctx.v2.session.create({ title: 'parity child', parentID: parent.id })).data!;
      const children = await ctx.v1.session.children({ path: { id: parent.id } });
      conforms(ctx, 'session.children', children.data);
      const roots = (await ctx.v2.session.list({ roots: true })).data!.map((s) => s.id);
      await ctx.v2.session.delete({ sessionID: parent.id });
      return {
        childParent: child.parentID === parent.id,
        children: children.data!.map((c) => c.id === child.id),
        rootsHideChild: !roots.includes(child.id),
        childAfterParentDelete: (await ctx.v2.session.get({ sessionID: child.id })).response.status,
      };
    },
  },
  {
    name: 'prompt: an assistant reply from the fake LLM, which sees the history',
    routes: ['session.prompt', 'session.messages', 'session.message'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'parity prompt' })).data!;
      const first = await ctx.v2.session.prompt({ sessionID: session.id, parts: text('canary: BLUE-HERON') });
      conforms(ctx, 'session.prompt', first.data);
      const second = await ctx.v1.session.prompt({ path: { id: session.id }, body: { parts: text('what was the canary?') } });
      const seen = ctx.backend.llm.requests().at(-1)!;
      const all = await ctx.v2.session.messages({ sessionID: session.id });
      conforms(ctx, 'session.messages', all.data);
      const ids = all.data!.map((m) => m.info.id);
      const lastTwo = await ctx.v1.session.messages({ path: { id: session.id }, query: { limit: 2 } });
      // Not `before`: the real server takes only its own opaque cursor there (X-Next-Cursor / Link
      // of a limited listing) and answers a message id with 400; the mock takes a message id.
      const one = await ctx.v1.session.message({ path: { id: session.id, messageID: ids[1]! } });
      conforms(ctx, 'session.message', one.data);
      const missing = await ctx.v2.session.message({ sessionID: session.id, messageID: 'msg_nope' });
      const info = first.data!.info;
      return {
        role: info.role,
        finish: info.role === 'assistant' ? info.finish : undefined,
        completed: info.role === 'assistant' && info.time.completed !== undefined,
        model: info.role === 'assistant' ? `${info.providerID}/${info.modelID}` : undefined,
        parentIsUser: info.role === 'assistant' && info.parentID === ids[0],
        parts: first.data!.parts.map((p) => p.type),
        text: textOf(first.data!.parts),
        secondText: textOf(second.data!.parts),
        llmSawRoles: seen.messages.filter((m) => m.role !== 'system').map((m) => m.role),
        roles: all.data!.map((m) => m.info.role),
        oldestFirst: [...ids].sort().join() === ids.join(),
        limit2: lastTwo.data!.map((m) => m.info.id).join() === ids.slice(2).join(),
        oneId: one.data!.info.id === ids[1],
        missing: [missing.response.status, JSON.stringify(missing.error)],
      };
    },
  },
  {
    name: 'prompt with noReply: stores the user message, answers with it, no LLM call',
    routes: ['session.prompt'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'parity noReply' })).data!;
      const before = ctx.backend.llm.total;
      const res = await ctx.v2.session.prompt({ sessionID: session.id, noReply: true, parts: text('just context') });
      const messages = (await ctx.v2.session.messages({ sessionID: session.id })).data!;
      return {
        role: res.data!.info.role,
        parts: res.data!.parts.map((p) => p.type),
        stored: messages.map((m) => m.info.role),
        llmCalls: ctx.backend.llm.total - before,
      };
    },
  },
  {
    name: 'prompt_async: 204 at once, the reply follows, session.idle',
    routes: ['session.prompt_async'],
    events: ['session.idle'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'parity async' })).data!;
      const res = await ctx.v1.session.promptAsync({ path: { id: session.id }, body: { parts: text('later') } });
      await until(() => ctx.events.some((e) => e.type === 'session.idle' && sessionOf(e) === session.id), 'session.idle');
      const messages = (await ctx.v2.session.messages({ sessionID: session.id })).data!;
      const last = messages.at(-1)!.info;
      return {
        status: res.response.status,
        roles: messages.map((m) => m.info.role),
        finish: last.role === 'assistant' ? last.finish : undefined,
      };
    },
  },
  {
    name: "event stream: server.connected first, a prompt's events in order with their repeats, the instance's start-up notices",
    routes: ['event.subscribe'],
    events: [
      'server.connected',
      'session.created',
      'session.updated',
      'message.updated',
      'message.part.updated',
      'message.part.delta',
      'session.status',
      'session.idle',
      'session.diff',
      'plugin.added',
      'catalog.updated',
      'reference.updated',
      'integration.updated',
    ],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'parity events' })).data!;
      await ctx.v2.session.prompt({ sessionID: session.id, parts: text('hi') });
      await until(() => ctx.events.some((e) => e.type === 'session.idle' && sessionOf(e) === session.id), 'session.idle');
      // Ascending within a session's events; across the whole stream the real server's ids are
      // not (its buses number events on their own).
      await until(
        () => ctx.events.filter((e) => e.type === 'session.diff' && sessionOf(e) === session.id).length >= 2,
        'the last session.diff',
      );
      const ids = ctx.events.filter((e) => sessionOf(e) === session.id).map((e) => e.id);
      // The first reply of the run started the directory's instance (an earlier case's, here).
      const notices = ctx.events.filter(isInstanceNotice);
      return {
        first: ctx.events[0]?.type,
        idsAscending: [...ids].sort().join() === ids.join(),
        ...sessionEvents(ctx.events, session.id),
        instance: {
          plugins: notices.flatMap((e) => (e.type === 'plugin.added' ? [e.properties.id] : [])),
          others: notices.filter((e) => e.type !== 'plugin.added').map((e) => e.type),
        },
      };
    },
  },
  {
    name: 'session.deleted carries the info, for children too',
    routes: ['session.delete'],
    events: ['session.deleted'],
    async run(ctx) {
      const parent = (await ctx.v2.session.create({ title: 'parity del' })).data!;
      const child = (await ctx.v2.session.create({ title: 'parity del child', parentID: parent.id })).data!;
      await ctx.v2.session.delete({ sessionID: parent.id });
      const deleted = () =>
        ctx.events.filter((e) => e.type === 'session.deleted' && (sessionOf(e) === parent.id || sessionOf(e) === child.id));
      await until(() => deleted().length === 2, 'two session.deleted');
      return deleted().map((e) => (e.type === 'session.deleted' ? (e.properties.info.id === child.id ? 'child' : 'parent') : '?'));
    },
  },
  {
    name: 'fork: new ids, "(fork #1)" title, no parentID, history copied, each copy announced',
    routes: ['session.fork'],
    events: ['session.created', 'message.updated', 'message.part.updated'],
    async run(ctx) {
      const source = (await ctx.v2.session.create({ title: 'parity fork' })).data!;
      await ctx.v2.session.prompt({ sessionID: source.id, parts: text('one') });
      const original = (await ctx.v2.session.messages({ sessionID: source.id })).data!;
      const fork = await ctx.v2.session.fork({ sessionID: source.id });
      conforms(ctx, 'session.fork', fork.data);
      const copied = (await ctx.v2.session.messages({ sessionID: fork.data!.id })).data!;
      const partial = await ctx.v1.session.fork({ path: { id: source.id }, body: { messageID: original[1]!.info.id } });
      await until(() => ctx.events.filter((e) => sessionOf(e) === fork.data!.id).length >= 7, "the fork's events");
      return {
        events: ctx.events.filter((e) => sessionOf(e) === fork.data!.id).map(label),
        title: fork.data!.title,
        parentID: fork.data!.parentID,
        roles: copied.map((m) => m.info.role),
        newIds: copied.every((m) => m.info.sessionID === fork.data!.id && !original.some((o) => o.info.id === m.info.id)),
        partialTitle: partial.data!.title,
        partialCount: (await ctx.v2.session.messages({ sessionID: partial.data!.id })).data!.length,
      };
    },
  },
  {
    name: 'summarize: true, a user message marks the compaction, the summary answers it',
    routes: ['session.summarize'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'parity summarize' })).data!;
      await ctx.v2.session.prompt({ sessionID: session.id, parts: text('hello') });
      const res = await ctx.v1.session.summarize({ path: { id: session.id }, body: { providerID: 'fake', modelID: 'fake-1' } });
      const messages = (await ctx.v2.session.messages({ sessionID: session.id })).data!;
      conforms(ctx, 'session.messages', messages);
      const last = messages.at(-1)!.info;
      return {
        data: res.data,
        lastIsSummary: last.role === 'assistant' && last.summary === true,
        summaryBy: last.role === 'assistant' ? [last.agent, last.mode, last.parentID === messages.at(-2)!.info.id] : undefined,
        messages: messages.map((m) => `${m.info.role}:${m.parts.map((p) => p.type).join('+')}`),
      };
    },
  },
  {
    name: 'compaction: what the model is sent for a summary (one user message, the prior summary folded in) and for the prompts after it',
    routes: ['session.summarize', 'session.prompt'],
    events: ['session.compacted'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'parity compaction' })).data!;
      const from = ctx.backend.llm.total;
      const summarize = () => ctx.v2.session.summarize({ sessionID: session.id, providerID: 'fake', modelID: 'fake-1' });
      await ctx.v2.session.prompt({ sessionID: session.id, parts: text('one: remember GREEN-FINCH') });
      await summarize();
      await ctx.v2.session.prompt({ sessionID: session.id, parts: [...text('two a'), ...text('two b')] });
      await summarize();
      await ctx.v2.session.prompt({ sessionID: session.id, parts: text('three') });
      const anyReply = (t: string) => t.replace(/FAKE-REPLY#\d+/g, 'FAKE-REPLY#n');
      // The system prompt of a plain prompt is the server's own (9.6 KB on the real one): named only.
      const requests = ctx.backend.llm
        .requests()
        .filter((r) => r.n > from)
        .map((r) =>
          r.messages.map((m) =>
            m.role === 'system' && typeof m.content === 'string' && !m.content.startsWith('You are a context summarization agent')
              ? 'system'
              : { role: m.role, content: typeof m.content === 'string' ? anyReply(m.content) : m.content },
          ),
        );
      const stored = (await ctx.v2.session.messages({ sessionID: session.id })).data!;
      return {
        requests,
        stored: stored.map((m) => [
          m.info.role,
          m.info.role === 'assistant' && m.info.summary === true,
          m.parts.flatMap((p) => (p.type === 'text' ? [anyReply(p.text).slice(0, 60)] : p.type === 'compaction' ? ['<compaction>'] : [])),
        ]),
      };
    },
  },
  {
    name: 'server.heartbeat on the event stream (every 10 s)',
    routes: ['event.subscribe'],
    events: ['server.heartbeat'],
    async run(ctx) {
      // The stream has been open since the suite started; one more wait covers a fast suite.
      await until(() => ctx.events.some((e) => (e.type as string) === 'server.heartbeat'), 'a heartbeat', 25_000);
      const beat = ctx.events.find((e) => (e.type as string) === 'server.heartbeat')!;
      return { keys: Object.keys(beat).sort(), properties: beat.properties, id: /^evt_[0-9a-f]{12}[0-9A-Za-z]{14}$/.test(beat.id) };
    },
  },
  {
    name: 'status and abort: busy while the model is slow, MessageAbortedError after abort, idle after',
    routes: ['session.status', 'session.abort'],
    events: ['session.error', 'session.status', 'session.idle'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'parity abort' })).data!;
      const idle = await ctx.v2.session.status();
      conforms(ctx, 'session.status', idle.data);
      // Hold the model: the mock's prompt route holds itself; the real server waits on the fake LLM.
      const hold = ctx.backend.faults.add({
        route: ctx.backend.mode === 'mock' ? 'session.prompt' : 'llm.chat.completions',
        kind: 'latency',
        latencyMs: 60_000,
        times: 1,
      });
      const pending = ctx.v2.session.prompt({ sessionID: session.id, parts: text('long task') });
      await until(() => hold.hits === 1, 'the held prompt');
      await until(
        () => ctx.events.some((e) => e.type === 'session.status' && sessionOf(e) === session.id && e.properties.status.type === 'busy'),
        'busy',
      );
      const busy = (await ctx.v2.session.status()).data!;
      const abort = await ctx.v1.session.abort({ path: { id: session.id } });
      const res = await pending;
      await until(() => ctx.events.some((e) => e.type === 'session.idle' && sessionOf(e) === session.id), 'idle after abort');
      const info = res.data!.info;
      return {
        idleHasIt: idle.data![session.id] !== undefined,
        busy: busy[session.id],
        abort: abort.data,
        error: info.role === 'assistant' ? info.error : undefined,
        finish: info.role === 'assistant' ? info.finish : undefined,
        sessionError: ctx.events.some((e) => e.type === 'session.error' && sessionOf(e) === session.id),
        after: (await ctx.v2.session.status()).data![session.id],
        abortIdle: (await ctx.v2.session.abort({ sessionID: session.id })).data,
        abortUnknown: (await ctx.v2.session.abort({ sessionID: UNKNOWN_SESSION })).data,
        parts: res.data!.parts.map((p) => p.type),
        // session.error, idle + session.idle, the aborted reply, idle + session.idle; one more
        // idle pair for the abort of the idle session, and one for the unknown id.
        events: await (async () => {
          await until(
            () => ctx.events.filter((e) => e.type === 'session.idle' && sessionOf(e) === session.id).length >= 3,
            'idle after the idle abort',
          );
          await until(
            () => ctx.events.some((e) => e.type === 'session.idle' && sessionOf(e) === UNKNOWN_SESSION),
            'idle for the unknown id',
          );
          return sessionEvents(ctx.events, session.id);
        })(),
      };
    },
  },
  {
    name: '404 NotFoundError body for every session route given an unknown id',
    routes: [
      'session.get',
      'session.update',
      'session.delete',
      'session.children',
      'session.messages',
      'session.prompt',
      'session.prompt_async',
      'session.fork',
      'session.summarize',
      'session.message',
    ],
    async run(ctx) {
      const id = UNKNOWN_SESSION;
      const calls = {
        get: ctx.v2.session.get({ sessionID: id }),
        update: ctx.v2.session.update({ sessionID: id, title: 'x' }),
        delete: ctx.v2.session.delete({ sessionID: id }),
        children: ctx.v2.session.children({ sessionID: id }),
        messages: ctx.v2.session.messages({ sessionID: id }),
        prompt: ctx.v2.session.prompt({ sessionID: id, parts: text('x') }),
        promptAsync: ctx.v2.session.promptAsync({ sessionID: id, parts: text('x') }),
        fork: ctx.v2.session.fork({ sessionID: id }),
        summarize: ctx.v2.session.summarize({ sessionID: id, providerID: 'fake', modelID: 'fake-1' }),
        message: ctx.v2.session.message({ sessionID: id, messageID: 'msg_x' }),
      };
      const out: Record<string, unknown> = {};
      for (const [name, call] of Object.entries(calls)) {
        const res = await call;
        out[name] = [res.response.status, JSON.stringify(res.error)];
      }
      return out;
    },
  },
  {
    name: "session.messages pages with the server's own cursor; a message id as `before` is a 400",
    routes: ['session.messages'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'pages' })).data!;
      for (const t of ['one', 'two', 'three']) await ctx.v2.session.prompt({ sessionID: session.id, noReply: true, parts: text(t) });
      const ids = (await ctx.v2.session.messages({ sessionID: session.id })).data!.map((m) => m.info.id);
      const first = await ctx.v2.session.messages({ sessionID: session.id, limit: 1 });
      const cursor = first.response.headers.get('x-next-cursor');
      const decoded = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { id: string; time: unknown }) : undefined;
      const second = await ctx.v2.session.messages({ sessionID: session.id, limit: 1, before: cursor! });
      const byId = await ctx.v2.session.messages({ sessionID: session.id, limit: 1, before: ids[2] });
      const noLimit = await ctx.v2.session.messages({ sessionID: session.id, before: cursor! });
      const whole = await ctx.v2.session.messages({ sessionID: session.id, limit: ids.length });
      return {
        first: first.data!.map((m) => ids.indexOf(m.info.id)),
        cursor: decoded ? { id: ids.indexOf(decoded.id), time: typeof decoded.time } : null,
        link: /^<http:\/\/[^>]+\?limit=1&before=[A-Za-z0-9_-]+>; rel="next"$/.test(first.response.headers.get('link') ?? ''),
        second: second.data!.map((m) => ids.indexOf(m.info.id)),
        byId: [byId.response.status, byId.error],
        noLimit: noLimit.response.status,
        wholeCursor: whole.response.headers.get('x-next-cursor'),
      };
    },
  },
  {
    name: 'a prompt naming a model the server does not have is a 500 UnknownError, not a reply',
    routes: ['session.prompt'],
    async run(ctx) {
      const session = (await ctx.v2.session.create({ title: 'unknown model' })).data!;
      const provider = await ctx.v2.session.prompt({
        sessionID: session.id,
        model: { providerID: 'nope', modelID: 'fake-1' },
        parts: text('x'),
      });
      const model = await ctx.v2.session.prompt({
        sessionID: session.id,
        model: { providerID: 'fake', modelID: 'nope-9' },
        parts: text('x'),
      });
      const shape = (r: typeof provider) => {
        const e = r.error as { name?: string; data?: { message?: string; ref?: string } } | undefined;
        return [r.response.status, e?.name, e?.data?.message, /^err_[0-9a-z]{8}$/.test(e?.data?.ref ?? '')];
      };
      return [shape(provider), shape(model)];
    },
  },
];

/** A difference that stays (docs/real-opencode.md): each server's observation is pinned, so the docs stay true. */
export interface KnownDifference {
  name: string;
  routes: RouteId[];
  run(ctx: CaseContext): Promise<unknown>;
  mock: unknown;
  real: unknown;
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [];
