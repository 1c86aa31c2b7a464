// `churnlab opencode install` (`npm run opencode:install`): puts opencode-ai@1.18.33 (the real
// `opencode serve`, 177 MiB binary, ~355 MiB installed) into churnlab's cache dir, outside the
// project's node_modules, so the default install stays small. `--opencode real` runs this on first
// use by itself. Prints the binary's path as the last stdout line. Exit 0 when installed, 3 when
// it failed (the message says why and what to run).
import { ensureOpencodeInstalled, npmInstallArgs, opencodeCacheDir } from '../opencode-real/install.ts';
import { EXIT } from '../core/exit.ts';
import { isEntry, parseCli, runCli } from './entry.ts';

const USAGE = 'usage: churnlab opencode install   (into $CHURNLAB_CACHE_DIR, default ~/.cache/churnlab)';

export async function main(argv: string[]): Promise<number> {
  if (!parseCli({ args: argv, allowPositionals: false, options: { help: { type: 'boolean', short: 'h' } } }, USAGE)) return EXIT.pass;
  const dir = opencodeCacheDir();
  const result = await ensureOpencodeInstalled({ dir, log: (line) => process.stderr.write(`${line}\n`) });
  if (result.ok) {
    if (result.alreadyInstalled) process.stderr.write(`churnlab: opencode is already installed in ${dir}\n`);
    process.stdout.write(`${result.path}\n`);
    return EXIT.pass;
  }
  process.stderr.write(
    `churnlab: ${result.reason}\nRetry with: npm ${npmInstallArgs(dir).join(' ')}\n(set CHURNLAB_CACHE_DIR to install elsewhere)\n`,
  );
  return EXIT.badInput;
}

if (isEntry(import.meta.url)) runCli(main, 'churnlab opencode');
