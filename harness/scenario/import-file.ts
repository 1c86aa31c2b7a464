// Importing a user's TypeScript or JavaScript file (churnlab.config.ts, a scenario file) from any
// process: the `churnlab` command registers tsx for the whole process, vitest compiles TypeScript
// itself, and anywhere else (plain Node 20 importing churnlab/vitest) tsx compiles it on request.
import { pathToFileURL } from 'node:url';

export const SCRIPT_FILE = /\.(m|c)?[jt]s$/;
export const DECLARATION_FILE = /\.d\.(m|c)?ts$/;

export async function importFile(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
