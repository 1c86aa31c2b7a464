// Scripting a mock that runs in another process: faults, accounting, LLM records, seeding and
// restart over HTTP under /__churnlab/. Not OpenCode routes: never counted by accounting.
import type { HttpHandler } from 'msw';
import type { MockCore } from '../core.ts';
import type { FaultSpec } from '../faults.ts';
import { jsonText } from '../responses.ts';
import { matchedHandler } from '../route.ts';
import type { ReplyShape } from '../reply.ts';
import type { SeedOptions } from '../state.ts';

export interface ControlActions {
  setReplyShape(shape: Partial<ReplyShape>): void;
  restart(opts: { keepState: boolean }): Promise<void>;
  persist(): unknown;
}

const json = (value: unknown, status = 200) => jsonText(status, JSON.stringify(value ?? null));

async function bodyOf<T>(request: Request): Promise<T> {
  const text = await request.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export const CONTROL_PREFIX = '/__churnlab';

export function controlHandlers(core: MockCore, actions: ControlActions): HttpHandler[] {
  const o = core.origin;
  const p = CONTROL_PREFIX;
  return [
    matchedHandler(o, 'GET', `${p}/accounting`, ({ request }) => {
      const since = new URL(request.url).searchParams.get('orphansSince');
      return json(core.accounting.snapshot(since ? { orphansSince: Number(since) } : {}));
    }),
    matchedHandler(o, 'POST', `${p}/accounting/reset`, () => {
      core.accounting.reset();
      return json(true);
    }),
    matchedHandler(o, 'POST', `${p}/accounting/mark-orphans`, () => json({ seq: core.accounting.markOrphans() })),
    matchedHandler(o, 'GET', `${p}/faults`, () => json(core.faults.list().map((f) => ({ id: f.id, spec: f.spec, hits: f.hits })))),
    matchedHandler(o, 'POST', `${p}/faults`, async ({ request }) => {
      try {
        const handle = core.faults.add(await bodyOf<FaultSpec>(request));
        return json({ id: handle.id });
      } catch (error) {
        return json({ error: (error as Error).message }, 400);
      }
    }),
    matchedHandler(o, 'DELETE', `${p}/faults`, () => {
      core.faults.clear();
      return json(true);
    }),
    matchedHandler(o, 'DELETE', `${p}/faults/:id`, ({ params }) => {
      core.faults.remove(Number(params.id));
      return json(true);
    }),
    matchedHandler(o, 'GET', `${p}/llm/requests`, () => json({ total: core.llm.total, requests: core.llm.requests() })),
    matchedHandler(o, 'DELETE', `${p}/llm/requests`, () => {
      core.llm.clear();
      return json(true);
    }),
    matchedHandler(o, 'POST', `${p}/reply-shape`, async ({ request }) => {
      actions.setReplyShape(await bodyOf<Partial<ReplyShape>>(request));
      return json(core.shape);
    }),
    matchedHandler(o, 'POST', `${p}/seed`, async ({ request }) => {
      const { id, ...opts } = await bodyOf<SeedOptions & { id?: string }>(request);
      return json(core.state.seedSession(id, opts));
    }),
    matchedHandler(o, 'POST', `${p}/restart`, async ({ request }) => {
      const { keepState } = await bodyOf<{ keepState?: boolean }>(request);
      await actions.restart({ keepState: keepState === true });
      return json(true);
    }),
    matchedHandler(o, 'POST', `${p}/persist`, () => {
      actions.persist();
      return json(true);
    }),
  ];
}
