// The batch framing between the plugin host and the mock: bodies of any size and any UTF-8 come back
// byte for byte, and answers are read whatever the chunking of the response stream.
import { describe, expect, it } from 'vitest';
import { AnswerReader, decodeBatch, encodeAnswer, encodeBatch, type BatchAnswer, type BatchItem } from '../../harness/opencode/batch.ts';

describe('the batch framing', () => {
  it('carries requests with and without bodies, multi-byte text included', () => {
    const items: BatchItem[] = [
      { method: 'POST', path: '/session', headers: { 'x-opencode-directory': '%2Fp' }, body: '{"title":"é — 日本"}' },
      { method: 'DELETE', path: '/session/ses_1', headers: {} },
      { method: 'POST', path: '/session/ses_1/message?x=1', headers: { 'content-type': 'application/json' }, body: '' },
      { method: 'POST', path: '/session', headers: {}, body: 'x'.repeat(70_000) },
    ];
    expect(decodeBatch(encodeBatch(items))).toEqual(items);
  });

  it('reads answers split at any byte, in the order they arrive', () => {
    const answers: [number, BatchAnswer][] = [
      [2, { kind: 'reply', status: 200, body: '{"ok":"ü"}' }],
      [0, { kind: 'dropped' }],
      [1, { kind: 'reply', status: 204, body: '' }],
      [3, { kind: 'reply', status: 404, body: '{"name":"NotFoundError"}' }],
    ];
    const stream = Buffer.concat(answers.map(([i, a]) => encodeAnswer(i, a)));
    for (const size of [1, 3, 7, stream.length]) {
      const got: [number, BatchAnswer][] = [];
      const reader = new AnswerReader((i, a) => got.push([i, a]));
      for (let at = 0; at < stream.length; at += size) reader.push(stream.subarray(at, at + size));
      expect(got).toEqual(answers);
    }
  });

  it('refuses a request without its header line', () => {
    expect(() => decodeBatch(Buffer.from('no newline here'))).toThrow(/no header line/);
  });
});
