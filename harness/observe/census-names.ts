// Names for collections, found from outside the target: walk the host's roots
// (globalThis[Symbol.for('churnlab.roots')]) over CDP. A Map held by a closure/module variable
// is named by the variable (`sessionIndex`, source 'scope'); one held by an object property is
// named by its owner (`Gateway.sessions` for a class instance, `state.sessions` for a plain
// object, `sessions` for a module export; source 'property'). Bounded by depth and by the
// number of objects inspected, so a walk costs a few ms to tens of ms.
import type { CdpSession } from '../wire/cdp.ts';

export type CollectionKind = 'Map' | 'Set' | 'Array';

export interface FoundCollection {
  /** Remote object id, valid until the walk's object group is released. */
  objectId: string;
  kind: CollectionKind;
  name: string;
  source: 'scope' | 'property';
}

export interface WalkLimits {
  /** Object/function hops from a root (scopes do not count as hops). */
  maxDepth: number;
  /** Runtime.getProperties calls per walk. */
  maxInspected: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxDepth: 4, maxInspected: 400 };

interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  description?: string;
  objectId?: string;
  value?: unknown;
}
interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
}
interface GetPropertiesResult {
  result: PropertyDescriptor[];
  internalProperties?: PropertyDescriptor[];
}

type Item =
  | { kind: 'roots'; objectId: string }
  | { kind: 'object'; objectId: string; depth: number; label: string; className: string; isPrototype?: boolean }
  | { kind: 'function'; objectId: string; depth: number; label: string }
  | { kind: 'scopes'; objectId: string; depth: number; scriptId: string }
  | { kind: 'scope'; objectId: string; depth: number };

const ROOTS_EXPRESSIONS = [
  "globalThis[Symbol.for('churnlab.roots')]",
  // The harness's own: the virtual clock's pending timers, so a timer leak has a name.
  "globalThis[Symbol.for('churnlab.internals')]",
];
/** Runs in the target: a plain copy of a module namespace (bindings still in TDZ are skipped). */
const NAMESPACE_COPY_FN = `function () {
  var copy = {}, keys = Object.keys(this);
  for (var i = 0; i < keys.length; i++) { try { copy[keys[i]] = this[keys[i]]; } catch (e) {} }
  return copy;
}`;
/** Objects whose className says nothing about an owner: name children by the path instead. */
const PLAIN_CLASSES = new Set(['Object', '']);
/** Function own properties that are never user state. */
const FUNCTION_SKIP = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);

function collectionKind(v: RemoteObject | undefined): CollectionKind | undefined {
  if (!v || v.type !== 'object') return undefined;
  if (v.subtype === 'map') return 'Map';
  if (v.subtype === 'set') return 'Set';
  if (v.subtype === 'array') return 'Array';
  return undefined;
}

/** Plain objects and class instances are walked; promises, errors, buffers, proxies are not. */
function isWalkableObject(v: RemoteObject | undefined): v is RemoteObject & { objectId: string } {
  return !!v && v.type === 'object' && v.subtype === undefined && !!v.objectId;
}

function isFunction(v: RemoteObject | undefined): v is RemoteObject & { objectId: string } {
  return !!v && v.type === 'function' && !!v.objectId;
}

export async function findNamedCollections(
  cdp: CdpSession,
  objectGroup: string,
  limits: WalkLimits = DEFAULT_WALK_LIMITS,
): Promise<{ found: FoundCollection[]; inspected: number }> {
  const found: FoundCollection[] = [];
  let level: Item[] = [];
  for (const expression of ROOTS_EXPRESSIONS) {
    const r = await cdp.send<{ result: RemoteObject }>('Runtime.evaluate', {
      expression,
      objectGroup,
      silent: true,
      includeCommandLineAPI: false,
    });
    if (r.result.objectId) level.push({ kind: 'roots', objectId: r.result.objectId });
  }
  if (level.length === 0) return { found, inspected: 0 };

  const seenFunctions = new Set<string>();
  const seenScopes = new Set<string>();
  let inspected = 0;

  // Indexed properties are skipped on objects (a dictionary object may have thousands) but
  // not on a scope list, whose entries are indexed.
  const getProperties = (objectId: string, indexed = false) =>
    cdp.send<GetPropertiesResult>('Runtime.getProperties', {
      objectId,
      ownProperties: true,
      accessorPropertiesOnly: false,
      generatePreview: false,
      nonIndexedPropertiesOnly: !indexed,
    });

  // The inspector shows a module namespace's exports as native accessors; read them through a
  // transient plain copy (released with the group) instead of calling getters one by one.
  const inspect = async (item: Item): Promise<GetPropertiesResult | undefined> => {
    try {
      if (item.kind === 'object' && item.className === 'Module') {
        const copy = await cdp.send<{ result: RemoteObject }>('Runtime.callFunctionOn', {
          functionDeclaration: NAMESPACE_COPY_FN,
          objectId: item.objectId,
          objectGroup,
          silent: true,
        });
        if (!copy.result.objectId) return undefined;
        return await getProperties(copy.result.objectId);
      }
      return await getProperties(item.objectId, item.kind === 'scopes');
    } catch {
      return undefined; // an object that went away or refuses inspection: skip it
    }
  };

  // Breadth first, one level at a time, requests of a level pipelined: the nearest (and
  // usually the target's own) names are found first and the budget goes to them.
  while (level.length > 0 && inspected < limits.maxInspected) {
    const batch = level.slice(0, limits.maxInspected - inspected);
    inspected += batch.length;
    const results = await Promise.all(batch.map(inspect));
    const next: Item[] = [];
    batch.forEach((item, i) => {
      const props = results[i];
      if (props) expand(item, props, next, found, seenFunctions, seenScopes, limits);
    });
    level = next;
  }
  return { found, inspected };
}

/** Where one expansion puts what it finds: collections found, and items for the next level. */
interface ExpandSink {
  next: Item[];
  found: FoundCollection[];
  limits: WalkLimits;
}

function expand(
  item: Item,
  props: GetPropertiesResult,
  next: Item[],
  found: FoundCollection[],
  seenFunctions: Set<string>,
  seenScopes: Set<string>,
  limits: WalkLimits,
): void {
  const sink: ExpandSink = { next, found, limits };
  switch (item.kind) {
    case 'roots':
      // roots() keys are the host's names for things; a root that is itself a collection keeps its key.
      for (const p of props.result) addValue(sink, p.name, p.value, 'property', p.name, 0);
      return;
    case 'object':
      expandObject(sink, item, props);
      return;
    case 'function':
      expandFunction(sink, item, props, seenFunctions);
      return;
    case 'scopes':
      expandScopeList(item, props, next, seenScopes);
      return;
    case 'scope':
      for (const p of props.result) addValue(sink, p.name, p.value, 'scope', p.name, item.depth + 1);
      return;
  }
}

/** A collection is found under `name`; a function or walkable object within the depth limit is queued. */
function addValue(
  sink: ExpandSink,
  name: string,
  value: RemoteObject | undefined,
  source: 'scope' | 'property',
  label: string,
  depth: number,
): void {
  const kind = collectionKind(value);
  if (kind && value?.objectId) {
    sink.found.push({ objectId: value.objectId, kind, name, source });
    return;
  }
  if (depth > sink.limits.maxDepth) return;
  if (isFunction(value)) sink.next.push({ kind: 'function', objectId: value.objectId, depth, label });
  else if (isWalkableObject(value)) {
    sink.next.push({ kind: 'object', objectId: value.objectId, depth, label, className: value.className ?? '' });
  }
}

function expandObject(sink: ExpandSink, item: Extract<Item, { kind: 'object' }>, props: GetPropertiesResult): void {
  const prefix =
    item.className === 'Module'
      ? '' // a module namespace: exports are named by their binding
      : PLAIN_CLASSES.has(item.className)
        ? item.label
          ? `${item.label}.`
          : ''
        : `${item.className}.`;
  for (const p of props.result) {
    addValue(sink, `${prefix}${p.name}`, p.value, 'property', `${prefix}${p.name}`, item.depth + 1);
  }
  // Class instances: the prototype's methods lead to the class's module scope.
  if (!item.isPrototype && !PLAIN_CLASSES.has(item.className) && item.className !== 'Module') {
    const proto = props.internalProperties?.find((p) => p.name === '[[Prototype]]')?.value;
    if (isWalkableObject(proto) && item.depth + 1 <= sink.limits.maxDepth) {
      sink.next.push({
        kind: 'object',
        objectId: proto.objectId,
        depth: item.depth + 1,
        label: item.className,
        className: item.className,
        isPrototype: true,
      });
    }
  }
}

function expandFunction(
  sink: ExpandSink,
  item: Extract<Item, { kind: 'function' }>,
  props: GetPropertiesResult,
  seenFunctions: Set<string>,
): void {
  const internal = props.internalProperties ?? [];
  const location = internal.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as
    { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
  const bound = internal.find((p) => p.name === '[[TargetFunction]]')?.value;
  if (isFunction(bound)) sink.next.push({ kind: 'function', objectId: bound.objectId, depth: item.depth, label: item.label });
  // Many closures share one location; walking one of them names what they share.
  const key = location ? `${location.scriptId}:${location.lineNumber}:${location.columnNumber}` : undefined;
  if (key && seenFunctions.has(key)) return;
  if (key) seenFunctions.add(key);
  const nameProp = props.result.find((p) => p.name === 'name')?.value?.value;
  const fnName = typeof nameProp === 'string' && nameProp ? nameProp : item.label;
  // Static members: `class Registry { static all = new Map() }` => Registry.all
  for (const p of props.result) {
    if (FUNCTION_SKIP.has(p.name)) continue;
    addValue(sink, `${fnName}.${p.name}`, p.value, 'property', `${fnName}.${p.name}`, item.depth + 1);
  }
  const scopes = internal.find((p) => p.name === '[[Scopes]]')?.value;
  if (scopes?.objectId)
    sink.next.push({ kind: 'scopes', objectId: scopes.objectId, depth: item.depth, scriptId: location?.scriptId ?? '?' });
}

function expandScopeList(item: Extract<Item, { kind: 'scopes' }>, props: GetPropertiesResult, next: Item[], seenScopes: Set<string>): void {
  for (const p of props.result) {
    const scope = p.value;
    if (!scope?.objectId) continue;
    const type = (scope.description ?? '').split(' ')[0] ?? '';
    if (type === 'Global') continue; // the whole world; not the target's state
    // One Module scope per script, one Script scope per realm: walk each once.
    const key = type === 'Module' ? `module:${item.scriptId}` : type === 'Script' ? 'script' : undefined;
    if (key) {
      if (seenScopes.has(key)) continue;
      seenScopes.add(key);
    }
    next.push({ kind: 'scope', objectId: scope.objectId, depth: item.depth });
  }
}
