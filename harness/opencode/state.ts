// Sessions and their messages: plain data operations, no events (the routes publish those).
import type { IdGenerator } from './ids.ts';
import type { FillerText, SeededRandom } from './random.ts';
import { assistantInfo, completeReply, type ReplyShape } from './reply.ts';
import { OPENCODE_VERSION, type MessageWithParts, type Part, type SessionInfo, type SessionStatus, type UserMessageInfo } from './types.ts';

export interface SessionRecord {
  info: SessionInfo;
  /** Oldest first, as `GET /session/{id}/message` returns them. */
  messages: MessageWithParts[];
  status: SessionStatus['type'];
  /** Request sequence number of the last request that named this session (see accounting.ts). */
  touchedSeq: number;
  /** Forks made from this session (kept in snapshots; titles follow forkTitle, as the real server). */
  forks: number;
}

export interface CreateSessionInput {
  title?: string;
  parentID?: string;
  directory?: string;
  agent?: string;
  model?: { id: string; providerID: string; variant?: string };
  metadata?: { [key: string]: unknown };
}

export interface ListSessionsQuery {
  directory?: string;
  roots?: boolean;
  search?: string;
  limit?: number;
  /** Only sessions updated at or after this time (ms). */
  start?: number;
}

export interface SeedOptions {
  /** Total messages (user and assistant alternate, user first). Default 200. */
  messages?: number;
  title?: string;
  directory?: string;
  parentID?: string;
  /** Reply shape of the generated assistant messages (default: the mock's current shape). */
  reply?: Partial<ReplyShape>;
  /** Text of the first user message (a canary phrase a later turn should still see). */
  canary?: string;
}

export interface SessionSnapshot {
  info: SessionInfo;
  messages: MessageWithParts[];
  forks: number;
}

export interface StateDeps {
  ids: IdGenerator;
  rng: SeededRandom;
  filler: FillerText;
  now: () => number;
  directory: string;
  replyShape: () => ReplyShape;
  /** Current request sequence number (accounting), for orphan tracking. */
  seq: () => number;
}

const ADJECTIVES = [
  'stellar',
  'gentle',
  'happy',
  'brave',
  'calm',
  'eager',
  'quiet',
  'swift',
  'bright',
  'clever',
  'proud',
  'lucky',
  'misty',
  'silent',
  'golden',
  'rapid',
];
const NOUNS = [
  'panda',
  'mountain',
  'river',
  'falcon',
  'meadow',
  'comet',
  'harbor',
  'forest',
  'canyon',
  'otter',
  'lagoon',
  'summit',
  'willow',
  'island',
  'cactus',
  'garden',
];

const zeroTokens = () => ({ input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } });

export class MockState {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly childrenOf = new Map<string, Set<string>>();

  constructor(private readonly deps: StateDeps) {}

  get size(): number {
    return this.sessions.size;
  }

  get defaultDirectory(): string {
    return this.deps.directory;
  }

  create(input: CreateSessionInput = {}): SessionInfo {
    const d = this.deps;
    const now = d.now();
    const directory = input.directory ?? d.directory;
    const info: SessionInfo = {
      id: d.ids.descending('ses'),
      slug: `${d.rng.pick(ADJECTIVES)}-${d.rng.pick(NOUNS)}`,
      projectID: 'global',
      directory,
      path: directory.replace(/^\/+/, ''),
      ...(input.parentID !== undefined ? { parentID: input.parentID } : {}),
      cost: 0,
      tokens: zeroTokens(),
      title: input.title ?? `${input.parentID ? 'Child session' : 'New session'} - ${new Date(now).toISOString()}`,
      ...(input.agent !== undefined ? { agent: input.agent } : {}),
      ...(input.model !== undefined ? { model: input.model } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      version: OPENCODE_VERSION,
      time: { created: now, updated: now },
    };
    this.insert({ info, messages: [], status: 'idle', touchedSeq: d.seq(), forks: 0 });
    return info;
  }

  get(id: string): SessionInfo | undefined {
    return this.sessions.get(id)?.info;
  }

  record(id: string): SessionRecord | undefined {
    return this.sessions.get(id);
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** Newest-updated first, as the real server lists them. */
  list(query: ListSessionsQuery = {}): SessionInfo[] {
    const search = query.search?.toLowerCase();
    const out: SessionInfo[] = [];
    for (const { info } of this.sessions.values()) {
      if (query.directory !== undefined && info.directory !== query.directory) continue;
      if (query.roots && info.parentID !== undefined) continue;
      if (query.start !== undefined && info.time.updated < query.start) continue;
      if (search !== undefined && !info.title.toLowerCase().includes(search)) continue;
      out.push(info);
    }
    out.sort((a, b) => b.time.updated - a.time.updated);
    return query.limit !== undefined && query.limit >= 0 ? out.slice(0, query.limit) : out;
  }

  children(id: string): SessionInfo[] {
    const ids = this.childrenOf.get(id);
    if (ids === undefined) return [];
    const out: SessionInfo[] = [];
    for (const child of ids) {
      const info = this.sessions.get(child)?.info;
      if (info) out.push(info);
    }
    return out;
  }

  update(
    id: string,
    patch: { title?: string; metadata?: { [key: string]: unknown }; time?: { archived?: number } },
  ): SessionInfo | undefined {
    const rec = this.sessions.get(id);
    if (!rec) return undefined;
    const info = rec.info;
    if (patch.title !== undefined) info.title = patch.title;
    if (patch.metadata !== undefined) info.metadata = patch.metadata;
    if (patch.time?.archived !== undefined) info.time.archived = patch.time.archived;
    info.time.updated = this.deps.now();
    return info;
  }

  /** Delete a session and, first, its children (as the real server does). Returns all deleted, children first. */
  delete(id: string): SessionInfo[] {
    const rec = this.sessions.get(id);
    if (!rec) return [];
    const deleted: SessionInfo[] = [];
    for (const child of [...(this.childrenOf.get(id) ?? [])]) deleted.push(...this.delete(child));
    this.sessions.delete(id);
    this.childrenOf.delete(id);
    const parent = rec.info.parentID;
    if (parent !== undefined) {
      const siblings = this.childrenOf.get(parent);
      siblings?.delete(id);
      if (siblings?.size === 0) this.childrenOf.delete(parent);
    }
    deleted.push(rec.info);
    return deleted;
  }

  /** Remember that a request named this session (orphan tracking). */
  touch(id: string, seq: number): void {
    const rec = this.sessions.get(id);
    if (rec) rec.touchedSeq = seq;
  }

  /** Idle sessions not named by any request after `sinceSeq` (accounting.ts has the definition). */
  orphans(sinceSeq: number): string[] {
    const out: string[] = [];
    for (const [id, rec] of this.sessions) if (rec.touchedSeq <= sinceSeq && rec.status === 'idle') out.push(id);
    return out;
  }

  messages(id: string, query: { limit?: number; before?: string } = {}): MessageWithParts[] | undefined {
    const rec = this.sessions.get(id);
    if (!rec) return undefined;
    let end = rec.messages.length;
    if (query.before !== undefined) {
      const at = rec.messages.findIndex((m) => m.info.id === query.before);
      if (at >= 0) end = at;
    }
    const start = query.limit !== undefined && query.limit >= 0 ? Math.max(0, end - query.limit) : 0;
    return start === 0 && end === rec.messages.length ? rec.messages : rec.messages.slice(start, end);
  }

  message(id: string, messageID: string): MessageWithParts | undefined {
    const messages = this.sessions.get(id)?.messages;
    if (!messages) return undefined;
    // Recent messages are asked for most: search from the end.
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.info.id === messageID) return messages[i];
    return undefined;
  }

  append(id: string, message: MessageWithParts): void {
    const rec = this.sessions.get(id);
    if (!rec) throw new Error(`no session ${id}`);
    rec.messages.push(message);
  }

  /** A new session with copies (new ids) of all messages, or those before `messageID`. */
  fork(id: string, messageID?: string): SessionInfo | undefined {
    const rec = this.sessions.get(id);
    if (!rec) return undefined;
    rec.forks += 1;
    const info = this.create({ title: forkTitle(rec.info.title), directory: rec.info.directory });
    const target = this.sessions.get(info.id)!;
    const ids = this.deps.ids;
    const renamed = new Map<string, string>();
    for (const message of rec.messages) {
      if (message.info.id === messageID) break;
      const newID = ids.ascending('msg');
      renamed.set(message.info.id, newID);
      const copy = { ...message.info, id: newID, sessionID: info.id, time: { ...message.info.time } } as MessageWithParts['info'];
      if (copy.role === 'assistant') copy.parentID = renamed.get(copy.parentID) ?? copy.parentID;
      const parts = message.parts.map((part) => ({ ...part, id: ids.ascending('prt'), sessionID: info.id, messageID: newID }) as Part);
      target.messages.push({ info: copy, parts });
    }
    return info;
  }

  setStatus(id: string, status: SessionStatus['type']): void {
    const rec = this.sessions.get(id);
    if (rec) rec.status = status;
  }

  /** Busy sessions in a directory, as `GET /session/status` lists them (idle ones are omitted). */
  statuses(directory: string | undefined): Record<string, SessionStatus> {
    const out: Record<string, SessionStatus> = {};
    for (const [id, rec] of this.sessions) {
      if (rec.status === 'idle') continue;
      if (directory !== undefined && rec.info.directory !== directory) continue;
      out[id] = { type: rec.status };
    }
    return out;
  }

  /**
   * A session with `messages` generated, seeded messages: cheap (tool outputs share one string
   * per size) and emitting no events, for "resume a 400-message session" scenarios.
   */
  seedSession(id: string | undefined, opts: SeedOptions = {}): SessionInfo {
    if (id !== undefined && this.sessions.has(id)) throw new Error(`session ${id} exists`);
    const d = this.deps;
    const info = this.create({
      ...(opts.title !== undefined ? { title: opts.title } : { title: 'seeded session' }),
      ...(opts.directory !== undefined ? { directory: opts.directory } : {}),
      ...(opts.parentID !== undefined ? { parentID: opts.parentID } : {}),
    });
    if (id !== undefined) this.rename(info.id, id);
    const rec = this.sessions.get(info.id)!;
    const shape = { ...d.replyShape(), ...opts.reply };
    const total = opts.messages ?? 200;
    const ctx = { ids: d.ids, rng: d.rng, filler: d.filler, now: d.now, directory: info.directory };
    let inputChars = 0;
    for (let i = 0; i < total; i += 2) {
      const turn = i / 2 + 1;
      const text =
        turn === 1 && opts.canary !== undefined ? opts.canary : `turn ${turn}: ${d.filler.of(40 + (turn % 7) * 8).replace(/\s+/g, ' ')}`;
      const user = this.userMessage(info.id, text, shape);
      rec.messages.push(user);
      inputChars += text.length;
      if (i + 1 >= total) break;
      const assistant = assistantInfo(ctx, info.id, user.info as UserMessageInfo, shape, d.now());
      const reply = completeReply(ctx, assistant, `SEEDED-REPLY#${turn} echo: ${text}`, shape, inputChars);
      inputChars += (reply.parts.find((p) => p.type === 'text') as { text: string } | undefined)?.text.length ?? 0;
      rec.messages.push(reply);
    }
    return info;
  }

  /** A user message with one text part per text (also used by the prompt route; none for a compaction marker). */
  userMessage(
    sessionID: string,
    text: string | readonly string[],
    shape: ReplyShape,
    extra: Partial<Pick<UserMessageInfo, 'agent' | 'model' | 'format' | 'system' | 'tools'>> & { id?: string } = {},
  ): MessageWithParts<UserMessageInfo> {
    const d = this.deps;
    const { id, ...rest } = extra;
    const info: UserMessageInfo = {
      id: id ?? d.ids.ascending('msg'),
      sessionID,
      role: 'user',
      time: { created: d.now() },
      agent: 'build',
      model: { providerID: shape.providerID, modelID: shape.modelID },
      ...rest,
    };
    const texts = typeof text === 'string' ? [text] : text;
    return {
      info,
      parts: texts.map((t) => ({ id: d.ids.ascending('prt'), sessionID, messageID: info.id, type: 'text' as const, text: t })),
    };
  }

  /** Everything, for a store. Objects are shared: the caller serializes or clones. */
  snapshot(): SessionSnapshot[] {
    return [...this.sessions.values()].map((r) => ({ info: r.info, messages: r.messages, forks: r.forks }));
  }

  /** Replace everything with a snapshot (after a "restart"): all sessions idle, touched now. */
  restore(sessions: SessionSnapshot[]): void {
    this.clear();
    const seq = this.deps.seq();
    for (const s of sessions) this.insert({ info: s.info, messages: s.messages, status: 'idle', touchedSeq: seq, forks: s.forks });
  }

  clear(): void {
    this.sessions.clear();
    this.childrenOf.clear();
  }

  private insert(rec: SessionRecord): void {
    this.sessions.set(rec.info.id, rec);
    const parent = rec.info.parentID;
    if (parent !== undefined) {
      let set = this.childrenOf.get(parent);
      if (set === undefined) this.childrenOf.set(parent, (set = new Set()));
      set.add(rec.info.id);
    }
  }

  private rename(from: string, to: string): void {
    const rec = this.sessions.get(from)!;
    this.delete(from);
    rec.info.id = to;
    this.insert(rec);
  }
}

/**
 * The real server (1.18.33, measured) numbers a fork from its source's title, not from a count:
 * every fork of "x" is "x (fork #1)", a fork of "x (fork #1)" is "x (fork #2)".
 */
export function forkTitle(source: string): string {
  const m = /^(.*) \(fork #(\d+)\)$/.exec(source);
  return m ? `${m[1]} (fork #${Number(m[2]) + 1})` : `${source} (fork #1)`;
}
