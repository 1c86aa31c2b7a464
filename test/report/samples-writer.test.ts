// samples.ndjson must survive a crash of the harness: every sample written before the crash
// reads back, and a line cut short by the crash is skipped, not fatal.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSampleStream, readSamples } from '../../harness/report/samples-writer.ts';
import { leakySamples } from './fixtures.ts';

const dirs: string[] = [];
function tempFile(name = 'samples.ndjson'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-samples-'));
  dirs.push(d);
  return path.join(d, name);
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('openSampleStream', () => {
  it('has every written line on disk before close (write, do not close, read back)', () => {
    const file = tempFile();
    const stream = openSampleStream(file);
    const samples = leakySamples(5);
    for (const s of samples) stream.write(s);
    expect(readSamples(file)).toEqual(samples);
    return stream.close();
  });

  it('keeps every sample of a process killed mid-run without closing the stream', () => {
    const file = tempFile();
    const script = path.join(path.dirname(file), 'crash.ts');
    const writer = pathToFileURL(path.resolve('harness/report/samples-writer.ts')).href;
    fs.writeFileSync(
      script,
      `import { openSampleStream } from ${JSON.stringify(writer)};
const stream = openSampleStream(${JSON.stringify(file)});
for (let seq = 0; seq < 7; seq++) stream.write({ seq, wallMs: seq, virtualMs: 0, phase: 'churn', work: { session: seq }, heapUsedBytes: 1, heapTotalBytes: 2 });
process.kill(process.pid, 'SIGKILL');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(run.signal).toBe('SIGKILL');
    expect(readSamples(file).map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('appends to an existing file and creates missing parent directories', async () => {
    const file = path.join(path.dirname(tempFile()), 'run', 'nested', 'samples.ndjson');
    const [a, b] = leakySamples(2);
    const first = openSampleStream(file);
    first.write(a!);
    await first.close();
    const second = openSampleStream(file);
    second.write(b!);
    await second.close();
    expect(readSamples(file)).toEqual([a, b]);
  });

  it('refuses writes after close instead of losing them silently', async () => {
    const stream = openSampleStream(tempFile());
    await stream.close();
    expect(() => stream.write(leakySamples(1)[0]!)).toThrow(/closed/);
  });
});

describe('readSamples', () => {
  it('skips a truncated last line', () => {
    const file = tempFile();
    const samples = leakySamples(3);
    const full = samples.map((s) => JSON.stringify(s)).join('\n');
    fs.writeFileSync(file, `${full}\n${JSON.stringify(leakySamples(4)[3]).slice(0, 40)}`);
    expect(readSamples(file)).toEqual(samples);
  });

  it('reads an empty file as no samples', () => {
    const file = tempFile();
    fs.writeFileSync(file, '');
    expect(readSamples(file)).toEqual([]);
  });

  it('fails loudly on a damaged line that is not the last one', () => {
    const file = tempFile();
    const [a, b] = leakySamples(2).map((s) => JSON.stringify(s));
    fs.writeFileSync(file, `${a}\n{"seq": 1, broken\n${b}\n`);
    expect(() => readSamples(file)).toThrow(/:2: not a sample line/);
  });
});
