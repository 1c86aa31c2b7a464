// Finding churnlab.config.*: from the working directory up to the filesystem root, as vitest
// finds its config; the first directory that has one wins, in this order of extensions.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_NAMES = ['churnlab.config.ts', 'churnlab.config.mts', 'churnlab.config.js', 'churnlab.config.mjs'] as const;

/** Most path depths are far below this; a bound keeps the walk finite on any filesystem. */
const MAX_LEVELS = 64;

export function findConfig(from: string): string | undefined {
  let dir = resolve(from);
  for (let level = 0; level < MAX_LEVELS; level += 1) {
    for (const name of CONFIG_NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}
