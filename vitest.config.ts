import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/longest-first.ts';

export default defineConfig({
  // This repository's own tests import churnlab's public entries from the sources (the package's
  // "churnlab-source" export condition), not from a dist/ that only `npm pack` builds.
  // Vite's own server conditions stay (its defaults, as setting the list replaces them).
  ssr: { resolve: { conditions: ['churnlab-source', 'module', 'node', 'development|production'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn target processes and loopback servers; forks isolate them and 2 workers
    // match the 2-core machines CI runs on.
    pool: 'forks',
    maxWorkers: 2,
    // Each worker imports the harness once, not once per file (docs/testing.md, "Order").
    isolate: false,
    sequence: { sequencer: LongestFirst },
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
