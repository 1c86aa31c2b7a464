// `npm run bench`: the per-operation benchmarks (tinybench), each in its own process so one's
// heap and JIT state never colour the next: the reference caches (session-cache.bench.ts) and the
// harness's own costs (harness-costs.bench.ts). Each prints its table and writes
// bench/results/<name>.json (git-ignored) for a gate to track. About a minute on 2 cores.
// The engine's statistical figures (minutes of scenario runs) are `npm run bench:engine`.
//   npm run bench [-- --quick]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BENCHES = ['bench/session-cache.bench.ts', 'bench/harness-costs.bench.ts'];
const extra = process.argv.slice(2).filter((a) => a !== '--');

let failed = 0;
for (const file of BENCHES) {
  const t0 = Date.now();
  process.stdout.write(`\n== ${file}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...extra], { cwd: ROOT, stdio: 'inherit' });
  process.stdout.write(
    `== ${file}: ${r.status === 0 ? 'done' : `failed (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  if (r.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
