// The plugin host's session life against the mock over loopback: every session hook in
// OpenCode's order with real ids, and the mutation semantics of the real server (what a
// transform leaves in its output is what the model is sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpencodeClient } from '@opencode-ai/sdk';
import type { Hooks } from '@opencode-ai/plugin';
import { createMockOpenCode, type MockOpenCode } from '../../harness/opencode/index.ts';
import { createDispatcher } from '../../harness/host/hooks.ts';
import { SessionLife, type LifeCounters, type LifeMix } from '../../harness/host/session-life.ts';
import { SESSION_HOOK_NAMES } from '../../harness/host/hook-catalog.ts';
import { BunUses, bunGlobal, countedShell } from '../../harness/host/bun.ts';

let mock: MockOpenCode;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  mock = createMockOpenCode({ seed: 3, reply: { toolCallsPerMessage: 2, toolOutputBytes: 64, textBytes: 40 } });
  ({ url, close } = await mock.listen());
});
afterAll(() => close());

const counters = (): LifeCounters => ({
  sessions: 0,
  messages: 0,
  toolCalls: 0,
  cleanEnds: 0,
  uncleanEnds: 0,
  compactions: 0,
  smallModelAsks: 0,
});

/** A plugin that records every hook call (name, and the event type for events). */
function recorder(log: string[], extra: Partial<Hooks> = {}): Hooks {
  const hooks: Record<string, unknown> = {};
  for (const name of SESSION_HOOK_NAMES) {
    hooks[name] = async (input: unknown, output: unknown) => {
      log.push(name === 'event' ? `event:${(input as { event: { type: string } }).event.type}` : name);
      await (extra as Record<string, ((i: unknown, o: unknown) => Promise<void>) | undefined>)[name]?.(input, output);
    };
  }
  return hooks as Hooks;
}

function life(hooks: Hooks, mix: LifeMix) {
  const client = createOpencodeClient({ baseUrl: url });
  const dispatcher = createDispatcher([hooks], (where, e) => {
    throw new Error(`${where}: ${String(e)}`);
  });
  return {
    dispatcher,
    life: new SessionLife(
      client,
      dispatcher,
      { userTextBytes: 60, agent: 'build', providerID: 'fake', modelID: 'fake-1' },
      counters(),
      mix,
    ),
  };
}

describe('a session life in the plugin host', () => {
  it('calls every session hook, in OpenCode order, with ids shaped like the real ones', async () => {
    const log: string[] = [];
    const ids: Record<string, string> = {};
    const { life: l, dispatcher } = life(
      recorder(log, {
        'chat.message': async (input) => {
          ids.session = input.sessionID;
          ids.message = input.messageID!;
        },
        'tool.execute.before': async (input) => {
          ids.call = input.callID;
        },
        'permission.ask': async (input) => {
          ids.permission = input.id;
        },
        'experimental.text.complete': async (input) => {
          ids.part = input.partID;
        },
      }),
      { commandShare: 1, permissionShare: 1, compactionShare: 1, untitledShare: 1 },
    );
    const live = await l.open('order', 0);
    await l.turn(live, 0, true);
    await l.endCleanly(live);

    // Every hook of the catalog was called at least once.
    expect(SESSION_HOOK_NAMES.filter((h) => !dispatcher.calls[h])).toEqual([]);
    expect(ids.session).toMatch(/^ses_/);
    expect(ids.message).toMatch(/^msg_/);
    expect(ids.call).toMatch(/^call_/);
    expect(ids.permission).toMatch(/^per_/);
    expect(ids.part).toMatch(/^prt_/);
    const order = [
      'event:session.created',
      'command.execute.before',
      'chat.message',
      'event:message.updated',
      'event:session.status',
      'tool.definition',
      'experimental.chat.messages.transform',
      'experimental.chat.system.transform',
      'chat.params',
      'chat.headers',
      'tool.execute.before',
      'permission.ask',
      'shell.env',
      'tool.execute.after',
      // The second step of a reply with tool calls.
      'tool.definition',
      'experimental.chat.messages.transform',
      'chat.headers',
      'experimental.text.complete',
      'event:session.idle',
      'event:command.executed',
      'experimental.provider.small_model',
      'experimental.session.compacting',
      'experimental.text.complete',
      'experimental.compaction.autocontinue',
      'event:session.compacted',
      'tool.definition',
      'event:session.idle',
      'event:session.deleted',
    ];
    // The order is a subsequence of the calls (the title's model call may come between).
    let at = -1;
    for (const name of order) {
      const next = log.indexOf(name, at + 1);
      expect(next, `${name} after position ${at} (${log[at]})`).toBeGreaterThan(at);
      at = next;
    }
  });

  it('sends the model what messages.transform, system.transform, chat.params and chat.headers left', async () => {
    const hooks: Hooks = {
      'experimental.chat.messages.transform': async (_input, output) => {
        // Keep only the newest message: the model must see one user turn.
        output.messages.splice(0, output.messages.length - 1);
      },
      'experimental.chat.system.transform': async (_input, output) => {
        output.system.push('Answer in French.');
      },
      'chat.params': async (_input, output) => {
        output.temperature = 0.3;
      },
      'chat.headers': async (_input, output) => {
        output.headers['x-trace'] = 'abc';
      },
    };
    const { life: l } = life(hooks, { commandShare: 0, permissionShare: 0, compactionShare: 0, untitledShare: 0 });
    const live = await l.open('transforms', 1);
    mock.llm.clear();
    await l.turn(live, 0);
    await l.turn(live, 1);
    const last = mock.llm.requests().at(-1)!;
    expect(last.messages.filter((m) => m.role !== 'system')).toHaveLength(1);
    expect(last.messages.filter((m) => m.role === 'system').map((m) => m.content)).toContain('Answer in French.');
    expect(last.params?.temperature).toBe(0.3);
    expect(last.headers).toEqual({ 'x-trace': 'abc' });
    l.endUncleanly(live);
    expect(live.history.length).toBe(0);
  });

  it('sends nothing extra when the plugins leave the context as it was', async () => {
    const { life: l } = life(
      { 'experimental.chat.messages.transform': async () => {}, 'chat.params': async () => {} },
      { commandShare: 0, permissionShare: 0, compactionShare: 0, untitledShare: 0 },
    );
    const live = await l.open('untouched', 2);
    mock.llm.clear();
    await l.turn(live, 0);
    await l.turn(live, 1);
    const last = mock.llm.requests().at(-1)!;
    expect(last.messages.filter((m) => m.role !== 'system')).toHaveLength(3);
    expect(last.params).toBeUndefined();
    l.endUncleanly(live);
  });

  it('a tool call denied by permission.ask never reaches tool.execute.after', async () => {
    const log: string[] = [];
    const { life: l } = life(recorder(log, { 'permission.ask': async (_i, output) => void (output.status = 'deny') }), {
      commandShare: 0,
      permissionShare: 1,
      compactionShare: 0,
      untitledShare: 0,
    });
    const live = await l.open('denied', 3);
    await l.turn(live, 0);
    expect(log.filter((n) => n === 'permission.ask')).toHaveLength(2);
    expect(log).not.toContain('tool.execute.after');
    expect(log).not.toContain('shell.env');
    l.endUncleanly(live);
  });
});

describe('Bun APIs in the Node host', () => {
  it('counts each Bun API and $ use per API, shims Bun.file and Bun.write, and refuses the rest', async () => {
    const uses = new BunUses();
    const Bun = bunGlobal(uses) as {
      file(p: string): { text(): Promise<string>; exists(): Promise<boolean> };
      write(p: string, d: string): Promise<number>;
      spawn(): void;
    };
    const path = `${process.env.TMPDIR ?? '/tmp'}/churnlab-bun-shim-${process.pid}.txt`;
    expect(await Bun.write(path, 'hello')).toBe(5);
    expect(await Bun.file(path).text()).toBe('hello');
    expect(await Bun.file(`${path}.missing`).exists()).toBe(false);
    expect(() => Bun.spawn()).toThrow(/no Bun.spawn/);
    const $ = countedShell(uses) as unknown as (s: TemplateStringsArray) => unknown;
    expect(() => $`ls`).toThrow(/no Bun shell/);
    const byApi = Object.fromEntries(uses.list().map((u) => [u.api, u]));
    expect(byApi['Bun.file']?.count).toBe(2);
    expect(byApi['Bun.file']?.shimmed).toBe(true);
    expect(byApi['Bun.spawn']?.shimmed).toBe(false);
    expect(byApi.$?.count).toBe(1);
    expect(byApi.$?.hook).toBe('plugin load');
  });
});
