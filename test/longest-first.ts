// Test files that run for a minute or more start first, so that on 2 workers the short ones fill
// in around them instead of a long one starting last. vitest orders by the durations it cached
// from an earlier run; a fresh checkout (CI after `npm ci`) has no cache and would order by size.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The longest files of a full suite run on 2 cores, longest first (vitest's per-file times). */
export const LONGEST_FIRST: readonly string[] = [
  'test/scenario/leak-bypass-rotation.test.ts',
  'test/scenario/leak-hook-daemon.test.ts',
  'test/load/load-run.test.ts',
  'test/scenario/leak-unclean-exit.test.ts',
  'test/package/install.test.ts',
  'test/engine/synthetic-verdicts.test.ts',
  'test/gate/command-entry.test.ts',
  'test/cli/compare-refs.test.ts',
  'test/scenario/leak-session-cache.test.ts',
  'test/host/hook-leaks.test.ts',
  'test/gate/gate-cli.test.ts',
  'test/scenario/leak-message-refetch.test.ts',
  'test/scenario/sawtooth.test.ts',
  'test/scenario/sequential-run.test.ts',
  'test/scenario/resume-after-restart.test.ts',
];

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const i = LONGEST_FIRST.indexOf(relative(f.project.config.root, f.moduleId).split('\\').join('/'));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    // A stable sort: files not listed keep vitest's own order after the listed ones.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
