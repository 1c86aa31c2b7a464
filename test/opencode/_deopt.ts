import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMockOpenCode } from '../../harness/opencode/index.ts';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mock = createMockOpenCode({});
const l = await mock.listen({ dispatch: (process.argv[2] ?? 'direct') as 'direct' | 'msw' });
const id = mock.state.create({}).id;
const { request, Agent } = await import('node:http');
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const get = () => new Promise<void>((resolve, reject) => {
  const r = request(`${l.url}/session/${id}`, { agent }, (res) => { res.resume(); res.on('end', resolve); });
  r.on('error', reject); r.end();
});
async function sample() {
  for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 10)); }
  gc();
  const s = Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name, x.space_used_size]));
  return s;
}
const rows: Record<string, number>[] = [];
for (let round = 0; round < 8; round++) {
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < 4000) { next++; await get(); } }));
  rows.push(await sample());
}
for (const k of Object.keys(rows[0]!)) console.log(k.padEnd(28), rows.map((r) => ((r[k]! - rows[1]![k]!) / 1024).toFixed(0).padStart(6)).join(''));
await l.close();
agent.destroy();
