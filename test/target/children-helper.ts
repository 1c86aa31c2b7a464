// Test helper, run as its own process: starts a child that leads its own process group (with a
// child of its own) and a plain child, tracks both, registers a cleanup that writes argv[3], and
// prints the three pids. argv[2] 'handled': a SIGTERM listener of its own stands for an
// interruptible command (it prints "handled"), and the process exits when told on stdin.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { atHarnessEnd, trackChild } from '../../harness/target/children.ts';

const [mode, cleanupFile] = process.argv.slice(2);
const group = spawn('sh', ['-c', 'sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
const plain = spawn('sleep', ['60'], { stdio: 'ignore' });
trackChild(group, 'group');
trackChild(plain, 'process');
atHarnessEnd(() => writeFileSync(cleanupFile!, 'cleaned up'));
if (mode === 'handled') {
  process.on('SIGTERM', () => process.stdout.write('handled\n'));
  process.stdin.once('data', () => process.exit(0));
}
group.stdout!.setEncoding('utf8').once('data', (line: string) => process.stdout.write(`${group.pid} ${line.trim()} ${plain.pid}\n`));
setInterval(() => {}, 1000);
