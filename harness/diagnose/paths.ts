// Turn a memlab shortest path (GC root → collection) into steps and lines a person reads:
// "(module scope) checkpointStates → Map (2 000 entries, 1.2 MB retained)".
import { formatBytes } from '../core/units.ts';
import type { IHeapNode } from './memlab.ts';
import type { RetainerStep } from './model.ts';

export interface PathHop {
  node: IHeapNode;
  edgeName?: string;
  edgeType?: string;
}

/** 2000 -> "2 000": grouped so large counts read at a glance. */
export function groupDigits(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function toSteps(hops: PathHop[]): RetainerStep[] {
  return hops.map((hop) => ({
    ...(hop.edgeName !== undefined ? { edge: { name: hop.edgeName, type: hop.edgeType ?? '' } } : {}),
    node: {
      id: `@${hop.node.id}`,
      name: hop.node.name,
      type: hop.node.type,
      selfBytes: hop.node.self_size,
      ...(hop.node.retainedSize > 0 ? { retainedBytes: hop.node.retainedSize } : {}),
      ...(hop.node.name === 'system / Context' ? { scope: scopeKind(hop.node) } : {}),
    },
  }));
}

/** V8 links an ES module's top-level context to its module record through `extension`. */
function scopeKind(context: IHeapNode): 'module' | 'function' {
  return context.getReferenceNode('extension')?.name === 'system / SourceTextModule' ? 'module' : 'function';
}

/** "Map (2 000 entries, 1.2 MB retained)". */
export function collectionLabel(kind: string, entries: number | undefined, retainedBytes: number | undefined): string {
  const facts: string[] = [];
  if (entries !== undefined) facts.push(`${groupDigits(entries)} ${entries === 1 ? 'entry' : 'entries'}`);
  if (retainedBytes !== undefined && retainedBytes > 0) facts.push(`${formatBytes(retainedBytes)} retained`);
  return facts.length > 0 ? `${kind} (${facts.join(', ')})` : kind;
}

/** A node as a person names it; scopes are told apart by what led to them. */
export function nodeLabel(steps: RetainerStep[], i: number): string {
  const step = steps[i];
  if (!step) return '';
  const { name, type } = step.node;
  const prev = steps[i - 1]?.node;
  if (type === 'synthetic' && name === '') return '(GC root)';
  if (name === 'system / Context') {
    if (step.node.scope === 'module') return '(module scope)';
    if (prev?.type === 'closure') return `(scope of ${prev.name || 'anonymous'}())`;
    return '(scope)';
  }
  if (type === 'closure') return `${name || 'anonymous'}()`;
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return 'string';
  return name || `(${type})`;
}

export function edgeLabel(edge: { name: string; type: string }): string {
  switch (edge.type) {
    case 'context':
      return `${edge.name} (variable)`;
    case 'property':
      return `.${edge.name}`;
    case 'element':
      return `[${edge.name}]`;
    case 'weak':
      return `${edge.name} (weak)`;
    default:
      return `‹${edge.name}›`;
  }
}

/** One line per hop, root first: "checkpointStates (variable) → Map". */
export function readablePath(steps: RetainerStep[], lastLabel?: string): string[] {
  return steps.map((step, i) => {
    const label = i === steps.length - 1 && lastLabel ? lastLabel : nodeLabel(steps, i);
    return step.edge ? `${edgeLabel(step.edge)} → ${label}` : label;
  });
}

/** The holder and the edge that keeps the collection: "(module scope) checkpointStates → Map (…)". */
export function retainerSummary(steps: RetainerStep[], lastLabel: string): string | undefined {
  const last = steps[steps.length - 1];
  if (!last?.edge || steps.length < 2) return undefined;
  const holder = nodeLabel(steps, steps.length - 2);
  const { name, type } = last.edge;
  const link = type === 'property' ? `${holder}.${name}` : type === 'element' ? `${holder}[${name}]` : `${holder} ${name}`;
  return `${link} → ${lastLabel}`;
}

/** The variable or property name a collection is held by, when the last edge is named. */
export function holderName(steps: RetainerStep[]): string | undefined {
  const edge = steps[steps.length - 1]?.edge;
  if (!edge || (edge.type !== 'context' && edge.type !== 'property')) return undefined;
  if (edge.type === 'context') return edge.name;
  const holder = steps[steps.length - 2]?.node.name;
  return holder && holder !== 'Object' ? `${holder}.${edge.name}` : edge.name;
}
