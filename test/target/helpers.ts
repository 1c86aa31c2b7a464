// Shared helpers for target tests: absolute fixture paths and "is this pid still alive".
import { fileURLToPath } from 'node:url';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const synthetic = (name: string): string => fileURLToPath(new URL(`../../fixtures/synthetic/${name}`, import.meta.url));

/** True while a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
