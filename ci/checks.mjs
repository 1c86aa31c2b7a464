// The type check and the format check of `npm test`, side by side: each is one process on one
// core, so on two cores they take as long as the slower one, not the sum. A failure of either
// prints its output and fails the whole; both always run to the end.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Each tool's own script run by this Node, so the checks need no PATH set up by npm.
const CHECKS = [
  ['type check', 'tsc', ['node_modules/typescript/bin/tsc', '--noEmit']],
  ['format check', 'prettier', ['node_modules/prettier/bin/prettier.cjs', '--check', '.']],
];

function run([label, command, args]) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ label, code: 1, output: `${command}: ${error.message}\n` }));
    child.on('close', (code, signal) =>
      resolve({ label, code: code ?? 1, output: signal ? `${output}${command}: ended by ${signal}\n` : output }),
    );
  });
}

const results = await Promise.all(CHECKS.map(run));
for (const r of results) {
  process.stdout.write(r.code === 0 ? `${r.label}: ok\n` : `${r.label}: failed (exit ${r.code})\n${r.output}`);
}
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
