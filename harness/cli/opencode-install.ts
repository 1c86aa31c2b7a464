// `npm run opencode:install`: puts opencode-ai@1.18.33 (the real `opencode serve`, 177 MiB
// binary, ~355 MiB installed) into churnlab's cache dir, outside the project's node_modules, so
// the default `npm ci` stays small. `--opencode real` runs this on first use by itself.
// Prints the binary's path as the last stdout line. Exit 0 when installed, 3 when it failed
// (the message says why and what to run).
import { ensureOpencodeInstalled, npmInstallArgs, opencodeCacheDir } from '../opencode-real/install.ts';

// EXIT.pass and EXIT.badInput of harness/scenario/run.ts (not imported: it loads the whole runner).
const EXIT = { pass: 0, badInput: 3 } as const;

const dir = opencodeCacheDir();
const result = await ensureOpencodeInstalled({ dir, log: (line) => process.stderr.write(`${line}\n`) });
if (result.ok) {
  if (result.alreadyInstalled) process.stderr.write(`churnlab: opencode is already installed in ${dir}\n`);
  process.stdout.write(`${result.path}\n`);
  process.exitCode = EXIT.pass;
} else {
  process.stderr.write(`churnlab: ${result.reason}\nRetry with: npm ${npmInstallArgs(dir).join(' ')}\n(set CHURNLAB_CACHE_DIR to install elsewhere)\n`);
  process.exitCode = EXIT.badInput;
}
