// Hook parity: the plugin host, with the recording plugin as its target, against what the real
// `opencode serve` 1.18.33 calls on the same plugin (test/opencode/real-hook-recording.json, or a
// live recording where the binary is installed). The host's differences must be exactly the
// known ones of hook-parity-cases.ts, each with its reason (listed in docs/real-opencode.md): a
// new difference fails, and so does a known one that went away (the list stays true).
import { beforeAll, describe, expect, it } from 'vitest';
import { findOpencodeBinary, INSTALL_COMMAND } from '../../harness/opencode-real/install.ts';
import { compareRecordings, type CompactRecording, type HookDifference } from './hook-parity.ts';
import { KNOWN_HOOK_DIFFERENCES } from './hook-parity-cases.ts';
import { committedRecording, recordHost, recordRealLive } from './hook-recordings.ts';

const binary = findOpencodeBinary();
const skipReason = binary.found ? '' : ` (skipped: ${binary.reason}; install it with: ${INSTALL_COMMAND})`;

/** Unexpected differences with their detail, and known ones that no longer show. */
function againstKnown(diffs: readonly HookDifference[]): { unexpected: HookDifference[]; gone: string[] } {
  const known = new Set(KNOWN_HOOK_DIFFERENCES.map((k) => k.id));
  const seen = new Set(diffs.map((d) => d.id));
  return {
    unexpected: diffs.filter((d) => !known.has(d.id)),
    gone: [...known].filter((id) => !seen.has(id)),
  };
}

describe('hook parity: plugin host vs opencode serve 1.18.33', () => {
  let host: CompactRecording;
  beforeAll(async () => {
    host = await recordHost();
  }, 120_000);

  it('the host differs from the recorded server only in the known, explained ways', () => {
    expect(againstKnown(compareRecordings(committedRecording(), host))).toEqual({ unexpected: [], gone: [] });
  });

  describe.skipIf(!binary.found)(`recorded live now${skipReason}`, () => {
    let live: CompactRecording;
    beforeAll(async () => {
      live = await recordRealLive();
    }, 400_000);

    it('the server calls what the committed recording says, every known variation tolerated', () => {
      const committed = committedRecording();
      expect(compareRecordings(committed, live)).toEqual([]);
      expect(compareRecordings(live, committed)).toEqual([]);
    });

    it('the host differs from the live server in the same known ways', () => {
      expect(againstKnown(compareRecordings(live, host))).toEqual({ unexpected: [], gone: [] });
    });
  });
});
