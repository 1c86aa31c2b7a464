// The mock's batch route: several OpenCode requests in one loopback HTTP exchange. The plugin host
// plays hundreds of session lives a second, and per request the HTTP machinery on both ends (a
// ClientRequest, socket writes, parsers) cost more CPU than the mock's answer itself; requests that
// sessions in flight issue in the same tick go as one POST, and each is answered by the same route,
// with the same headers, body, faults and accounting as on its own. Only the mock has this route:
// against the real server (or any other) the host sends plain requests.
//
// Framing: the request is one line of JSON describing the items, a newline, then the items' bodies
// back to back (UTF-8), their byte lengths given in the line; the response is a stream of answers,
// each a line and its body. No body is re-encoded as a JSON string.

export const BATCH_PATH = '/__churnlab/batch';
/** Both ways; a server that answers the batch path with anything else has no batch route. */
export const BATCH_CONTENT_TYPE = 'application/x-churnlab-batch';

/** One request in a batch: what a plain request would carry. */
export interface BatchItem {
  method: string;
  /** Path and query, as on the request line. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string;
}

/** One answer: an HTTP status and body, or a dropped connection (what a plain request would see). */
export type BatchAnswer = { kind: 'reply'; status: number; body: string } | { kind: 'dropped' };

interface ItemHead {
  m: string;
  p: string;
  h: Record<string, string>;
  /** Body bytes; -1: no body. */
  n: number;
}

const NEWLINE = 0x0a;

function frame(head: unknown, bodies: readonly (string | undefined)[]): Buffer {
  const parts = [Buffer.from(`${JSON.stringify(head)}\n`, 'utf8')];
  for (const body of bodies) if (body !== undefined && body !== '') parts.push(Buffer.from(body, 'utf8'));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

export function encodeBatch(items: readonly BatchItem[]): Buffer {
  const head: ItemHead[] = items.map((i) => ({
    m: i.method,
    p: i.path,
    h: i.headers,
    n: i.body === undefined ? -1 : Buffer.byteLength(i.body),
  }));
  return frame(
    head,
    items.map((i) => i.body),
  );
}

export function decodeBatch(bytes: Buffer): BatchItem[] {
  const end = bytes.indexOf(NEWLINE);
  if (end === -1) throw new Error('churnlab batch request: no header line');
  const head = JSON.parse(bytes.toString('utf8', 0, end)) as ItemHead[];
  if (!Array.isArray(head)) throw new Error('churnlab batch request: the header line is not a list');
  let at = end + 1;
  return head.map((h) => {
    const body = h.n < 0 ? undefined : bytes.toString('utf8', at, at + h.n);
    at += Math.max(0, h.n);
    return { method: String(h.m), path: String(h.p), headers: h.h ?? {}, ...(body !== undefined ? { body } : {}) };
  });
}

/**
 * One answer on the batch's response stream, written as soon as it is ready (so a slow answer
 * holds up no other): `[index, status, bytes]` on a line, then the body; status 0 is a dropped
 * connection.
 */
export function encodeAnswer(index: number, answer: BatchAnswer): Buffer {
  return answer.kind === 'dropped'
    ? frame([index, 0, 0], [])
    : frame([index, answer.status, Buffer.byteLength(answer.body)], [answer.body]);
}

/** Reads answers off the response stream as they arrive, whatever the chunking. */
export class AnswerReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onAnswer: (index: number, answer: BatchAnswer) => void) {}

  push(chunk: Buffer): void {
    let bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const end = bytes.indexOf(NEWLINE);
      if (end === -1) break;
      const [index, status, n] = JSON.parse(bytes.toString('utf8', 0, end)) as [number, number, number];
      if (bytes.length < end + 1 + n) break;
      this.onAnswer(
        index,
        status === 0 ? { kind: 'dropped' } : { kind: 'reply', status, body: bytes.toString('utf8', end + 1, end + 1 + n) },
      );
      bytes = bytes.subarray(end + 1 + n);
    }
    this.pending = bytes;
  }
}
