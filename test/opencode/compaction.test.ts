// Compaction on the mock against what the real server sent its model (recorded from opencode serve
// 1.18.33 through the same fake LLM: real-compaction-requests.json). Runs without the real binary,
// so CI checks what test/opencode/parity.test.ts checks live on a machine that has it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../harness/opencode/index.ts';
import { serve, type Served } from './helpers.ts';

const recorded = JSON.parse(readFileSync(new URL('./real-compaction-requests.json', import.meta.url), 'utf8')) as {
  requests: ChatMessage[][];
};

/** The model's input without the system prompt of plain prompts (the mock's own, one line). */
const withoutPlainSystem = (messages: ChatMessage[]) =>
  messages.filter(
    (m) => !(m.role === 'system' && typeof m.content === 'string' && !m.content.startsWith('You are a context summarization agent')),
  );

describe('compaction (mock)', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve('loopback');
  });
  afterAll(() => s.close());

  async function session() {
    return (await s.v2.session.create({ title: 'compaction' })).data!;
  }
  const summarize = (id: string) => s.v2.session.summarize({ sessionID: id, providerID: 'fake', modelID: 'fake-1' });
  const text = (t: string) => ({ type: 'text' as const, text: t });

  it('sends the model, word for word, what the real server sent for two summaries and the prompts around them', async () => {
    const { id } = await session();
    const from = s.mock.llm.total;
    await s.v2.session.prompt({ sessionID: id, parts: [text('one')] });
    await summarize(id);
    await s.v2.session.prompt({ sessionID: id, parts: [text('two a'), text('two b')] });
    await summarize(id);
    await s.v2.session.prompt({ sessionID: id, parts: [text('three')] });
    const sent = s.mock.llm.requests().filter((r) => r.n > from);
    // The fake LLM numbers its replies from its first request: this mock's count started elsewhere.
    const renumber = (v: unknown) =>
      JSON.parse(JSON.stringify(v).replace(/FAKE-REPLY#(\d+)/g, (_, n: string) => `FAKE-REPLY#${Number(n) - from}`)) as unknown;
    expect(sent.map((r) => renumber(withoutPlainSystem(r.messages)))).toEqual(recorded.requests);
  });

  it('after a compaction the model sees the summary, not the older turns: a canary survives only if the summary carries it', async () => {
    const { id } = await session();
    await s.v2.session.prompt({ sessionID: id, parts: [text('remember the canary RED-KITE')] });
    // A summarizer that drops everything: the canary is gone for the next prompt.
    s.mock.llm.setReply((r) =>
      r.messages[0]?.role === 'system' && String(r.messages[0].content).startsWith('You are a context summarization agent')
        ? 'nothing to report'
        : `ok ${r.n}`,
    );
    try {
      await summarize(id);
      await s.v2.session.prompt({ sessionID: id, parts: [text('what was the canary?')] });
      const forgot = s.mock.llm.requests().at(-1)!;
      expect(withoutPlainSystem(forgot.messages)).toEqual([
        { role: 'user', content: 'What did we do so far?' },
        { role: 'assistant', content: 'nothing to report' },
        { role: 'user', content: 'what was the canary?' },
      ]);
    } finally {
      s.mock.llm.setReply();
    }
    // The default fake echoes its input, so its summary carries the canary forward.
    const kept = await session();
    await s.v2.session.prompt({ sessionID: kept.id, parts: [text('remember the canary RED-KITE')] });
    await summarize(kept.id);
    await s.v2.session.prompt({ sessionID: kept.id, parts: [text('what was the canary?')] });
    const last = s.mock.llm.requests().at(-1)!;
    expect(withoutPlainSystem(last.messages).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(last.messages)).toContain('RED-KITE');
  });

  it('stores a prompt of several text parts as several parts', async () => {
    const { id } = await session();
    await s.v2.session.prompt({ sessionID: id, parts: [text('a'), text('b')], noReply: true });
    const [user] = (await s.v2.session.messages({ sessionID: id })).data!;
    expect(user!.parts.map((p) => (p.type === 'text' ? p.text : p.type))).toEqual(['a', 'b']);
  });
});
