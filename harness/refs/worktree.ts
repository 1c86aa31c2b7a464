// Checking out the user's repository at a git ref into a temporary worktree (`git worktree add
// --detach`), with the repository's node_modules linked in so the target's imports resolve.
// Every worktree made here is removed again: by the caller's finally, and on exit or Ctrl-C.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atHarnessEnd } from '../target/children.ts';

export class RefError extends Error {
  override name = 'RefError';
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The full commit id of `ref`, or a RefError naming the ref and the repository. */
export function resolveRef(repo: string, ref: string, flag: string): string {
  if (ref.startsWith('-')) throw new RefError(`${flag} ${ref}: not a git ref (it starts with "-")`);
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new RefError(
      `${flag} ${ref}: not a commit in the git repository ${repo} (try a branch, tag or commit id that \`git -C ${repo} log\` shows)`,
    );
  }
}

export interface Worktree {
  dir: string;
  commit: string;
  remove(): void;
}

const live = new Set<Worktree>();
let hooked = false;
/**
 * Ctrl-C or a kill must not leave worktrees behind: the harness's one end-of-life registry
 * (target/children.ts) removes them on exit, and on a signal no command handles.
 */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  atHarnessEnd(() => {
    for (const w of [...live]) w.remove();
  });
}

export function addWorktree(repo: string, commit: string, label: string): Worktree {
  hookExit();
  const parent = mkdtempSync(join(tmpdir(), `churnlab-${label}-`));
  const dir = join(parent, 'tree');
  let removed = false;
  const worktree: Worktree = {
    dir,
    commit,
    remove() {
      if (removed) return;
      removed = true;
      live.delete(worktree);
      try {
        git(repo, ['worktree', 'remove', '--force', dir]);
      } catch {
        // Already gone or half made: the prune below forgets it.
      }
      rmSync(parent, { recursive: true, force: true });
      try {
        git(repo, ['worktree', 'prune']);
      } catch {
        // nothing to prune
      }
    },
  };
  live.add(worktree);
  try {
    git(repo, ['worktree', 'add', '--detach', dir, commit]);
    // The user's dependencies, as installed in the repository (node_modules is not in git).
    const modules = join(repo, 'node_modules');
    if (existsSync(modules) && !existsSync(join(dir, 'node_modules'))) symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  } catch (error) {
    worktree.remove();
    throw new RefError(`could not check out ${commit.slice(0, 12)} of ${repo} into a temporary worktree: ${(error as Error).message}`);
  }
  return worktree;
}
