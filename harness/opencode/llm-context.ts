// What a churnlab plugin host sends with a prompt so the mock's model call gets what the plugin's
// hooks made of it, as on the real server: `experimental.chat.messages.transform` decides the
// messages the model is sent, `experimental.chat.system.transform` the system prompt, `chat.params`
// and `chat.headers` the call's parameters and headers. It travels in the prompt body under
// CHURNLAB_BODY_KEY (no extra round trip); the real server is never sent it.

/** The short system prompt the mock "sends" its fake LLM (the real one is ~9.6 KB). */
export const MOCK_SYSTEM_PROMPT = 'You are opencode (churnlab mock). Answer the user.';

export const CHURNLAB_BODY_KEY = 'x-churnlab';

/** A message of the transformed history, reduced to what the mock's model context renders. */
export interface ContextMessage {
  info: { id: string; role: 'user' | 'assistant'; summary?: boolean };
  parts: Array<{ type: 'text'; text: string } | { type: 'compaction' }>;
}

export interface LlmOverride {
  /** The history after messages.transform; absent when the plugins left it as it was. */
  messages?: ContextMessage[];
  /** The system prompt after system.transform; absent when unchanged. */
  system?: string[];
  /** chat.params output (temperature, topP, topK, maxOutputTokens, options). */
  params?: Record<string, unknown>;
  /** chat.headers output. */
  headers?: Record<string, string>;
}
