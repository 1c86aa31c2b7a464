// The reference adapters' start rules (fixtures/targets/resume), in-process against the mock
// OpenCode (msw): which cursor resumes, which starts fresh, which fails loudly.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockOpenCode } from '../../harness/opencode/index.ts';
import type { Adapter } from '../../harness/host/adapter-contract.ts';
import { createAdapter as createFixed } from '../../fixtures/targets/resume/fixed.ts';
import { createAdapter as createTwin } from '../../fixtures/targets/resume/every-error-not-found.ts';
import { createAdapter as createLeaky } from '../../fixtures/targets/resume/leaky.ts';

const ORIGIN = 'http://opencode.test';
const DIR = '/work/project';
const mock = createMockOpenCode({ origin: ORIGIN, seed: 3, directory: DIR, reply: { toolCallsPerMessage: 0 } });
const server = setupServer(...mock.handlers);
const PERMISSION = [{ permission: 'edit', pattern: '*', action: 'ask' as const }];

function make(create: typeof createFixed): { adapter: Adapter; cursors: Map<string, unknown> } {
  const cursors = new Map<string, unknown>();
  const adapter = create({ opencodeUrl: ORIGIN, options: {}, emitCursor: (t, c) => cursors.set(t, c) });
  return { adapter, cursors };
}

async function conversation(adapter: Adapter, threadId: string): Promise<string> {
  const { sessionId } = await adapter.start({ threadId, directory: DIR, permission: PERMISSION });
  await adapter.sendTurn({ threadId, text: 'turn 1: remember teal-egret' });
  await adapter.stop(threadId);
  return sessionId;
}

beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => server.close());
beforeEach(() => {
  mock.faults.clear();
  mock.accounting.reset();
});

describe('fixed adapter', () => {
  it('emits { schemaVersion: 1, sessionId } and resumes from it, re-applying permissions', async () => {
    const { adapter, cursors } = make(createFixed);
    const first = await conversation(adapter, 'a');
    expect(cursors.get('a')).toEqual({ schemaVersion: 1, sessionId: first, directory: DIR });
    const again = await adapter.start({ threadId: 'a', cursor: cursors.get('a'), directory: DIR, permission: PERMISSION });
    expect(again.sessionId).toBe(first);
    expect(mock.accounting.snapshot().byRoute['session.update']?.calls).toBe(1);
    const reply = await adapter.sendTurn({ threadId: 'a', text: 'what was it?' });
    expect(reply.text).toContain('saw 3 non-system msgs');
  });

  it.each([
    ['another schema version', (id: string) => ({ schemaVersion: 2, sessionId: id })],
    ['a missing id', () => ({ schemaVersion: 1 })],
    ['a string', () => 'ses_garbage'],
  ])('starts fresh from %s, without asking session.get', async (_what, cursorOf) => {
    const { adapter } = make(createFixed);
    const first = await conversation(adapter, 'b');
    const next = await adapter.start({ threadId: 'b', cursor: cursorOf(first), directory: DIR });
    expect(next.sessionId).not.toBe(first);
    expect(mock.accounting.snapshot().byRoute['session.get']?.calls ?? 0).toBe(0);
  });

  it('starts fresh when session.get answers 404 (a deleted session)', async () => {
    const { adapter, cursors } = make(createFixed);
    const first = await conversation(adapter, 'c');
    mock.faults.add({ kind: '404', route: 'session.get', sessionID: first, times: 1 });
    const next = await adapter.start({ threadId: 'c', cursor: cursors.get('c'), directory: DIR });
    expect(next.sessionId).not.toBe(first);
    expect(cursors.get('c')).toEqual({ schemaVersion: 1, sessionId: next.sessionId, directory: DIR });
  });

  it.each([['500'], ['drop']] as const)('fails the start loudly on a %s from session.get and keeps the cursor', async (kind) => {
    const { adapter, cursors } = make(createFixed);
    const first = await conversation(adapter, 'd');
    mock.faults.add({ kind, route: 'session.get', sessionID: first, times: 1 });
    await expect(adapter.start({ threadId: 'd', cursor: cursors.get('d'), directory: DIR })).rejects.toThrow();
    expect(cursors.get('d')).toEqual({ schemaVersion: 1, sessionId: first, directory: DIR });
    // The fault is used up: the retry resumes the same conversation.
    expect((await adapter.start({ threadId: 'd', cursor: cursors.get('d'), directory: DIR })).sessionId).toBe(first);
  });

  it('forks when the session lives in another directory (history copied), and moves the cursor', async () => {
    const { adapter, cursors } = make(createFixed);
    const first = await conversation(adapter, 'e');
    const moved = await adapter.start({ threadId: 'e', cursor: cursors.get('e'), directory: '/work/worktree' });
    expect(moved.sessionId).not.toBe(first);
    expect(mock.accounting.snapshot().byRoute['session.fork']?.calls).toBe(1);
    expect(mock.state.messages(moved.sessionId)?.length).toBe(2);
    expect(cursors.get('e')).toEqual({ schemaVersion: 1, sessionId: moved.sessionId, directory: '/work/worktree' });
    // The fork stays in its source's directory (as on opencode serve 1.18.33): the cursor's
    // directory keeps the next start from forking again.
    await adapter.stop('e');
    const again = await adapter.start({ threadId: 'e', cursor: cursors.get('e'), directory: '/work/worktree' });
    expect(again.sessionId).toBe(moved.sessionId);
    expect(mock.accounting.snapshot().byRoute['session.fork']?.calls).toBe(1);
  });
});

describe('fixed adapter, concurrent starts of one thread', () => {
  it('the overtaken start binds nothing and aborts the session it created itself', async () => {
    const { adapter } = make(createFixed);
    const [older, newer] = await Promise.allSettled([
      adapter.start({ threadId: 'h', directory: DIR }),
      adapter.start({ threadId: 'h', directory: DIR }),
    ]);
    expect(older.status).toBe('rejected');
    expect(String((older as PromiseRejectedResult).reason)).toMatch(/overtaken by a newer start/);
    const bound = (newer as PromiseFulfilledResult<{ sessionId: string }>).value.sessionId;
    const aborted = Object.entries(mock.accounting.snapshot().bySession)
      .filter(([, c]) => (c.byRoute['session.abort']?.calls ?? 0) > 0)
      .map(([id]) => id);
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).not.toBe(bound);
    expect((await adapter.sendTurn({ threadId: 'h', text: 'hello' })).sessionId).toBe(bound);
  });

  it('never aborts a resumed session, even when overtaken', async () => {
    const { adapter, cursors } = make(createFixed);
    const first = await conversation(adapter, 'i');
    mock.accounting.reset();
    const [older, newer] = await Promise.allSettled([
      adapter.start({ threadId: 'i', cursor: cursors.get('i'), directory: DIR }),
      adapter.start({ threadId: 'i', cursor: cursors.get('i'), directory: DIR }),
    ]);
    expect(older.status).toBe('rejected');
    expect((newer as PromiseFulfilledResult<{ sessionId: string }>).value.sessionId).toBe(first);
    expect(mock.accounting.snapshot().byRoute['session.abort']?.calls ?? 0).toBe(0);
  });
});

describe('the twins', () => {
  it('every-error-not-found: a 500 on session.get silently starts a new session', async () => {
    const { adapter, cursors } = make(createTwin);
    const first = await conversation(adapter, 'f');
    mock.faults.add({ kind: '500', route: 'session.get', sessionID: first, times: 1 });
    const next = await adapter.start({ threadId: 'f', cursor: cursors.get('f'), directory: DIR });
    expect(next.sessionId).not.toBe(first);
  });

  it('leaky: never emits a cursor and always creates a session', async () => {
    const { adapter, cursors } = make(createLeaky);
    const first = await conversation(adapter, 'g');
    const next = await adapter.start({ threadId: 'g', cursor: { schemaVersion: 1, sessionId: first }, directory: DIR });
    expect(next.sessionId).not.toBe(first);
    expect(cursors.size).toBe(0);
  });
});
