// Resolving what the user named with --target, with errors that say what was expected.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';

/** Bad input from the user: exit code 3, message printed as is (no stack). */
export class BadInputError extends Error {
  override name = 'BadInputError';
}

function looksLikePath(spec: string): boolean {
  return isAbsolute(spec) || spec.startsWith('.') || /\.(m|c)?[jt]sx?$/.test(spec);
}

/** An absolute file path for a path, or the resolved entry of a package name (from `base`). */
export function resolveTarget(spec: string, base: string): string {
  if (looksLikePath(spec)) {
    const path = resolve(base, spec);
    if (!existsSync(path)) {
      throw new BadInputError(
        `--target ${spec}: no such file (looked for ${path}). Expected a path to a plugin module (.ts/.js) or an installed package name.`,
      );
    }
    return path;
  }
  try {
    return createRequire(resolve(base, 'package.json')).resolve(spec);
  } catch {
    throw new BadInputError(
      `--target ${spec}: not a file and not an installed package (resolved from ${base}). Expected a path to a plugin module (.ts/.js) or a package name in node_modules.`,
    );
  }
}
