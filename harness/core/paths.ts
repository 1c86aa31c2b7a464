// Where churnlab's own files are, whether it runs from its TypeScript sources (this repository,
// under tsx) or compiled to dist/ (the published package): the package root holds package.json
// and the reference fixtures; the code root holds harness/ and the built-in scenarios/.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when this file was compiled to dist/ (the package as installed), false under tsx. */
export const COMPILED = import.meta.url.endsWith('.js');

/** The folder holding harness/ and scenarios/: the repository root, or dist/ once compiled. */
export const CODE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The folder holding package.json, fixtures/ and ci/: the repository root or the installed package. */
export const PACKAGE_ROOT = COMPILED ? join(CODE_ROOT, '..') : CODE_ROOT;

/** The built-in scenarios, shipped with the package. */
export const BUILT_IN_SCENARIOS_DIR = join(CODE_ROOT, 'scenarios');

/** churnlab's own code, left out of a target's allocation profile. */
export const HARNESS_DIR = join(CODE_ROOT, 'harness');

/**
 * A module of churnlab's own next to `base` (an import.meta.url), named without extension: the
 * .ts source under tsx, the compiled .js in dist/. Used for the files churnlab starts child
 * processes with, which an import cannot name.
 */
export function ownModule(relativePath: string, base: string): string {
  return fileURLToPath(new URL(`${relativePath}${base.endsWith('.ts') ? '.ts' : '.js'}`, base));
}

/**
 * churnlab's own folder (its fixtures, ci/): the package root, which in this checkout is the
 * repository root that tests and benches start the sources from. The user's files resolve from
 * the working directory instead.
 */
export const REPO_ROOT = PACKAGE_ROOT;
