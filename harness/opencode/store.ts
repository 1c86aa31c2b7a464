// Persistence for "server restart" scenarios: the mock writes its sessions to a store when asked
// (persist(), restart({ keepState: true }), close of listen()) and reads them when created.
// It does not write on every change (1000 sessions/s would be disk-bound): a mock killed with
// SIGKILL loses what changed since its last persist(), unlike SQLite in the real server.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SessionSnapshot } from './state.ts';

export const SNAPSHOT_FORMAT = 'churnlab.mock-opencode/1';

export interface StateSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  sessions: SessionSnapshot[];
  /** Id generator and random state, so ids after a restart never repeat ids before it. */
  ids: { lastMs: number; counter: number; rng: number };
}

export interface MockStore {
  load(): StateSnapshot | undefined;
  save(snapshot: StateSnapshot): void;
  /** Forget everything ("state is lost"). */
  clear(): void;
}

/**
 * A store object handed from one mock to the next (same process). It keeps a deep copy, so the
 * next mock starts from fresh objects as a restarted server would.
 */
export function memoryStore(): MockStore & { readonly snapshot: StateSnapshot | undefined } {
  let saved: StateSnapshot | undefined;
  return {
    get snapshot() {
      return saved;
    },
    load: () => (saved === undefined ? undefined : structuredClone(saved)),
    save: (snapshot) => {
      saved = structuredClone(snapshot);
    },
    clear: () => {
      saved = undefined;
    },
  };
}

/** A JSON file, written atomically (temp file + rename), so another process can pick it up. */
export function fileStore(path: string): MockStore & { readonly path: string } {
  return {
    path,
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const snapshot = JSON.parse(text) as StateSnapshot;
      if (snapshot.format !== SNAPSHOT_FORMAT) throw new Error(`${path}: not a ${SNAPSHOT_FORMAT} snapshot`);
      return snapshot;
    },
    save(snapshot) {
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(snapshot));
      renameSync(temp, path);
    },
    clear() {
      rmSync(path, { force: true });
    },
  };
}
