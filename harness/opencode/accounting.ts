// Exact accounting of what the mock served: calls and response bytes per route, per session and
// per tool call, live SSE connections, and orphaned sessions.
//
// Orphan, precisely: a session that (1) exists (created or seeded, never deleted), (2) is idle,
// and (3) has not been named by any request (a `{sessionID}` in the path, or the `parentID` of a
// created child) since the orphan mark. The mark is a request sequence number, not a time, so the
// definition does not depend on clocks: `markOrphans()` sets it to "now", `reset()` does too, and
// `snapshot({ orphansSince })` can use any earlier `seq`. A session created after the mark was
// named by its own creation request and so is never an orphan of that mark.
import type { RouteId } from './types.ts';

export interface CallStats {
  calls: number;
  /** Response body bytes (for SSE: every frame written). */
  bytes: number;
  /** Request body bytes. */
  requestBytes: number;
  /** Responses with status >= 400, dropped connections and other injected faults. */
  errors: number;
}

export interface SessionCallStats extends CallStats {
  byRoute: Partial<Record<RouteId, CallStats>>;
}

export interface AccountingSnapshot {
  /** Requests seen so far (monotonic across reset(); use it as an orphan mark). */
  seq: number;
  byRoute: Partial<Record<RouteId, CallStats>>;
  bySession: Record<string, SessionCallStats>;
  /** Keyed by the `x-churnlab-tool-call` request header the caller sent. */
  byToolCall: Record<string, SessionCallStats>;
  /** SSE connections open right now (not reset by reset()). */
  sseOpen: number;
  /** SSE connections opened since the last reset. */
  sseOpened: number;
  /** Events written to SSE connections since the last reset. */
  sseEvents: number;
  /** Orphaned sessions (see the definition at the top of accounting.ts), oldest first. */
  orphans: string[];
  /**
   * Deleted sessions whose own entry was folded into `evicted` to bound memory (the oldest
   * deleted first, beyond `maxDeletedSessions`); tool-call entries beyond `maxToolCalls` likewise.
   */
  evicted: { sessions: number; sessionTotals: CallStats; toolCalls: number; toolCallTotals: CallStats };
  /** The orphan mark used for `orphans`. */
  orphansSince: number;
}

/** What accounting needs to know about sessions to list orphans. */
export interface OrphanSource {
  orphans(sinceSeq: number): string[];
}

const emptyStats = (): CallStats => ({ calls: 0, bytes: 0, requestBytes: 0, errors: 0 });
const emptySessionStats = (): SessionCallStats => ({ ...emptyStats(), byRoute: {} });

function add(stats: CallStats, bytes: number, requestBytes: number, error: boolean): void {
  stats.calls += 1;
  stats.bytes += bytes;
  stats.requestBytes += requestBytes;
  if (error) stats.errors += 1;
}

function addTo(map: Partial<Record<RouteId, CallStats>>, route: RouteId, bytes: number, req: number, error: boolean): void {
  const stats = (map[route] ??= emptyStats());
  add(stats, bytes, req, error);
}

export interface AccountingOptions {
  /** Deleted sessions that keep their own bySession entry (default 10 000); older ones are folded. */
  maxDeletedSessions?: number;
  /** byToolCall entries kept (default 50 000); the oldest are folded. */
  maxToolCalls?: number;
}

function fold(into: CallStats, from: CallStats): void {
  into.calls += from.calls;
  into.bytes += from.bytes;
  into.requestBytes += from.requestBytes;
  into.errors += from.errors;
}

export class Accounting {
  private seqCounter = 0;
  private orphanMark = 0;
  private byRoute: Partial<Record<RouteId, CallStats>> = {};
  private bySession = new Map<string, SessionCallStats>();
  private byToolCall = new Map<string, SessionCallStats>();
  private sseOpenCount = 0;
  private sseOpenedCount = 0;
  private sseEventCount = 0;
  /** Deleted session ids in deletion order (a Set keeps order and makes re-deletes no-ops). */
  private readonly deleted = new Set<string>();
  private evicted = { sessions: 0, sessionTotals: emptyStats(), toolCalls: 0, toolCallTotals: emptyStats() };
  private readonly maxDeleted: number;
  private readonly maxToolCalls: number;

  constructor(
    private readonly sessions: OrphanSource,
    opts: AccountingOptions = {},
  ) {
    this.maxDeleted = opts.maxDeletedSessions ?? 10_000;
    this.maxToolCalls = opts.maxToolCalls ?? 50_000;
  }

  /** Next request sequence number; every counted request takes one. */
  nextSeq(): number {
    return ++this.seqCounter;
  }

  get seq(): number {
    return this.seqCounter;
  }

  /** Count one finished request. Route bytes are response body bytes. */
  record(
    route: RouteId,
    sessionID: string | undefined,
    toolCallID: string | undefined,
    bytes: number,
    requestBytes: number,
    error: boolean,
  ): void {
    addTo(this.byRoute, route, bytes, requestBytes, error);
    if (sessionID !== undefined) this.recordKeyed(this.bySession, sessionID, route, bytes, requestBytes, error);
    if (toolCallID !== undefined) {
      this.recordKeyed(this.byToolCall, toolCallID, route, bytes, requestBytes, error);
      if (this.byToolCall.size > this.maxToolCalls) {
        const [oldest, stats] = this.byToolCall.entries().next().value as [string, SessionCallStats];
        this.byToolCall.delete(oldest);
        this.evicted.toolCalls += 1;
        fold(this.evicted.toolCallTotals, stats);
      }
    }
  }

  /** A session was deleted: its entry stays until maxDeletedSessions newer deletions push it out. */
  sessionDeleted(sessionID: string): void {
    if (!this.bySession.has(sessionID)) return;
    this.deleted.add(sessionID);
    if (this.deleted.size <= this.maxDeleted) return;
    const oldest = this.deleted.values().next().value as string;
    this.deleted.delete(oldest);
    const stats = this.bySession.get(oldest);
    if (stats === undefined) return;
    this.bySession.delete(oldest);
    this.evicted.sessions += 1;
    fold(this.evicted.sessionTotals, stats);
  }

  /** Streamed bodies count their bytes as they are written (the call was counted at the start). */
  addBytes(route: RouteId, bytes: number): void {
    const stats = (this.byRoute[route] ??= emptyStats());
    stats.bytes += bytes;
  }

  /** SSE frames are counted as they are written, on the event.subscribe route. */
  recordSseBytes(bytes: number, events: number): void {
    this.addBytes('event.subscribe', bytes);
    this.sseEventCount += events;
  }

  sseOpened(): void {
    this.sseOpenCount += 1;
    this.sseOpenedCount += 1;
  }

  sseClosed(): void {
    this.sseOpenCount -= 1;
  }

  /** Set the orphan mark to the current request sequence number and return it. */
  markOrphans(): number {
    this.orphanMark = this.seqCounter;
    return this.orphanMark;
  }

  /**
   * Calls and bytes per route only: what a sampler needs every sample. snapshot() clones every
   * per-session and per-tool-call entry too, a cost that grows with the run.
   */
  routeTotals(): AccountingSnapshot['byRoute'] {
    return structuredClone(this.byRoute);
  }

  snapshot(opts: { orphansSince?: number } = {}): AccountingSnapshot {
    const since = opts.orphansSince ?? this.orphanMark;
    return {
      seq: this.seqCounter,
      byRoute: structuredClone(this.byRoute),
      bySession: Object.fromEntries([...this.bySession].map(([k, v]) => [k, structuredClone(v)])),
      byToolCall: Object.fromEntries([...this.byToolCall].map(([k, v]) => [k, structuredClone(v)])),
      sseOpen: this.sseOpenCount,
      sseOpened: this.sseOpenedCount,
      sseEvents: this.sseEventCount,
      orphans: this.sessions.orphans(since),
      orphansSince: since,
      evicted: structuredClone(this.evicted),
    };
  }

  /** Zero every counter (not the live SSE gauge, not seq) and move the orphan mark to now. */
  reset(): void {
    this.byRoute = {};
    this.bySession.clear();
    this.byToolCall.clear();
    this.deleted.clear();
    this.evicted = { sessions: 0, sessionTotals: emptyStats(), toolCalls: 0, toolCallTotals: emptyStats() };
    this.sseOpenedCount = 0;
    this.sseEventCount = 0;
    this.orphanMark = this.seqCounter;
  }

  private recordKeyed(map: Map<string, SessionCallStats>, key: string, route: RouteId, bytes: number, req: number, error: boolean): void {
    let stats = map.get(key);
    if (stats === undefined) {
      stats = emptySessionStats();
      map.set(key, stats);
    }
    add(stats, bytes, req, error);
    addTo(stats.byRoute, route, bytes, req, error);
  }
}
