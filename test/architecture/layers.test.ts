// The layer order of docs/architecture.md holds in harness/: every import goes down the order and
// no import circle exists. Reads the sources only (no module is loaded, no process started).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  circleViolations,
  defaultsOutsideCore,
  describeViolation,
  harnessImportGraph,
  HARNESS_DIR,
  LAYERS,
  layersInDoc,
  layerViolations,
  relativeImportsOf,
  type ImportEdge,
} from './layers.ts';

const edge = (from: string, to: string): ImportEdge => ({ from, to });
const filesOf = (edges: ImportEdge[]): string[] => [...new Set(edges.flatMap((e) => [e.from, e.to]))];

describe('harness/ as it stands', () => {
  const graph = harnessImportGraph(HARNESS_DIR);

  it('reads every source file and its imports, type-only ones included', () => {
    expect(graph.files).toContain('index.ts');
    expect(graph.edges).toContainEqual(edge('target/launch.ts', 'wire/cdp.ts'));
    expect(graph.edges).toContainEqual(edge('observe/heap.ts', 'wire/cdp.ts')); // `import type { CdpSession }`
  });

  it('has no import from a higher layer, from outside harness/, or from a folder the order does not list', () => {
    expect(layerViolations(graph.files, graph.edges).map(describeViolation)).toEqual([]);
  });

  it('has no import circle between files or between folders', () => {
    expect(circleViolations(graph.edges).map(describeViolation)).toEqual([]);
  });

  it("docs/architecture.md's layer table lists the same folders in the same order", () => {
    const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
    expect(layersInDoc(doc)).toEqual(LAYERS);
  });

  it('declares every defaults object in core/defaults.ts', () => {
    expect(defaultsOutsideCore(HARNESS_DIR)).toEqual([]);
  });
});

describe('the import reader', () => {
  it('counts type-only imports, re-exports, side-effect and dynamic imports, across lines', () => {
    const source = [
      "import type { Sample } from '../core/types.ts';",
      "import {\n  a,\n  b,\n} from './near.ts';",
      "export { c } from '../verdict/index.ts';",
      "export type { D } from '../report/model.ts';",
      "import './side-effect.ts';",
      "const m = await import('../diagnose/memlab.ts');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(relativeImportsOf(source)).toEqual([
      '../core/types.ts',
      './near.ts',
      '../verdict/index.ts',
      '../report/model.ts',
      './side-effect.ts',
      '../diagnose/memlab.ts',
    ]);
  });

  it('ignores imports written in comments and strings', () => {
    const source = "// import { x } from '../cli/churnlab.ts';\nconst s = \"import { y } from '../gate/run.ts'\";\n";
    expect(relativeImportsOf(source)).toEqual([]);
  });
});

describe('the layer check', () => {
  const layers = ['core', 'report', 'scenario'];

  it('flags a file that imports from a higher layer, type-only or not', () => {
    const edges = [edge('core/types.ts', 'report/model.ts')];
    expect(layerViolations(filesOf(edges), edges, layers)).toEqual([
      { kind: 'upward', from: 'core/types.ts', to: 'report/model.ts', fromLayer: 'core', toLayer: 'report' },
    ]);
  });

  it('passes imports down the order and within a folder, subfolders included', () => {
    const edges = [
      edge('scenario/run.ts', 'report/model.ts'),
      edge('report/model.ts', 'core/types.ts'),
      edge('report/html/page.ts', 'report/model.ts'),
    ];
    expect(layerViolations(filesOf(edges), edges, layers)).toEqual([]);
  });

  it('puts the files directly in harness/ above every layer', () => {
    const down = [edge('index.ts', 'scenario/run.ts')];
    expect(layerViolations(filesOf(down), down, layers)).toEqual([]);
    const up = [edge('core/types.ts', 'index.ts')];
    expect(layerViolations(filesOf(up), up, layers).map((v) => v.kind)).toEqual(['upward']);
  });

  it('flags a folder the order does not list, and an import out of harness/', () => {
    const edges = [edge('newthing/a.ts', 'core/types.ts'), edge('core/b.ts', '../scenarios/x.ts')];
    expect(layerViolations(['newthing/a.ts', 'core/types.ts', 'core/b.ts'], edges, layers).map((v) => v.kind)).toEqual([
      'unknown-folder',
      'outside-harness',
    ]);
  });
});

describe('the circle check', () => {
  it('finds a circle of three files, and none in the same files as a chain', () => {
    const circle = [edge('report/a.ts', 'report/b.ts'), edge('report/b.ts', 'report/c.ts'), edge('report/c.ts', 'report/a.ts')];
    expect(circleViolations(circle)).toEqual([{ kind: 'file-circle', files: ['report/a.ts', 'report/b.ts', 'report/c.ts'] }]);
    expect(circleViolations(circle.slice(0, 2))).toEqual([]);
  });

  it('finds a file that imports itself', () => {
    expect(circleViolations([edge('core/a.ts', 'core/a.ts')]).map((v) => v.kind)).toEqual(['file-circle']);
  });

  it('finds two folders that import each other though no file circle exists', () => {
    const edges = [edge('target/launch.ts', 'observe/cdp.ts'), edge('observe/sampler.ts', 'target/protocol.ts')];
    expect(circleViolations(edges)).toEqual([{ kind: 'folder-circle', folders: ['observe', 'target'] }]);
  });

  it("lets a folder's entry assemble its subfolder's modules that import the folder's own", () => {
    const edges = [edge('opencode/index.ts', 'opencode/handlers/session.ts'), edge('opencode/handlers/session.ts', 'opencode/route.ts')];
    expect(circleViolations(edges)).toEqual([]);
  });

  it('finds sibling subfolders that import each other', () => {
    const edges = [edge('target/child/main.ts', 'target/hosts/unit.ts'), edge('target/hosts/unit.ts', 'target/child/env.ts')];
    expect(circleViolations(edges)).toEqual([{ kind: 'folder-circle', folders: ['target/child', 'target/hosts'] }]);
  });
});
