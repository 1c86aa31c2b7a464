// Orphaned upstream sessions: sessions on the OpenCode server, in the scenario's own directories,
// that no thread is bound to in the harness's store. Counted through the SDK (session.list), so it
// works on the mock and on the real server alike (the real server lists a whole project, so the
// listing is filtered by each session's own directory).
import type { OpencodeClient } from '@opencode-ai/sdk/v2';

export async function listOrphans(client: OpencodeClient, directories: readonly string[], bound: ReadonlySet<string>): Promise<string[]> {
  const orphans = new Set<string>();
  const wanted = new Set(directories);
  for (const directory of wanted) {
    const listed = await client.session.list({ directory });
    if (!listed.data) throw new Error(`session.list for ${directory} failed: ${JSON.stringify(listed.error ?? null).slice(0, 200)}`);
    for (const s of listed.data) if (wanted.has(s.directory) && !bound.has(s.id)) orphans.add(s.id);
  }
  return [...orphans].sort();
}
