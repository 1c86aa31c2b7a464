// Test helper, run as its own process: starts the stand-in server, prints its pid, then exits
// when told on stdin (argv[4] 'exit'; only then, so the test can see the server alive first) or
// waits to be signalled. The watchdog follows argv[3] (a long-lived process
// of the test), so only this process's exit and signal handlers can kill the server.
import { spawnServer } from '../../harness/opencode-real/process.ts';

const [fake, parentPid, how] = process.argv.slice(2);
const server = await spawnServer({
  binary: fake!,
  args: ['ready'],
  cwd: process.cwd(),
  env: { PATH: process.env.PATH },
  parentPid: Number(parentPid),
});
process.stdout.write(`${server.pid}\n`);
if (how === 'exit') process.stdin.once('data', () => process.exit(0));
setInterval(() => {}, 1000);
