// Take a heap snapshot of the target over CDP, straight to disk. Snapshots run to hundreds of
// MB, so chunks are written as they arrive and never gathered in memory.
import fs from 'node:fs';
import path from 'node:path';

/** The few CDP calls this needs; any client (ws, chrome-remote-interface) fits. */
export interface CdpLike {
  send(method: string, params?: object): Promise<any>;
  on(event: string, listener: (params: any) => void): void;
  off(event: string, listener: (params: any) => void): void;
}

export async function takeHeapSnapshot(cdp: CdpLike, file: string): Promise<{ file: string; bytes: number }> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write to a side file and rename at the end, so a half-written snapshot never looks complete.
  const partial = `${file}.partial`;
  const fd = fs.openSync(partial, 'w');
  let bytes = 0;
  let writeError: unknown;
  const onChunk = (params: { chunk?: string }) => {
    if (writeError !== undefined || typeof params?.chunk !== 'string') return;
    try {
      // Synchronous: memory stays flat however fast chunks come (no queue of pending writes).
      const buf = Buffer.from(params.chunk, 'utf8');
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      bytes += buf.length;
    } catch (error) {
      writeError = error;
    }
  };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    // The call resolves after the last chunk has been sent, so all chunks are in by then.
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  fs.closeSync(fd);
  if (writeError !== undefined) {
    fs.rmSync(partial, { force: true });
    throw writeError;
  }
  fs.renameSync(partial, file);
  return { file, bytes };
}
