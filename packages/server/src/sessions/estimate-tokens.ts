import type { ChatMessage } from '@agent-chat/core';

/** Characters per token assumed by {@link estimateTokens}: a common rule of thumb for English text and code. */
export const CHARS_PER_TOKEN = 4;

/**
 * A rough size of a conversation in tokens: every character a model would see
 * (text, thinking, tool names, inputs and outputs as JSON) divided by
 * {@link CHARS_PER_TOKEN}, rounded up. Cheap and deterministic; good enough to
 * decide when to compact and to report tokens before and after, not to bill.
 */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.type === 'text' || part.type === 'thinking') {
        chars += part.text.length;
      } else {
        chars += part.name.length + jsonLength(part.input) + jsonLength(part.output) + (part.feedback?.length ?? 0);
      }
    }
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

function jsonLength(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === 'string') return value.length;
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}
