// The interrupt's small parts: exit codes as shells report them, the race of work against the
// signal (which leaves no listener behind however many runs share one signal).
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { interruptExitCode, Interrupted, interruptOf, isInterruptExitCode, untilInterrupted } from '../../harness/core/interrupt.ts';

describe('interrupt exit codes', () => {
  it('are 128 + the signal number: 130 for SIGINT, 143 for SIGTERM, and read back as interrupts', () => {
    expect(interruptExitCode('SIGINT')).toBe(130);
    expect(interruptExitCode('SIGTERM')).toBe(143);
    expect([130, 143].every(isInterruptExitCode)).toBe(true);
    expect([0, 1, 2, 3, 4, 5, 128].some(isInterruptExitCode)).toBe(false);
  });
});

describe('untilInterrupted', () => {
  it('gives the work its result when no signal comes, and removes its listener', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i += 1) expect(await untilInterrupted(Promise.resolve(i), controller.signal)).toBe(i);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the interruption as soon as the signal aborts, even if the work never ends', async () => {
    const controller = new AbortController();
    const pending = untilInterrupted(new Promise(() => undefined), controller.signal);
    controller.abort(new Interrupted('SIGTERM', 1));
    await expect(pending).rejects.toMatchObject({ name: 'Interrupted', signal: 'SIGTERM', atMs: 1 });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an abort without an Interrupted reason still reads as an interrupt', () => {
    const controller = new AbortController();
    expect(interruptOf(controller.signal)).toBeUndefined();
    controller.abort();
    expect(interruptOf(controller.signal)?.signal).toBe('SIGINT');
  });
});
