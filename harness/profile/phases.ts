// Which phases a scenario has, to check --snapshot-at and --hold names before a run starts.
// Phases are set at run time by the workload (run.phase('x'), run.mainPhase('churn', ...)); this reads the literal names
// from the workload's source, plus the two every run has. A phase named by a variable is not
// seen here; then a name that never starts is reported after the run instead.

/** Phases every run has before the workload's own ('prime' is the harness's warm-up of itself). */
export const BUILT_IN_PHASES = ['prime', 'warmup'] as const;
/** The pseudo-phase "after the workload", accepted by --snapshot-at and --hold. */
export const END_PHASE = 'end';

export function declaredPhases(workload: (...args: never[]) => unknown): string[] {
  const names = new Set<string>(BUILT_IN_PHASES);
  for (const m of String(workload).matchAll(/\.(?:phase\(\s*(['"`])([^'"`$]+)\1\s*\)|mainPhase\(\s*(['"`])([^'"`$]+)\3\s*,)/g)) {
    const name = m[2] ?? m[4];
    if (name) names.add(name);
  }
  return [...names];
}

/** The names that are not phases of the scenario, or [] when all are. */
export function unknownPhases(wanted: string[], known: string[]): string[] {
  return wanted.filter((n) => n !== END_PHASE && !known.includes(n));
}
