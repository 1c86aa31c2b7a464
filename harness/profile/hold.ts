// --hold: keep the target alive so a person can attach Chrome DevTools, then go on when told.
// Node's inspector takes several clients at once (since Node 10, nodejs/node#20137; checked on
// Node 20), so the harness keeps its own CDP session open: no reconnect, no lost census state.
import { existsSync, rmSync } from 'node:fs';
import { PROFILE_DEFAULTS } from '../core/defaults.ts';
import type { HoldInfo } from './model.ts';

export interface HoldOptions {
  /** Go on when this file exists (the non-TTY way: `touch <file>`); it is removed afterwards. */
  file?: string;
  /** Where Enter is read from; only used when it is a TTY. */
  stdin?: NodeJS.ReadStream;
  maxMs?: number;
  pollMs?: number;
  /** Where the URLs and instructions go (stderr in the CLI). */
  write(text: string): void;
  /** Called once the URLs are printed (tests attach a client here). */
  onWaiting?(info: { devtoolsUrl: string; inspectorUrl: string }): void;
}

/**
 * Why a hold cannot work here, or undefined. Without a TTY nobody can press Enter, and a CI job
 * would hang until the time limit: ask for a file to wait for instead (SIGUSR2 always works too).
 */
export function holdProblem(options: { file?: string; stdinIsTTY: boolean }): string | undefined {
  if (options.file || options.stdinIsTTY) return undefined;
  return '--hold: stdin is not a terminal, so Enter cannot end the hold. Add --hold-file <path> (the run goes on once that file exists, e.g. `touch <path>`), or run from a terminal. SIGUSR2 to the harness also ends a hold.';
}

/** DevTools' URL for a Node inspector ws URL (what chrome://inspect would open). */
export function devtoolsUrl(inspectorUrl: string): string {
  return `devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=${inspectorUrl.replace(/^ws:\/\//, '')}`;
}

export async function holdTarget(inspectorUrl: string, at: string, options: HoldOptions): Promise<HoldInfo> {
  const maxMs = options.maxMs ?? PROFILE_DEFAULTS.holdMaxMs;
  const pollMs = options.pollMs ?? PROFILE_DEFAULTS.holdPollMs;
  const devtools = devtoolsUrl(inspectorUrl);
  const stdin = options.stdin?.isTTY ? options.stdin : undefined;
  const ways = [stdin ? 'press Enter' : undefined, options.file ? `touch ${options.file}` : undefined, `kill -USR2 ${process.pid}`]
    .filter(Boolean)
    .join(', or ');
  options.write(
    [
      '',
      `churnlab: holding the target ${at}. Attach Chrome DevTools:`,
      `  ${devtools}`,
      `  (inspector: ${inspectorUrl}; or chrome://inspect, "Configure" 127.0.0.1:${new URL(inspectorUrl).port})`,
      `To go on: ${ways}. The hold ends by itself after ${Math.round(maxMs / 60_000)} min.`,
      '',
    ].join('\n'),
  );
  options.onWaiting?.({ devtoolsUrl: devtools, inspectorUrl });
  const started = Date.now();
  const resumedBy = await new Promise<HoldInfo['resumedBy']>((resolve) => {
    const cleanups: (() => void)[] = [];
    const done = (how: HoldInfo['resumedBy']) => {
      for (const c of cleanups) c();
      resolve(how);
    };
    const onSignal = () => done('signal');
    process.once('SIGUSR2', onSignal);
    cleanups.push(() => process.off('SIGUSR2', onSignal));
    const limit = setTimeout(() => done('time-limit'), maxMs);
    cleanups.push(() => clearTimeout(limit));
    if (options.file) {
      const file = options.file;
      // Bounded by the time limit above.
      const poll = setInterval(() => {
        if (existsSync(file)) done('file');
      }, pollMs);
      cleanups.push(() => clearInterval(poll));
    }
    if (stdin) {
      const onData = (chunk: Buffer | string) => {
        if (String(chunk).includes('\n') || String(chunk).includes('\r')) done('enter');
      };
      stdin.on('data', onData);
      stdin.resume();
      cleanups.push(() => {
        stdin.off('data', onData);
        stdin.pause();
      });
    }
  });
  if (options.file) rmSync(options.file, { force: true });
  options.write(`churnlab: hold ended (${resumedBy}); going on.\n`);
  return { at, devtoolsUrl: devtools, inspectorUrl, resumedBy, heldMs: Date.now() - started };
}
