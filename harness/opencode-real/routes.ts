// Which OpenCode route a proxied request is, by the mock's own route table and matchers (so a
// FaultSpec names the same routes on both servers).
import { compileRoute, type RouteMatcher } from '../opencode/match.ts';
import { OPENCODE_ROUTES, type OpenCodeRouteId } from '../opencode/types.ts';

const MATCHERS: ReadonlyArray<readonly [OpenCodeRouteId, RouteMatcher]> = (
  Object.entries(OPENCODE_ROUTES) as Array<[OpenCodeRouteId, readonly [string, string]]>
).map(([id, [method, path]]) => [id, compileRoute(method, path)] as const);

export interface RouteHit {
  route: OpenCodeRouteId;
  sessionID: string | undefined;
}

/** The route a METHOD pathname is, in the table's order (GET /session/status before /session/:id). */
export function identifyRoute(method: string, pathname: string): RouteHit | undefined {
  for (const [route, matcher] of MATCHERS) {
    if (matcher.method !== method) continue;
    const params = matcher.match(pathname);
    if (params !== undefined) return { route, sessionID: params.sessionID };
  }
  return undefined;
}
