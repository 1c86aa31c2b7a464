import { afterEach, describe, expect, it } from 'vitest';
import { CdpError, connectCdp } from '../../harness/wire/cdp.ts';
import { synthetic, targetPool } from '../observe/helpers.ts';

const pool = targetPool();
afterEach(() => pool.stopAll());

describe('CDP client', () => {
  it('answers requests, several at once, in order', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    const cdp = await connectCdp(t.inspectorUrl);
    try {
      const answers = await Promise.all(
        [1, 2, 3].map((n) => cdp.send<{ result: { value: number } }>('Runtime.evaluate', { expression: `${n} * 7`, returnByValue: true })),
      );
      expect(answers.map((a) => a.result.value)).toEqual([7, 14, 21]);
    } finally {
      cdp.close();
    }
  });

  it('rejects a failing command with CdpError naming the method', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    await expect(t.cdp.send('Runtime.noSuchCommand')).rejects.toThrow(/CDP Runtime.noSuchCommand/);
  });

  it('rejects pending and queued sends when the socket closes', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    const cdp = await connectCdp(t.inspectorUrl);
    // Never settles in the target: the answer can only come from the socket closing.
    const pending = cdp.send('Runtime.evaluate', { expression: 'new Promise(() => {})', awaitPromise: true });
    const queued = cdp.send('Runtime.evaluate', { expression: '1' });
    cdp.close();
    await expect(pending).rejects.toBeInstanceOf(CdpError);
    await expect(queued).rejects.toBeInstanceOf(CdpError);
    await cdp.whenClosed;
    expect(cdp.closed).toBe(true);
    await expect(cdp.send('Runtime.evaluate', { expression: '1' })).rejects.toThrow(/closed/);
  });

  it('delivers events to listeners until they are removed', async () => {
    const t = await pool.launch(synthetic('empty-control.ts'));
    const seen: string[] = [];
    const listener = (p: { context: { name: string } }) => seen.push(p.context.name);
    t.cdp.on('Runtime.executionContextCreated', listener);
    await t.cdp.send('Runtime.enable');
    t.cdp.off('Runtime.executionContextCreated', listener);
    await t.cdp.send('Runtime.disable');
    await t.cdp.send('Runtime.enable');
    expect(seen.length).toBe(1);
    await t.cdp.send('Runtime.disable');
  });
});
