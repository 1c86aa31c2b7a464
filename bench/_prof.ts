import { createRequire } from 'node:module';
import { spawnMockOpenCode } from '../harness/opencode/index.ts';
const autocannon = createRequire(import.meta.url)('autocannon') as any;
const mock = await spawnMockOpenCode(['--tool-calls', '2', '--tool-output-bytes', '4096'], ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']);
const res = await fetch(`${mock.url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
const id = ((await res.json()) as any).id;
const mode = process.argv[2] ?? 'get';
const requests = mode === 'get' ? [{ method: 'GET', path: `/session/${id}` }] : [
  { method: 'POST', path: '/session', headers: { 'content-type': 'application/json' }, body: '{"title":"c"}', onResponse: (_s: number, b: string, c: any) => { c.id = JSON.parse(b).id; } },
  { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"parts":[{"type":"text","text":"x"}]}', setupRequest: (r: any, c: any) => ({ ...r, path: `/session/${c.id}/message` }) },
  { method: 'DELETE', setupRequest: (r: any, c: any) => ({ ...r, path: `/session/${c.id}` }) },
];
const r = await autocannon({ url: mock.url, connections: 16, duration: 4, requests });
console.log(r.requests.average);
await mock.stop();
