// RSS of a process and its descendants, from /proc. A plain command may be a wrapper (a shell
// script, `npm start`, a supervisor) whose real server is a child: the tree is what the user runs.
import { readdir, readFile } from 'node:fs/promises';
import { readRss } from './proc.ts';

/** Direct children of a pid (all its threads' children), from /proc/<pid>/task/<tid>/children. */
async function childrenOf(pid: number): Promise<number[]> {
  try {
    const tids = await readdir(`/proc/${pid}/task`);
    const out: number[] = [];
    for (const tid of tids) {
      const text = await readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '');
      for (const word of text.split(/\s+/)) if (word) out.push(Number(word));
    }
    return out;
  } catch {
    return [];
  }
}

/** The pid and every descendant alive now (bounded: a fork bomb must not hang the sampler). */
export async function processTree(pid: number, maxProcesses = 256): Promise<number[]> {
  const seen: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && seen.length < maxProcesses) {
    const p = queue.shift()!;
    if (seen.includes(p)) continue;
    seen.push(p);
    queue.push(...(await childrenOf(p)));
  }
  return seen;
}

/** Summed VmRSS of the tree, bytes; undefined when the root is gone or /proc is not there. */
export async function readTreeRss(pid: number): Promise<{ rssBytes: number; processes: number } | undefined> {
  const root = await readRss(pid);
  if (root === undefined) return undefined;
  let rssBytes = root;
  const tree = await processTree(pid);
  for (const p of tree.slice(1)) rssBytes += (await readRss(p)) ?? 0;
  return { rssBytes, processes: tree.length };
}
