// Matching requests to routes without msw's per-request path compilation: a precompiled regex per
// route, one URL parse per request (shared by every handler's predicate).
import type { MockRequest } from './responses.ts';

export interface RouteMatcher {
  method: string;
  /** Express-style path: /session/:sessionID. */
  path: string;
  match(pathname: string): Record<string, string> | undefined;
}

/** Route info of handlers made here, so the loopback server can dispatch without trying each. */
export const routeMatchers = new WeakMap<object, RouteMatcher>();

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

export function safeDecode(value: string): string {
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
