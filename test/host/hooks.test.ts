// The hook dispatcher: plugins in load order, each awaited before the next; a hook that throws or
// rejects is counted where it happened and never stops the others; plugin code sees which hook and
// which tool call it serves, across its own awaits.
import { describe, expect, it } from 'vitest';
import type { Hooks } from '@opencode-ai/plugin';
import type { Event } from '@opencode-ai/sdk';
import { createDispatcher, currentHook, currentToolCall, inToolCall } from '../../harness/host/hooks.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const idle = { id: 'evt_1', type: 'session.idle', properties: { sessionID: 'ses_1' } } as unknown as Event;

describe('the hook dispatcher', () => {
  it('calls each plugin in load order and waits for one before it calls the next', async () => {
    const trace: string[] = [];
    const plugin = (name: string): Hooks => ({
      'chat.params': async (_input, output) => {
        trace.push(`${name} start`);
        await tick();
        output.temperature = (output.temperature ?? 0) + 1;
        trace.push(`${name} end`);
      },
    });
    const dispatcher = createDispatcher([plugin('a'), {}, plugin('b')], () => {});
    const output = { temperature: undefined as number | undefined, topP: undefined, topK: undefined, options: {} };
    await dispatcher.call('chat.params', {}, output);
    expect(trace).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(output.temperature).toBe(2);
    expect(dispatcher.calls).toEqual({ 'chat.params': 2 });
  });

  it('counts a hook that throws and one that rejects, reports both, and still calls the plugins after them', async () => {
    const reported: string[] = [];
    const seen: string[] = [];
    const hooks: Hooks[] = [
      {
        event: () => {
          throw new Error('sync');
        },
        'tool.execute.before': async () => {
          await tick();
          throw new Error('async');
        },
      },
      {
        event: async ({ event }) => void seen.push(event.type),
        'tool.execute.before': async () => void seen.push('before'),
      },
    ];
    const dispatcher = createDispatcher(hooks, (where, error) => reported.push(`${where}: ${(error as Error).message}`));
    await dispatcher.event(idle);
    await dispatcher.call('tool.execute.before', { tool: 'read', sessionID: 'ses_1', callID: 'c1' }, { args: {} });
    expect(reported).toEqual(['event:session.idle: sync', 'tool.execute.before: async']);
    expect(dispatcher.errors).toEqual({ 'event:session.idle': 1, 'tool.execute.before': 1 });
    expect(seen).toEqual(['session.idle', 'before']);
    expect(dispatcher.calls).toEqual({ event: 2, 'tool.execute.before': 2 });
  });

  it('lets plugin code see its hook and tool call after its own awaits, and nothing outside', async () => {
    const seen: (string | undefined)[][] = [];
    const dispatcher = createDispatcher(
      [
        {
          'tool.execute.after': async () => {
            await tick();
            seen.push([currentHook(), currentToolCall()]);
          },
          'chat.message': async () => {
            await tick();
            seen.push([currentHook(), currentToolCall()]);
          },
        },
      ],
      () => {},
    );
    await inToolCall('call_7', () =>
      dispatcher.call(
        'tool.execute.after',
        { tool: 'read', sessionID: 's', callID: 'call_7', args: {} },
        { title: '', output: '', metadata: {} },
      ),
    );
    await dispatcher.call('chat.message', { sessionID: 's' }, { message: {}, parts: [] });
    expect(seen).toEqual([
      ['tool.execute.after', 'call_7'],
      ['chat.message', undefined],
    ]);
    expect([currentHook(), currentToolCall()]).toEqual([undefined, undefined]);
  });

  it('does nothing for a hook no plugin registered', async () => {
    const dispatcher = createDispatcher([{ event: async () => {} }], () => {});
    await dispatcher.call('chat.headers', {}, { headers: {} });
    expect(dispatcher.calls).toEqual({});
    expect(dispatcher.has('chat.headers')).toBe(false);
    expect(dispatcher.has('event')).toBe(true);
  });
});
