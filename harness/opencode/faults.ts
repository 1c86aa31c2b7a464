// Faults on demand: a scenario adds a rule ("the next 3 session.get calls for ses_X answer 404"),
// the route wrapper asks `take()` on every request. With no rules, take() is one length check.
import type { RouteId } from './types.ts';

export type FaultKind =
  '404' | '410' | '422-format' | 'unknown-agent' | '500' | 'malformed-200' | 'latency' | 'drop' | 'sse-cut' | 'sse-stall';

export const FAULT_KINDS: readonly FaultKind[] = [
  '404',
  '410',
  '422-format',
  'unknown-agent',
  '500',
  'malformed-200',
  'latency',
  'drop',
  'sse-cut',
  'sse-stall',
];

export interface FaultSpec {
  kind: FaultKind;
  /** Route id(s) the fault applies to; '*' or absent: every route it makes sense for. */
  route?: RouteId | readonly RouteId[] | '*';
  /** Only requests naming this session in their path. */
  sessionID?: string;
  /** How many requests get the fault, then the rule removes itself. Absent: until removed. */
  times?: number;
  /** Let this many matching requests through unharmed first. */
  skip?: number;
  /** 'latency': delay before answering (session.prompt: while the session is busy). Default 1000. */
  latencyMs?: number;
  /** 'drop' | 'sse-cut' | 'sse-stall' on GET /event: events delivered first (server.connected counts). Default 1. */
  afterEvents?: number;
}

export interface FaultHandle {
  readonly id: number;
  readonly spec: Readonly<FaultSpec>;
  /** Requests that got this fault so far. */
  readonly hits: number;
  /** False once used up or removed. */
  readonly active: boolean;
  remove(): void;
}

/** SSE-only kinds make no sense on JSON routes (and vice versa for nothing): filter by route. */
const SSE_ONLY: ReadonlySet<FaultKind> = new Set(['sse-cut', 'sse-stall']);

class Rule implements FaultHandle {
  hits = 0;
  active = true;
  private skipped = 0;
  private readonly routes: ReadonlySet<RouteId> | undefined;

  constructor(
    readonly id: number,
    readonly spec: Readonly<FaultSpec>,
    private readonly owner: FaultController,
  ) {
    const route = spec.route;
    this.routes = route === undefined || route === '*' ? undefined : new Set(typeof route === 'string' ? [route] : route);
  }

  matches(route: RouteId, sessionID: string | undefined): boolean {
    if (this.routes !== undefined && !this.routes.has(route)) return false;
    if (SSE_ONLY.has(this.spec.kind) && route !== 'event.subscribe') return false;
    if (this.spec.sessionID !== undefined && this.spec.sessionID !== sessionID) return false;
    return true;
  }

  /** Consume one use; false while skipping. */
  use(): boolean {
    if (this.skipped < (this.spec.skip ?? 0)) {
      this.skipped += 1;
      return false;
    }
    this.hits += 1;
    if (this.spec.times !== undefined && this.hits >= this.spec.times) this.owner.remove(this);
    return true;
  }

  remove(): void {
    this.owner.remove(this);
  }
}

export class FaultController {
  private rules: Rule[] = [];
  private nextId = 1;

  add(spec: FaultSpec): FaultHandle {
    if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`unknown fault kind: ${String(spec.kind)}`);
    if (spec.times !== undefined && !(spec.times > 0)) throw new Error('fault times must be > 0');
    const rule = new Rule(this.nextId++, { ...spec }, this);
    this.rules = [...this.rules, rule];
    return rule;
  }

  remove(handle: FaultHandle | number): void {
    const id = typeof handle === 'number' ? handle : handle.id;
    const rule = this.rules.find((r) => r.id === id);
    if (rule === undefined) return;
    rule.active = false;
    this.rules = this.rules.filter((r) => r !== rule);
  }

  clear(): void {
    for (const rule of this.rules) rule.active = false;
    this.rules = [];
  }

  list(): FaultHandle[] {
    return [...this.rules];
  }

  /** The fault this request gets, if any (first matching rule in the order they were added). */
  take(route: RouteId, sessionID: string | undefined): Readonly<FaultSpec> | undefined {
    if (this.rules.length === 0) return undefined;
    for (const rule of this.rules) {
      if (rule.matches(route, sessionID) && rule.use()) return rule.spec;
    }
    return undefined;
  }
}
