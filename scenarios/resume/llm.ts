// Which model request served a follow-up, and did it carry the earlier turns? Matched by the
// follow-up's unique text, never by session id: the real server's requests to the fake LLM carry
// no session id (source 'http', the OpenAI messages array); the mock's carry one (source 'mock').
import { messageText, type FakeLlm, type LlmRequestRecord } from '../../harness/opencode/llm.ts';

function conversation(record: LlmRequestRecord): string[] {
  return record.messages.filter((m) => m.role !== 'system').map(messageText);
}

/**
 * The request whose last user message contains `text`, newest first. A real server may send helper
 * requests with the same text (a title for a new session); the conversation request is the one
 * with the most non-system messages.
 */
export function requestFor(llm: FakeLlm, text: string): LlmRequestRecord | undefined {
  let best: LlmRequestRecord | undefined;
  let bestSize = -1;
  for (const record of llm.requests()) {
    const users = record.messages.filter((m) => m.role === 'user');
    const last = users[users.length - 1];
    if (!last || !messageText(last).includes(text)) continue;
    const size = conversation(record).length;
    if (size > bestSize) {
      best = record;
      bestSize = size;
    }
  }
  return best;
}

/** Whether any user or assistant message of the request contains `needle` (system prompts aside). */
export function requestMentions(record: LlmRequestRecord, needle: string): boolean {
  return conversation(record).some((text) => text.includes(needle));
}

/** Non-system messages in the request: how much history the model saw. */
export function historyLength(record: LlmRequestRecord): number {
  return conversation(record).length;
}
