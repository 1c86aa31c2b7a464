// memlab's unbound-collection output is text; these pin down how it is read into rows.
import { describe, expect, it } from 'vitest';
import { parseUnboundCsv, parseUnboundLog, unboundFoundNothing } from '../../harness/diagnose/parse-unbound.ts';

describe('parseUnboundCsv', () => {
  it('reads name, id, type and the size history of each row', () => {
    const rows = parseUnboundCsv('Map,86867,object,1001,2001,3001\nSet,12,object,5,9\n');
    expect(rows).toEqual([
      { id: '@86867', name: 'Map', type: 'object', history: [1001, 2001, 3001] },
      { id: '@12', name: 'Set', type: 'object', history: [5, 9] },
    ]);
  });

  it('keeps a name that itself contains commas (memlab does not quote)', () => {
    expect(parseUnboundCsv('Object { a, b },7,object,1,2')[0]).toMatchObject({ id: '@7', name: 'Object { a, b }', history: [1, 2] });
  });

  it('skips blank and malformed lines', () => {
    expect(parseUnboundCsv('\nnonsense\n1,2,3\n')).toEqual([]);
  });
});

describe('parseUnboundLog', () => {
  it('reads the "· Map [object](@id):  a > b > c" lines, with or without colour codes', () => {
    const log = [
      'parsing /tmp/s3.heapsnapshot ...',
      'Top growing objects in sizes:',
      ' (Use `memlab trace --node-id=@ID` to get trace)',
      '',
      '· Map [object](@86867):  1001 > 2001 > 3001',
      '\u001b[90m· \u001b[39m\u001b[34;1mSet\u001b[39m [object](\u001b[90m@5\u001b[39m):  3\u001b[90m > \u001b[39m7',
    ].join('\n');
    expect(parseUnboundLog(log)).toEqual([
      { id: '@86867', name: 'Map', type: 'object', history: [1001, 2001, 3001] },
      { id: '@5', name: 'Set', type: 'object', history: [3, 7] },
    ]);
  });

  it('recognises memlab saying that nothing grew', () => {
    expect(unboundFoundNothing('Checking unbounded collections...\nNo increasing collections found.')).toBe(true);
    expect(parseUnboundLog('No increasing collections found.')).toEqual([]);
  });
});
