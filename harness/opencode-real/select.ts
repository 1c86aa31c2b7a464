// `--opencode mock|real`: which OpenCode a run talks to, and what a failure to get the real one
// means for the run's exit code. Called from the run lifecycle (harness/scenario/lifecycle/).
import type { RunFailure } from '../core/outcome.ts';
import { startMockBackend, type OpenCodeBackend, type OpenCodeMode } from '../opencode/backend.ts';
import type { ReplyShape } from '../opencode/reply.ts';
import { OpenCodeNotInstalledError, startRealBackend } from './backend.ts';
import { FAKE_MODEL_ID, FAKE_PROVIDER_ID } from './config.ts';
import { REAL_DEFAULTS } from '../core/defaults.ts';
import { ServerStartError } from './process.ts';

export const OPENCODE_MODES: readonly OpenCodeMode[] = ['mock', 'real'];

/** One line for the terminal and the report: what a real-server run does not have. */
export const REAL_MODE_NOTE =
  'OpenCode: the real opencode serve 1.18.33; the mock-only figures (opencode.* call counters, orphans, reply shape) are absent from this run';

export function parseOpenCodeMode(value: string | undefined): OpenCodeMode | undefined {
  if (value === undefined) return undefined;
  if ((OPENCODE_MODES as readonly string[]).includes(value)) return value as OpenCodeMode;
  return undefined;
}

export interface BackendChoice {
  seed: number;
  reply?: Partial<ReplyShape>;
  /** Real server only: where its HOME/XDG dirs go (removed on close). */
  runDir: string;
  log?: (line: string) => void;
}

export function startBackend(mode: OpenCodeMode, choice: BackendChoice): Promise<OpenCodeBackend> {
  if (mode === 'mock') return startMockBackend({ seed: choice.seed, reply: choice.reply });
  // Installs on first use: the user asked for the real server by name.
  return startRealBackend({ runDir: choice.runDir, install: true, log: choice.log, llm: { seed: choice.seed } });
}

/**
 * Host options a target needs to talk to this backend. The real server knows one provider (the
 * fake LLM) and answers a prompt naming any other with a 500 UnknownError; the mock takes any.
 */
export function hostOptionsFor(backend: OpenCodeBackend): Record<string, unknown> {
  return backend.mode === 'real' ? { turn: { providerID: FAKE_PROVIDER_ID, modelID: FAKE_MODEL_ID } } : {};
}

/** Target-launch options a backend needs (the real server is slow: longer IPC call limits). */
export function launchOptionsFor(backend: OpenCodeBackend | undefined): { callTimeoutMs?: number } {
  return backend?.mode === 'real' ? { callTimeoutMs: REAL_DEFAULTS.targetCallTimeoutMs } : {};
}

export type BackendFailure = { failure: Exclude<RunFailure, 'harness'>; kind: string; message: string; stderrTail?: string };

/** A failure to get the real server: bad input when it is not installed (the message says what to run), the target's when it would not start. */
export function backendFailure(e: unknown): BackendFailure | undefined {
  if (e instanceof OpenCodeNotInstalledError) return { failure: 'bad-input', kind: 'opencode not installed', message: e.message };
  if (e instanceof ServerStartError)
    return { failure: 'target', kind: 'opencode serve did not start', message: e.message, stderrTail: e.logTail };
  return undefined;
}
