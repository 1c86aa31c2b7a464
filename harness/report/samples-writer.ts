// samples.ndjson: one JSON line per sample, appended as each sample is taken. Lines are
// written synchronously to the file descriptor, so a harness crash loses at most the sample
// being written (and a truncated last line is skipped when reading back).
import fs from 'node:fs';
import path from 'node:path';
import type { Sample } from '../core/types.ts';

export interface SampleStream {
  write(sample: Sample): void;
  close(): Promise<void>;
}

export function openSampleStream(file: string): SampleStream {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let fd: number | undefined = fs.openSync(file, 'a');
  return {
    write(sample) {
      if (fd === undefined) throw new Error(`sample stream ${file} is closed`);
      const line = Buffer.from(`${JSON.stringify(sample)}\n`, 'utf8');
      let off = 0;
      while (off < line.length) off += fs.writeSync(fd, line, off, line.length - off);
    },
    async close() {
      if (fd === undefined) return;
      const closing = fd;
      fd = undefined;
      fs.closeSync(closing);
    },
  };
}

/** Every complete sample of the file, in order; a truncated last line (a crash mid-write) is dropped. */
export function readSamples(file: string): Sample[] {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const samples: Sample[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      samples.push(JSON.parse(line) as Sample);
    } catch (error) {
      // Only the last line can be cut short by a crash; damage elsewhere is a real problem.
      const isLast = i === lines.length - 1;
      if (!isLast) throw new Error(`${file}:${i + 1}: not a sample line: ${(error as Error).message}`);
    }
  });
  return samples;
}
