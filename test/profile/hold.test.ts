// --hold: the target stays alive with the harness attached, a second inspector client (what
// DevTools would be) can attach and inspect it, and the run goes on once told (here: the file).
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/scenario/run.ts';
import { EXIT } from '../../harness/core/exit.ts';
import { devtoolsUrl, holdProblem } from '../../harness/profile/hold.ts';
import { localOptionsFromFlags } from '../../harness/profile/cli-options.ts';
import { BadInputError } from '../../harness/scenario/target-spec.ts';
import { shortPrimed, testOut } from '../scenario/helpers.ts';
import { smallScenario } from './small-scenario.ts';

/** Attach a second client to the inspector and evaluate one expression there. */
async function evaluateVia(url: string, expression: string): Promise<unknown> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  try {
    return await new Promise((resolve, reject) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data));
        if (msg.id === 1) resolve(msg.result?.result?.value);
      });
      ws.once('close', () => reject(new Error('closed')));
      ws.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
    });
  } finally {
    ws.close();
  }
}

describe('--hold', () => {
  it('holds the live target for a second inspector client, then goes on when the hold file appears', async () => {
    const holdFile = join(mkdtempSync(join(tmpdir(), 'churnlab-hold-')), 'go');
    let printed = '';
    let seenByClient: unknown;
    let pid: number;
    // Only the hold is read here (any verdict goes): a short priming.
    const { exitCode, report } = await runScenario(shortPrimed(smallScenario), {
      target: join(import.meta.dirname, 'fixtures', 'guard-leaky.ts'),
      sessions: 30,
      outRoot: testOut(),
      diagnose: false,
      local: {
        hold: {
          file: holdFile,
          write: (t) => (printed += t),
          onWaiting: ({ inspectorUrl }) => {
            // While held: attach as DevTools would, look at the target, then release the hold.
            void evaluateVia(inspectorUrl, 'process.pid').then(
              (value) => {
                seenByClient = value;
                writeFileSync(holdFile, '');
              },
              () => writeFileSync(holdFile, ''),
            );
          },
        },
      },
    });
    pid = Number(seenByClient);
    expect(report.error).toBeUndefined();
    expect([EXIT.pass, EXIT.leak, EXIT.inconclusive]).toContain(exitCode);
    expect(report.holds?.[0]).toMatchObject({ at: 'at the end of the run', resumedBy: 'file' });
    expect(typeof seenByClient).toBe('number');
    expect(pid).toBeGreaterThan(0);
    expect(printed).toContain('devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=127.0.0.1:');
    expect(printed).toContain(report.holds![0]!.inspectorUrl);
  }, 180_000);

  it('refuses a hold that nobody could end: no terminal and no hold file', () => {
    expect(holdProblem({ stdinIsTTY: false })).toMatch(/--hold-file/);
    expect(holdProblem({ stdinIsTTY: true })).toBeUndefined();
    expect(holdProblem({ stdinIsTTY: false, file: '/tmp/x' })).toBeUndefined();
    expect(localOptionsFromFlags({ hold: 'end' }, false).problem).toMatch(/stdin is not a terminal/);
    expect(localOptionsFromFlags({ hold: 'churn', 'hold-file': '/tmp/go' }, false).options?.hold).toMatchObject({
      phase: 'churn',
      file: '/tmp/go',
    });
  });

  it('builds the DevTools URL from the inspector URL', () => {
    expect(devtoolsUrl('ws://127.0.0.1:9229/abc')).toBe(
      'devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=127.0.0.1:9229/abc',
    );
  });

  it('rejects a phase name the scenario does not have, listing the phases it has', async () => {
    const run = runScenario(smallScenario, { outRoot: testOut(), local: { snapshotAt: ['chrun'] } });
    await expect(run).rejects.toBeInstanceOf(BadInputError);
    await expect(run).rejects.toThrow(/--snapshot-at chrun: not a phase .*prime, warmup, churn, end/);
    await expect(runScenario(smallScenario, { outRoot: testOut(), local: { hold: { phase: 'drain', file: '/tmp/x' } } })).rejects.toThrow(
      /--hold drain: not a phase/,
    );
  });
});
