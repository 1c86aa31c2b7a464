// RSS of a command's whole process tree: a wrapper's child is part of what the user runs.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processTree, readTreeRss } from '../../harness/observe/proc-tree.ts';
import { readRss } from '../../harness/observe/proc.ts';

describe.skipIf(process.platform !== 'linux')('process tree RSS from /proc', () => {
  it('finds a grandchild through its shell and sums the RSS of every process', async () => {
    // sh -> node (holding ~40 MB): the tree is both, the sum exceeds the shell's own RSS.
    const child = spawn(
      '/bin/sh',
      ['-c', `${process.execPath} -e "globalThis.b = Buffer.alloc(40e6, 1); setInterval(() => {}, 1000)"; true`],
      { stdio: 'ignore' },
    );
    let tree: number[] = [];
    try {
      for (let i = 0; i < 200 && tree.length < 2; i += 1) {
        tree = await processTree(child.pid!);
        if (tree.length < 2) await new Promise((r) => setTimeout(r, 25));
      }
      expect(tree[0]).toBe(child.pid);
      expect(tree.length).toBe(2);
      let total: Awaited<ReturnType<typeof readTreeRss>>;
      for (let i = 0; i < 200; i += 1) {
        total = await readTreeRss(child.pid!);
        if ((total?.rssBytes ?? 0) > 40e6) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(total!.processes).toBe(2);
      expect(total!.rssBytes).toBeGreaterThan(40e6);
      expect(total!.rssBytes).toBeGreaterThan((await readRss(child.pid!))!);
    } finally {
      // The grandchild first: it would outlive its shell.
      for (const pid of tree.slice(1)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }
  });

  it('answers undefined for a pid that is gone', async () => {
    expect(await readTreeRss(2 ** 22 + 12345)).toBeUndefined();
  });
});
