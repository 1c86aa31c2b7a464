// The user's repository: the git work tree that holds a path (for relative file names in
// reports, and the repository `npm run compare` checks refs out of).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The top of the git work tree holding `path`, or undefined when it is not in one. */
export function gitTopLevel(path: string): string | undefined {
  const dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  try {
    return (
      execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** Where a target's files are shown relative to: its repository, else its own directory. */
export function userRootOf(targetPath: string): string {
  return gitTopLevel(targetPath) ?? (existsSync(targetPath) ? dirname(targetPath) : process.cwd());
}
