const [url, mode, count, sid, seeded] = process.argv.slice(2);
let next = 0;
const n = Number(count);
async function one(i: number) {
  switch (Number(mode)) {
    case 3: await (await fetch(`${url}/session/${seeded}/message?limit=20`)).arrayBuffer(); return;
    case 7: await (await fetch(`${url}/session/${sid}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"title":"same"}' })).arrayBuffer(); return;
    default: await (await fetch(`${url}/session/${sid}`)).arrayBuffer();
  }
}
await Promise.all(Array.from({ length: 8 }, async () => { while (next < n) await one(next++); }));
