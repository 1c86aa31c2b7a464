// What reading each plugin's published code confirmed about its run: the file:line that keeps the
// entries of a leak, or why a run says what it says. Written by hand after a field run, keyed by
// package name; docs/field.md prints each under its plugin. Paths are inside the package.
export const FIELD_FINDINGS: Record<string, string> = {
  'opencode-supermemory': [
    '**Per-session leak, confirmed in the code.** `SupermemoryPlugin` keeps `const injectedSessions = new Set`',
    '(`dist/index.js:15143`, in the plugin function\'s closure) and adds every session id on its first',
    '`chat.message` (`dist/index.js:15211`: `injectedSessions.add(input.sessionID)`). Nothing ever deletes',
    'from it, not even `session.deleted` (the handler at `dist/index.js:14998-15004` clears the three',
    'compaction maps only). One entry per session, clean end or not, for the life of the OpenCode process.',
    'Fix: delete the id in the `session.deleted` branch, and cap the set (or keep it in a TTL map) for',
    'sessions that end without it. The compaction state (`lastCompactionTime`, `compactionInProgress`,',
    '`summarizedSessions`, `dist/index.js:14808-14810`) is cleared on `session.deleted` only, so it would',
    'grow the same way for sessions that compacted and then vanished.',
    '**The run itself is churnlab\'s artefact, not the plugin\'s:** it ended "target hung" (exit 4) because',
    'the Supermemory SDK retries a failed request after `sleep(ms)` (`dist/index.js:12550`, a `setTimeout`;',
    'retries at `dist/index.js:13533`), and inside the target churnlab\'s virtual clock only moves between',
    'batches: a hook that awaits a timer never resumes within its batch. In OpenCode the retry takes ~1-3 s',
    'and the hook fails. To fix in churnlab\'s target clock (`harness/target/child/clock.ts`): let virtual time',
    'run on while a call waits on timers only; until then this plugin\'s leak is confirmed in the code, not measured.',
    'Also seen: on every session\'s first message it asks the npm registry for its own latest version',
    '(`checkNpmUpdate`, `dist/index.js:15084`): one request per session; field runs are offline, so the',
    'check fails at once here.',
  ].join('\n'),
  'opencode-wakatime': [
    'Bounded by design: `processedCallIds` (`dist/index.js:14`, module scope) dedupes tool parts and is',
    'trimmed to its newest 500 once it passes 1000 (`dist/index.js:298-302`); `fileChanges`',
    '(`dist/index.js:16`) is cleared after each heartbeat (`dist/index.js:174`). Heartbeats need the',
    '`wakatime-cli` binary, which it tries to download; offline, that path fails and is skipped.',
  ].join('\n'),
  '@tarquinen/opencode-dcp': [
    'Its state is one object per plugin instance (`createSessionState()`, `dist/index.js:7885`), reset',
    'when the session changes (`checkSession`, `dist/index.js:3055-3070`): it holds the current',
    'session only, and writes each session\'s prune state to a file',
    '(`$XDG_DATA_HOME/opencode/storage/plugin/dcp/<session>.json`, `dist/index.js:2824-2841`), one per',
    'session, never removed. That state is built in `experimental.chat.messages.transform`, which the',
    'plugin host of this churnlab does not call yet (see the hooks column): this verdict covers its',
    '`event` hook only, not its pruning.',
  ].join('\n'),
  'opencode-anthropic-auth': [
    'Its only session hook is `experimental.chat.system.transform` (`index.mjs`), which the plugin',
    'host of this churnlab does not call yet, and its `auth` hook runs only at login: this run',
    'exercised none of its code, so its verdict covers nothing.',
  ].join('\n'),
  '@ranger-testing/opencode-plugin': [
    'On `session.created` it runs its CLI through Bun\'s shell (`` $`${rangerCommand} hook --name=session-start` ``,',
    '`build/index.js:115`); churnlab runs plugins in Node, where `$` is not available, so the call throws,',
    'the plugin sets `enabled = false` and every later hook returns at once. The verdict covers its',
    'disabled path only. It keeps one `currentSessionId` (`build/index.js:110`), not a collection.',
  ].join('\n'),
  '@sureshsankaran/opencode-destructive-check': [
    'Stateless checks of each call\'s arguments in `tool.execute.before` (`src/index.ts`); no collection.',
    'Its `permission.ask` hook is never called by OpenCode 1.18.33 (see docs/real-opencode.md).',
  ].join('\n'),
  'opencode-prompt-recorder': [
    'Writes each user prompt to a file from its `event` hook (`message.updated` and',
    '`message.part.updated`, `appendFile` in `dist/index.js`): disk I/O per message.',
  ].join('\n'),
  'opencode-skills': [
    'Registers tools only (one per SKILL.md found, none in an empty project) and no session hook:',
    'a run of it measures nothing but its load, and says so in the hooks column.',
  ].join('\n'),
};
