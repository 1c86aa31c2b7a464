// Shared helpers for observer tests.
import { fileURLToPath } from 'node:url';
import { launchTarget, type TargetProcess } from '../../harness/target/launch.ts';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const synthetic = (name: string): string => fileURLToPath(new URL(`../../fixtures/synthetic/${name}`, import.meta.url));

/** Launches unit targets and stops them all in afterEach. */
export function targetPool() {
  const started: TargetProcess[] = [];
  return {
    async launch(target: string): Promise<TargetProcess> {
      const t = await launchTarget({ host: 'unit', target });
      started.push(t);
      return t;
    },
    async stopAll(): Promise<void> {
      await Promise.all(started.splice(0).map((t) => t.stop(2_000)));
    },
  };
}
