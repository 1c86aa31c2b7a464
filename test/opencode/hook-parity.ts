// Hook parity: what the plugin host calls on a plugin, held to what `opencode serve` 1.18.33 calls
// (recorded by harness/opencode-real/hook-recorder.js on both sides). Recordings are cut into
// turns (one user action: a prompt, a slash command, a manual compaction) and compared per kind
// of turn, tolerating every variation the real server is known to show between runs:
// concurrent events float, the title call runs beside the main reply, tools run concurrently.
import type { HookRecord } from '../../harness/opencode-real/hook-recording.ts';

/** A recording reduced to what is compared (committed as the CI fixture; shapes only). */
export interface CompactRecording {
  /** Where it came from (server version, recorder). */
  source: string;
  /** Every call as a label: `chat.params@title`, `tool.execute.before@bash`, `event:message.updated@assistant`. */
  calls: string[];
  /** Shape of the first call per label (input and output), depth-limited. */
  shapes: Record<string, { input?: unknown; output?: unknown }>;
}

export type TurnKind = 'text' | 'tools' | 'command' | 'compaction' | 'compaction-auto' | 'abort';

export interface Turn {
  kind: TurnKind;
  /** A title call (agent `title`) ran during the turn. */
  title: boolean;
  calls: string[];
}

export interface HookDifference {
  /** Stable id: `hook-not-called:chat.params`, `sequence:tools`, `shape:chat.message`, `event-missing:session.diff@tools`. */
  id: string;
  detail: string;
}

const SHAPE_DEPTH = 4;

/** The label of one call: hook, or event type, with the hint that tells calls of one hook apart. */
export function labelOf(r: HookRecord): string {
  const h = r.hints ?? {};
  if (r.hook === 'event') {
    const type = String(h.type);
    const detail = h.role ?? h.partType ?? (type === 'session.status' ? h.status : undefined);
    return `event:${type}${detail !== undefined ? `@${String(detail)}` : ''}`;
  }
  if (r.hook.startsWith('tool.execute.')) return `${r.hook}@${String(h.tool)}`;
  if (r.hook === 'chat.params' || r.hook === 'chat.headers' || r.hook === 'experimental.compaction.autocontinue')
    return `${r.hook}@${String(h.agent)}`;
  if (r.hook === 'tool.definition') return r.hook;
  return r.hook;
}

function truncate(shape: unknown, depth: number): unknown {
  if (shape === null || typeof shape !== 'object') return shape;
  if (depth >= SHAPE_DEPTH) return Array.isArray(shape) ? 'array' : 'object';
  const s = shape as Record<string, unknown>;
  if (typeof s.array === 'number' && Array.isArray(s.items)) return { array: 'n', items: s.items.map((i) => truncate(i, depth + 1)) };
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, truncate(v, depth + 1)]));
}

/** The hooks whose calls are not compared here: the recorder's own load line and config. */
const NOT_COMPARED = new Set(['#op', 'plugin.init', 'config']);

export function compact(records: readonly HookRecord[], source: string): CompactRecording {
  const calls: string[] = [];
  const shapes: CompactRecording['shapes'] = {};
  for (const r of records) {
    if (NOT_COMPARED.has(r.hook)) continue;
    // Events about no session (an instance's start-up notices, file watcher) are not a session's life.
    if (r.hook === 'event' && r.hints?.sessionID !== 'yes') continue;
    const label = labelOf(r);
    calls.push(label);
    if (shapes[label] === undefined) {
      // tool.definition's parameters are the tool's schema object: its shape is the tool's, not the hook's.
      const output = r.hook === 'tool.definition' ? { ...(r.output as object), parameters: 'object' } : r.output;
      shapes[label] = { input: truncate(r.input, 0), ...(r.output !== undefined ? { output: truncate(output, 0) } : {}) };
    }
  }
  return { source, calls, shapes };
}

const hookOf = (label: string): string => (label.startsWith('event:') ? 'event' : label.split('@')[0]!);
const isEvent = (label: string): boolean => label.startsWith('event:');
const isTitleCall = (label: string): boolean => label.endsWith('@title');

/**
 * Cut into turns: a turn starts at `command.execute.before`, at `chat.message` (unless the
 * command just started it), and at `experimental.session.compacting` once the previous turn went
 * idle (a manual compaction; an overflow compaction happens inside the prompt's turn).
 */
export function turnsOf(calls: readonly string[]): Turn[] {
  const raw: string[][] = [];
  let current: string[] | undefined;
  for (const label of calls) {
    // A session's birth and death belong to no turn (they come between turns, of any kind).
    if (LIFE_EVENTS.has(label)) {
      current = undefined;
      continue;
    }
    const startsTurn =
      label === 'command.execute.before' ||
      (label === 'chat.message' && current?.at(-1) !== 'command.execute.before') ||
      (label === 'experimental.session.compacting' && (current === undefined || current.includes('event:session.idle')));
    if (startsTurn) {
      // A manual compaction's user message and busy are published before its first hook: they
      // are the head of the new turn, not the tail of the last one.
      const headAt = label === 'experimental.session.compacting' && current ? current.lastIndexOf('event:message.updated@user') : -1;
      const head = current && headAt > current.lastIndexOf('event:session.idle') ? current.splice(headAt) : [];
      current = [...head];
      raw.push(current);
    }
    current?.push(label);
  }
  return raw.map((c) => ({ kind: kindOf(c), title: c.some(isTitleCall), calls: c }));
}

/** Events of a session's life rather than of a turn. */
export const LIFE_EVENTS = new Set(['event:session.created', 'event:session.deleted']);

function kindOf(calls: readonly string[]): TurnKind {
  if (calls.some((c) => c.startsWith('experimental.compaction.autocontinue'))) return 'compaction-auto';
  const first = calls.find((c) => !isEvent(c));
  if (first === 'experimental.session.compacting') return 'compaction';
  if (first === 'command.execute.before') return 'command';
  if (calls.includes('event:session.error')) return 'abort';
  if (calls.some((c) => c.startsWith('tool.execute.'))) return 'tools';
  return 'text';
}

/** Hooks that run beside the turn rather than in it: the title call and the small-model lookup. */
const BESIDE = (label: string): boolean => isTitleCall(label) || label === 'experimental.provider.small_model';

/**
 * The turn's non-event hooks in order, with the calls that run beside it taken out. The title's
 * system.transform has no agent of its own: the one right before a title chat.params is its.
 */
export function skeleton(turn: Turn): string {
  const hooks = turn.calls.filter((c) => !isEvent(c));
  const kept: string[] = [];
  for (let i = 0; i < hooks.length; i += 1) {
    const label = hooks[i]!;
    if (BESIDE(label)) continue;
    if (label === 'experimental.chat.system.transform' && hooks[i + 1] === 'chat.params@title') continue;
    kept.push(label);
  }
  const folded: string[] = [];
  for (const label of canonicalToolRuns(kept)) {
    const last = folded.at(-1);
    const m = last && /^(.*)×(\d+)$/.exec(last);
    if (m && m[1] === label) folded[folded.length - 1] = `${label}×${Number(m[2]) + 1}`;
    else if (last === label) folded[folded.length - 1] = `${label}×2`;
    else folded.push(label);
  }
  return folded.join(' ');
}

const TOOL_HOOK = /^(tool\.execute\.(before|after)@|shell\.env$)/;

/**
 * Tools of one step run concurrently on the real server: the order of their before/after/shell.env
 * calls varies. A run of them becomes one sorted token, marked when a tool's own order is broken
 * (its after before its before, or shell.env outside a bash call).
 */
function canonicalToolRuns(labels: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < labels.length) {
    if (!TOOL_HOOK.test(labels[i]!)) {
      out.push(labels[i]!);
      i += 1;
      continue;
    }
    let j = i;
    while (j < labels.length && TOOL_HOOK.test(labels[j]!)) j += 1;
    const run = labels.slice(i, j);
    out.push(`tools{${[...run].sort().join(',')}}${toolOrderHolds(run) ? '' : '!order'}`);
    i = j;
  }
  return out;
}

function toolOrderHolds(run: readonly string[]): boolean {
  const open = new Map<string, number>();
  for (const label of run) {
    const [hook, tool] = label.split('@') as [string, string | undefined];
    if (hook === 'tool.execute.before') open.set(tool!, (open.get(tool!) ?? 0) + 1);
    else if (hook === 'tool.execute.after') {
      if (!open.get(tool!)) return false;
      open.set(tool!, open.get(tool!)! - 1);
    } else if (!open.get('bash')) return false;
  }
  return true;
}

/** Key paths where `host` differs from `real`; a key whose real type is 'undefined' may be absent. */
export function shapeDiff(real: unknown, host: unknown, path = ''): string[] {
  if (real === host) return [];
  if (typeof real === 'string' || typeof host === 'string' || real === null || host === null) {
    const collapse = (s: unknown) => (typeof s === 'object' && s !== null ? ('array' in s ? 'array' : 'object') : s);
    return collapse(real) === collapse(host)
      ? []
      : [`${path || '.'}: ${JSON.stringify(collapse(host))} (real: ${JSON.stringify(collapse(real))})`];
  }
  const r = real as Record<string, unknown>;
  const h = host as Record<string, unknown>;
  if ('array' in r || 'array' in h) {
    if (!('array' in r && 'array' in h))
      return [`${path}: ${'array' in h ? 'array' : 'object'} (real: ${'array' in r ? 'array' : 'object'})`];
    const ri = (r.items as unknown[])[0];
    const hi = (h.items as unknown[])[0];
    return ri === undefined || hi === undefined ? [] : shapeDiff(ri, hi, `${path}[]`);
  }
  const out: string[] = [];
  for (const key of new Set([...Object.keys(r), ...Object.keys(h)])) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in h)) {
      if (r[key] !== 'undefined') out.push(`${at}: missing`);
    } else if (!(key in r)) {
      if (h[key] !== 'undefined') out.push(`${at}: extra`);
    } else if (h[key] === 'undefined' && r[key] !== 'undefined') {
      out.push(`${at}: undefined (real: set)`);
    } else if (r[key] !== 'undefined') {
      out.push(...shapeDiff(r[key], h[key], at));
    }
  }
  return out;
}

/**
 * What the host does differently from the real server. Each difference has a stable id; the
 * detail says what the host did and what the server does.
 */
export function compareRecordings(real: CompactRecording, host: CompactRecording): HookDifference[] {
  const diffs: HookDifference[] = [];
  const realHooks = new Set(real.calls.map(hookOf));
  const hostHooks = new Set(host.calls.map(hookOf));
  for (const hook of [...realHooks].sort())
    if (!hostHooks.has(hook)) diffs.push({ id: `hook-not-called:${hook}`, detail: `the server calls ${hook}, the host never does` });
  for (const hook of [...hostHooks].sort())
    if (!realHooks.has(hook)) diffs.push({ id: `hook-extra:${hook}`, detail: `the host calls ${hook}, the server never does` });

  const realTurns = turnsOf(real.calls);
  const hostTurns = turnsOf(host.calls);
  const kinds = [...new Set(realTurns.map((t) => t.kind))].sort();
  for (const kind of kinds) {
    const hostOfKind = hostTurns.filter((t) => t.kind === kind);
    if (hostOfKind.length === 0) {
      diffs.push({ id: `turn-not-played:${kind}`, detail: `the host plays no ${kind} turn` });
      continue;
    }
    const realOfKind = realTurns.filter((t) => t.kind === kind);
    const allowed = new Set(realOfKind.map(skeleton));
    const wrong = [...new Set(hostOfKind.map(skeleton).filter((s) => !allowed.has(s)))];
    if (wrong.length > 0)
      diffs.push({ id: `sequence:${kind}`, detail: `host: ${wrong.join(' | ')}\n  server: ${[...allowed].join(' | ')}` });
    const realEvents = new Set(realOfKind.flatMap((t) => t.calls.filter(isEvent)));
    const hostEvents = new Set(hostOfKind.flatMap((t) => t.calls.filter(isEvent)));
    const missing = [...realEvents].filter((e) => !hostEvents.has(e)).sort();
    const extra = [...hostEvents].filter((e) => !realEvents.has(e)).sort();
    if (missing.length > 0) diffs.push({ id: `events-missing:${kind}`, detail: missing.join(', ') });
    if (extra.length > 0) diffs.push({ id: `events-extra:${kind}`, detail: extra.join(', ') });
  }
  const life = (calls: readonly string[]) => new Set(calls.filter((c) => LIFE_EVENTS.has(c)));
  const hostLife = life(host.calls);
  for (const e of life(real.calls)) if (!hostLife.has(e)) diffs.push({ id: `events-missing:life`, detail: e });
  if (realTurns.some((t) => t.title) && !hostTurns.some((t) => t.title))
    diffs.push({ id: 'turn-not-played:title', detail: 'the host never plays the title call (agent title) of an untitled session' });

  for (const label of Object.keys(real.shapes).sort()) {
    const hostShape = host.shapes[label];
    if (!hostShape) continue;
    const realShape = real.shapes[label]!;
    const problems = [...shapeDiff(realShape.input, hostShape.input, 'input'), ...shapeDiff(realShape.output, hostShape.output, 'output')];
    if (problems.length > 0) diffs.push({ id: `shape:${label}`, detail: problems.join('; ') });
  }
  return diffs;
}
