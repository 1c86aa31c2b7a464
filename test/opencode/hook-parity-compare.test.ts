// The hook comparison itself: it must see every real difference (a missing hook, a hook out of
// order, a shape that lost a key) and none of the variation the real server shows between runs.
// Pure and fast: it works on the committed recording of the real server.
import { describe, expect, it } from 'vitest';
import type { MockEvent } from '../../harness/opencode/index.ts';
import { compareRecordings, skeleton, turnsOf, type CompactRecording } from './hook-parity.ts';
import { committedRecording } from './hook-recordings.ts';
import { sessionEvents } from './parity-cases.ts';

const real = committedRecording();
const ids = (a: CompactRecording, b: CompactRecording) => compareRecordings(a, b).map((d) => d.id);
const withCalls = (calls: string[]): CompactRecording => ({ ...real, calls });

/** Moves the first occurrence of `label` after index `to` (a varied order, as the server shows). */
function moveAfter(calls: readonly string[], label: string, after: string): string[] {
  const out = [...calls];
  const from = out.indexOf(label);
  out.splice(from, 1);
  out.splice(out.indexOf(after, from) + 1, 0, label);
  return out;
}

describe('hook comparison', () => {
  it('finds every turn kind the host plays in the committed recording', () => {
    const kinds = new Set(turnsOf(real.calls).map((t) => t.kind));
    expect([...kinds].sort()).toEqual(['abort', 'command', 'compaction', 'compaction-auto', 'text', 'tools']);
    expect(turnsOf(real.calls).some((t) => t.title)).toBe(true);
  });

  it('a recording compared with itself has no differences', () => {
    expect(ids(real, real)).toEqual([]);
  });

  it('tolerates the orders the real server varies: concurrent tools, session.diff, the title call', () => {
    let varied = moveAfter(real.calls, 'shell.env', 'tool.execute.after@read');
    varied = moveAfter(varied, 'event:session.diff', 'chat.headers@build');
    // The title call (system.transform, chat.params, chat.headers) moved past the reply's idle.
    const titleAt = varied.indexOf('chat.params@title') - 1;
    const title = varied.splice(titleAt, 3);
    const idleAt = varied.indexOf('event:session.idle', titleAt);
    varied.splice(idleAt + 1, 0, ...title);
    expect(varied).not.toEqual(real.calls);
    expect(ids(real, withCalls(varied))).toEqual([]);
  });

  it('sees a hook the host never calls, and one it calls that the server does not', () => {
    const without = real.calls.filter((c) => !c.startsWith('chat.params'));
    expect(ids(real, withCalls(without))).toContain('hook-not-called:chat.params');
    expect(ids(withCalls(without), real)).toContain('hook-extra:chat.params');
  });

  it('sees a hook out of order within a turn', () => {
    const swapped = moveAfter(real.calls, 'experimental.chat.messages.transform', 'chat.headers@build');
    expect(ids(real, withCalls(swapped))).toContain('sequence:text');
  });

  it('sees a tool call whose after comes before its before', () => {
    const at = real.calls.indexOf('tool.execute.after@bash');
    const broken = [...real.calls];
    broken.splice(at, 1);
    broken.splice(real.calls.indexOf('tool.execute.before@bash'), 0, 'tool.execute.after@bash');
    const tools = turnsOf(broken).find((t) => t.kind === 'tools')!;
    expect(skeleton(tools)).toContain('!order');
    expect(ids(real, withCalls(broken))).toContain('sequence:tools');
  });

  it('sees a shape that lost a key, and accepts a key the server leaves undefined', () => {
    const params = real.shapes['chat.params@build']!;
    const input = params.input as Record<string, unknown>;
    const { provider: _dropped, ...lost } = input;
    const lostKey = { ...real, shapes: { ...real.shapes, 'chat.params@build': { ...params, input: lost } } };
    expect(compareRecordings(real, lostKey).find((d) => d.id === 'shape:chat.params@build')?.detail).toContain('input.provider: missing');
    const message = real.shapes['chat.message']!;
    const output = message.output as { message: Record<string, unknown>; parts: unknown };
    const { format: _undefinedOnServer, ...rest } = output.message;
    const withoutUndefined = { ...real, shapes: { ...real.shapes, 'chat.message': { ...message, output: { ...output, message: rest } } } };
    expect(ids(real, withoutUndefined)).toEqual([]);
  });
});

describe('event stream parity tolerates session.diff anywhere after the assistant message', () => {
  const ev = (type: string, properties: Record<string, unknown>) => ({ type, properties }) as unknown as MockEvent;
  const s = 'ses_1';
  const assistant = ev('message.updated', { info: { role: 'assistant', sessionID: s } });
  const stepStart = ev('message.part.updated', { part: { type: 'step-start', sessionID: s } });
  const busy = ev('session.status', { sessionID: s, status: { type: 'busy' } });
  const diff = ev('session.diff', { sessionID: s, diff: [] });

  it('diff before or after the step-start part gives the same observation', () => {
    expect(sessionEvents([assistant, diff, busy, stepStart], s)).toEqual(sessionEvents([assistant, busy, stepStart, diff], s));
  });

  it('diff before the assistant message is a difference', () => {
    expect(sessionEvents([diff, assistant, busy, stepStart], s)).not.toEqual(sessionEvents([assistant, diff, busy, stepStart], s));
  });
});
