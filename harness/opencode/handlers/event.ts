// GET /event (the bus as SSE) and GET /global/health.
import type { HttpHandler } from 'msw';
import type { MockCore } from '../core.ts';
import { ok } from '../responses.ts';
import { route } from '../route.ts';
import { OPENCODE_VERSION } from '../types.ts';

export function eventHandlers(core: MockCore): HttpHandler[] {
  return [
    route(core, 'event.subscribe', {
      handles: ['drop', 'sse-cut', 'sse-stall'],
      resolve: (ctx) => core.sse.open(ctx.request, ctx.directory, ctx.fault),
    }),
    route(core, 'global.health', {
      resolve: () => ok({ healthy: true as const, version: OPENCODE_VERSION }),
    }),
  ];
}
