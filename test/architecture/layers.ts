// The layer order of harness/ as data, and the checks the architecture test runs on the import
// graph: no file imports from a folder later in the order, and no import circle between files or
// between folders. Type-only imports count: a layer break in types is still a break (the lower
// layer cannot be read, moved or published without the higher one).
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * harness/'s folders, lowest first; each may import only the folders before it (and itself).
 * docs/architecture.md's table lists the same folders in the same order.
 */
export const LAYERS: readonly string[] = [
  'core',
  'verdict',
  'compare',
  'wire',
  'target',
  'observe',
  'opencode',
  'opencode-real',
  'host',
  'diagnose',
  'profile',
  'report',
  'scenario',
  'load',
  'vitest',
  'gate',
  'config',
  'refs',
  'field',
  'cli',
];

/** Files directly in harness/ (the package's entry), above every folder. */
const ROOT_LAYER = '.';

/** One import: `from` and `to` are paths relative to harness/, with '/' separators. */
export interface ImportEdge {
  from: string;
  to: string;
}

export type Violation =
  | { kind: 'upward'; from: string; to: string; fromLayer: string; toLayer: string }
  | { kind: 'unknown-folder'; file: string; folder: string }
  | { kind: 'outside-harness'; from: string; to: string }
  | { kind: 'file-circle'; files: string[] }
  | { kind: 'folder-circle'; folders: string[] };

/** The top folder of a harness-relative path ('.' for harness/index.ts). */
export function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? ROOT_LAYER : file.slice(0, slash);
}

/** The relative module specifiers a source imports: static, type-only, re-exports and `import('...')`. */
export function relativeImportsOf(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'));
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.split(sep).join('/'));
}

/** Every import between harness/'s own files, read from disk (no module is loaded). */
export function harnessImportGraph(harnessDir: string): { files: string[]; edges: ImportEdge[] } {
  const files = tsFilesUnder(harnessDir).sort();
  const edges: ImportEdge[] = [];
  for (const from of files) {
    for (const spec of relativeImportsOf(readFileSync(join(harnessDir, from), 'utf8'))) {
      edges.push({ from, to: posix.normalize(posix.join(posix.dirname(from), spec)) });
    }
  }
  return { files, edges };
}

/** Imports that go up the layer order, leave harness/, or come from a folder the order does not know. */
export function layerViolations(files: readonly string[], edges: readonly ImportEdge[], layers: readonly string[] = LAYERS): Violation[] {
  const rank = (layer: string): number => (layer === ROOT_LAYER ? layers.length : layers.indexOf(layer));
  const out: Violation[] = [];
  for (const folder of new Set(files.map(layerOf))) {
    if (rank(folder) < 0) out.push({ kind: 'unknown-folder', file: files.find((f) => layerOf(f) === folder)!, folder });
  }
  for (const { from, to } of edges) {
    if (to.startsWith('../')) {
      out.push({ kind: 'outside-harness', from, to });
      continue;
    }
    const fromLayer = layerOf(from);
    const toLayer = layerOf(to);
    // A folder missing from the order is reported once above, not again on each of its imports.
    if (rank(fromLayer) < 0 || rank(toLayer) < 0) continue;
    if (rank(toLayer) > rank(fromLayer)) out.push({ kind: 'upward', from, to, fromLayer, toLayer });
  }
  return out;
}

/** Strongly connected components of more than one node (or a node importing itself), each sorted. */
export function circles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, new Set());
    if (!next.has(to)) next.set(to, new Set());
    next.get(from)!.add(to);
  }
  // Tarjan's algorithm; the graph is a few hundred files, so recursion depth is no concern.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || next.get(v)!.has(v)) found.push(component.sort());
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** Whether one folder holds the other (a folder and its subfolders: one unit, in either direction). */
function nested(a: string, b: string): boolean {
  return a === b || a === '.' || b === '.' || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * Import circles between files, and between folders that do not hold one another: a folder's
 * entry may assemble its own subfolder's modules (opencode/index.ts and opencode/handlers/), but
 * two sibling folders, at any depth, may not import each other.
 */
export function circleViolations(edges: readonly ImportEdge[]): Violation[] {
  const folderEdges = edges
    .map(({ from, to }) => ({ from: posix.dirname(from), to: posix.dirname(to) }))
    .filter(({ from, to }) => !nested(from, to));
  return [
    ...circles(edges).map((files): Violation => ({ kind: 'file-circle', files })),
    ...circles(folderEdges).map((folders): Violation => ({ kind: 'folder-circle', folders })),
  ];
}

/** One line per violation, naming the files. */
export function describeViolation(v: Violation): string {
  switch (v.kind) {
    case 'upward':
      return `${v.from} imports ${v.to}: ${v.fromLayer}/ may not import ${v.toLayer}/, a higher layer`;
    case 'unknown-folder':
      return `${v.file}: folder ${v.folder}/ is not in the layer order (test/architecture/layers.ts, docs/architecture.md)`;
    case 'outside-harness':
      return `${v.from} imports ${v.to}, outside harness/`;
    case 'file-circle':
      return `import circle between files: ${v.files.join(', ')}`;
    case 'folder-circle':
      return `import circle between folders: ${v.folders.join(', ')}`;
  }
}

/** The folders of docs/architecture.md's layer table, in its order. */
export function layersInDoc(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `([a-z-]+)\/` \|/gm)].map((m) => m[1]!);
}

/** harness/ of this checkout. */
export const HARNESS_DIR = fileURLToPath(new URL('../../harness', import.meta.url));

/** Files of harness/, other than core/defaults.ts, that declare a `*_DEFAULTS` or `DEFAULTS` object. */
export function defaultsOutsideCore(harnessDir: string): string[] {
  return tsFilesUnder(harnessDir).filter(
    (file) => file !== 'core/defaults.ts' && /^export const (?:[A-Z_]+_)?DEFAULTS\b/m.test(readFileSync(join(harnessDir, file), 'utf8')),
  );
}
