// Step 1, resolve: the run folder (reports/<name>/<run-id>/), the sample stream written as each
// sample is taken, and the names reports give the target. A kind validates its own input before
// this step, so bad input never leaves an empty run folder behind.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../core/paths.ts';
import { openSampleStream } from '../../report/samples-writer.ts';
import { newRunDir, RUN_FILES } from '../../report/write.ts';
import type { RunKind, RunState } from './kind.ts';

/** A new run folder with its sample stream open; the run's clock starts here. */
export function openRun(kind: Pick<RunKind, 'name' | 'outRoot'>): RunState {
  const { dir, runId } = newRunDir(kind.outRoot ?? join(process.cwd(), 'reports'), kind.name);
  return { dir, runId, startedAt: new Date(), samples: [], stream: openSampleStream(join(dir, RUN_FILES.samples)) };
}

/** A target as reports name it: a file relative to the repository, a package name as given. */
export function targetLabelOf(targetPath: string): string {
  if (!existsSync(targetPath)) return targetPath;
  const inside = (root: string) => {
    const rel = relative(root, targetPath);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : undefined;
  };
  return inside(process.cwd()) ?? inside(PACKAGE_ROOT) ?? targetPath;
}
