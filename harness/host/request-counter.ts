// Counts the requests a service target answers, per route, from inside its process: every
// http.Server's 'request' event, with the route's ids folded (":id") so the counters stay bounded
// by the service's routes, never by its sessions. Errors: a 5xx answer, or none at all.
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';

/** Distinct routes kept; the rest are counted under "other". */
const MAX_ROUTES = 100;

export interface RequestCounts {
  requests: number;
  routes: Record<string, { requests: number; errors: number }>;
}

/** A path segment that names an instance, not a route: OpenCode ids, numbers, uuids, long hex/base62 tokens. */
function isId(segment: string): boolean {
  return (
    /^(ses|msg|prt|per|call|evt)_/.test(segment) ||
    /^\d+$/.test(segment) ||
    /^[0-9a-f-]{16,}$/i.test(segment) ||
    (segment.length >= 12 && /\d/.test(segment) && /^[\w-]+$/.test(segment))
  );
}

export function routeOf(method: string | undefined, url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!;
  return `${method ?? 'GET'} ${path
    .split('/')
    .map((s) => (s && isId(s) ? ':id' : s))
    .join('/')}`;
}

export function countRequests(): RequestCounts {
  const counts: RequestCounts = { requests: 0, routes: {} };
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      let route = routeOf(req.method, req.url);
      if (!(route in counts.routes) && Object.keys(counts.routes).length >= MAX_ROUTES) route = 'other';
      const entry = (counts.routes[route] ??= { requests: 0, errors: 0 });
      entry.requests += 1;
      counts.requests += 1;
      res.once('close', () => {
        if (!res.writableFinished || res.statusCode >= 500) entry.errors += 1;
      });
    }
    return (emit as (this: Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof Server.prototype.emit;
  return counts;
}
