// Compaction (POST /session/{id}/summarize) as opencode serve 1.18.33 runs it, measured with the
// fake LLM recording its requests (docs/real-opencode.md): what the model is sent for a summary, and
// what it is sent for the prompts after one. The texts are the real server's, word for word, so a
// plugin or adapter that checks what survives a compaction sees the same words on the mock.
//   - The summary request: the compaction agent's system prompt and ONE user message holding the
//     conversation since the last compaction as "[User]: …" / "[Assistant]: …" blocks, then the
//     previous summary (if any) in <prior-summary>, then the instructions and the template.
//   - After a compaction the model no longer sees the older messages: the marker becomes the user
//     turn "What did we do so far?", the summary its answer, then the newer messages.
// Only text parts are rendered (the mock's own replies carry their content as text).
import type { ChatMessage } from './llm.ts';
import type { MessageWithParts } from './types.ts';

export const COMPACTION_SYSTEM_PROMPT =
  'You are a context summarization agent. You are given a conversation between a user and an agent. Your goal is to produce a structured summary matching the format specified so another coding agent can continue the work.\n' +
  '\n' +
  'Always follow the exact output structure requested by the user prompt. Keep every section, preserve exact file paths and identifiers when known, and prefer terse bullets over paragraphs.\n' +
  '\n' +
  'Do not continue the conversation. Do not respond to any questions in the conversation. Only output the structured summary in the exact format requested by the user prompt. Respond in the same language as the conversation.\n';

const CREATE_INSTRUCTIONS =
  'Create a new anchored summary from the conversation history in the <conversation> tags above so another coding agent can continue the work.\n' +
  '\n';

const UPDATE_INSTRUCTIONS =
  'The <prior-summary> summarizes everything that happened before the <conversation>. Construct a new summary that combines both. The <prior-summary> is discarded after this: anything you do not carry into the new summary is lost.\n' +
  '\n' +
  'When combining:\n' +
  '- Carry forward objectives, constraints, user directives, decisions, and parallel workstreams from the <prior-summary> even when the <conversation> does not mention them. Drop only what is finished and no longer needed.\n' +
  '- The <conversation> is more recent than the <prior-summary>. Where they conflict, the conversation wins: state the corrected fact and drop the old claim.\n' +
  '- Add new progress, decisions, constraints, and context from the conversation.\n' +
  '- Move completed work from "Active" to "Completed".\n' +
  '- If a blocker has been resolved, update the summary to reflect that while keeping any details still needed to continue the work.\n' +
  '- Update "Objective" and "Next Move" to reflect the current work state.\n' +
  '\n';

const TEMPLATE_AND_RULES =
  'Output exactly the Markdown structure shown inside <template> and keep the section order unchanged. Do not include the <template> tags in your response.\n' +
  '<template>\n' +
  '## Objective\n' +
  '- [one or two brief sentences describing what the user is trying to accomplish]\n' +
  '\n' +
  '## Important Details\n' +
  '- [constraints/preferences, decisions and why, important facts/assumptions, exact context needed to continue, or "(none)"]\n' +
  '\n' +
  '## Work State\n' +
  '### Completed\n' +
  '- [finished work, verified facts, or changes made; otherwise "(none)"]\n' +
  '\n' +
  '### Active\n' +
  '- [current work, partial changes, or investigation state; otherwise "(none)"]\n' +
  '\n' +
  '### Blocked\n' +
  '- [blockers, failing commands, or unknowns; otherwise "(none)"]\n' +
  '\n' +
  '## Next Move\n' +
  '1. [immediate concrete action, or "(none)"]\n' +
  '2. [next action if known, or "(none)"]\n' +
  '\n' +
  '## Relevant Files\n' +
  '- [file or directory path: why it matters, or "(none)"]\n' +
  '</template>\n' +
  '\n' +
  'Rules:\n' +
  '- Keep every section, even when empty.\n' +
  '- Use terse bullets, not prose paragraphs.\n' +
  '- Preserve exact file paths, symbols, commands, error strings, URLs, and identifiers when known.\n' +
  '- Do not mention the summary process or that context was compacted.';

/** The user turn that stands for a compaction marker in every later request. */
export const COMPACTION_QUESTION = 'What did we do so far?';

const textParts = (message: MessageWithParts): string[] =>
  message.parts.flatMap((p) => (p.type === 'text' && p.text.length > 0 ? [p.text] : []));

const isMarker = (message: MessageWithParts): boolean => message.info.role === 'user' && message.parts.some((p) => p.type === 'compaction');

const isSummary = (message: MessageWithParts | undefined): boolean => message?.info.role === 'assistant' && message.info.summary === true;

/** Index of the marker of the last finished compaction (its summary follows it), or -1. */
export function lastCompaction(history: readonly MessageWithParts[]): number {
  for (let i = history.length - 2; i >= 0; i -= 1) if (isMarker(history[i]!) && isSummary(history[i + 1])) return i;
  return -1;
}

/**
 * What the model sees for a prompt: the system prompt, then the history since the last compaction
 * (its marker as COMPACTION_QUESTION, its summary as the answer). A user message of several text
 * parts goes as an array of parts, as the real server sends it; one part goes as a string. One
 * pass, no per-message arrays: it runs on every prompt, over histories of hundreds of messages.
 */
export function promptContext(systemPrompt: string, history: readonly MessageWithParts[]): ChatMessage[] {
  const system: ChatMessage = { role: 'system', content: systemPrompt };
  let messages: ChatMessage[] = [system];
  for (let i = 0; i < history.length; i += 1) {
    const message = history[i]!;
    let joined = '';
    let several: string[] | undefined;
    let marker = false;
    for (const part of message.parts) {
      if (part.type === 'compaction') marker = true;
      else if (part.type === 'text' && part.text.length > 0) {
        if (joined.length > 0) (several ??= [joined]).push(part.text);
        joined += part.text;
      }
    }
    if (marker && message.info.role === 'user') {
      // A finished compaction: what came before it is gone for the model.
      if (isSummary(history[i + 1])) messages = [system];
      messages.push({ role: 'user', content: COMPACTION_QUESTION });
      continue;
    }
    if (joined.length === 0) continue;
    if (message.info.role === 'user' && several) messages.push({ role: 'user', content: several.map((text) => ({ type: 'text', text })) });
    else messages.push({ role: message.info.role, content: joined });
  }
  return messages;
}

/** The summary request: the conversation since the last compaction, and the previous summary to fold in. */
export function summaryRequest(history: readonly MessageWithParts[]): ChatMessage[] {
  const last = lastCompaction(history);
  const prior = last >= 0 ? textParts(history[last + 1]!).join('') : undefined;
  const blocks: string[] = [];
  for (let i = last >= 0 ? last + 2 : 0; i < history.length; i += 1) {
    const message = history[i]!;
    if (isMarker(message)) continue;
    const texts = textParts(message);
    if (texts.length > 0) blocks.push(`[${message.info.role === 'user' ? 'User' : 'Assistant'}]: ${texts.join('\n')}`);
  }
  const conversation = `Here is the conversation so far:\n\n<conversation>\n${blocks.join('\n\n')}\n</conversation>\n\n`;
  const instructions =
    prior === undefined
      ? CREATE_INSTRUCTIONS
      : `Here is the summary of the conversation before the <conversation> above:\n\n<prior-summary>\n${prior}\n</prior-summary>\n\n${UPDATE_INSTRUCTIONS}`;
  return [
    { role: 'system', content: COMPACTION_SYSTEM_PROMPT },
    { role: 'user', content: conversation + instructions + TEMPLATE_AND_RULES },
  ];
}
