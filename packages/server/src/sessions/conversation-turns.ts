import type { ChatMessage } from '@agent-chat/core';

/**
 * Edits of a conversation's history by turn. A turn is one user message and
 * everything after it up to the next user message; messages before the first
 * user message (a compaction summary, say) belong to no turn. Pure functions:
 * the inputs are never modified.
 */

/** Indexes (into `messages`) of the user messages, oldest first. */
export function userMessageIndexes(messages: readonly ChatMessage[]): number[] {
  const indexes: number[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'user') indexes.push(index);
  });
  return indexes;
}

/**
 * The history without its last turn, or `undefined` when it has no user message.
 */
export function withoutLastTurn(messages: readonly ChatMessage[]): ChatMessage[] | undefined {
  const last = userMessageIndexes(messages).at(-1);
  return last === undefined ? undefined : messages.slice(0, last);
}

/**
 * The history before user message number `userMessageIndex` (0-based, counting
 * user messages only), or `undefined` when there is no such message.
 */
export function truncateAtUserMessage(messages: readonly ChatMessage[], userMessageIndex: number): ChatMessage[] | undefined {
  const at = userMessageIndexes(messages)[userMessageIndex];
  return at === undefined ? undefined : messages.slice(0, at);
}

/**
 * Splits the history for compaction: `older` is everything before the last
 * `keepLastTurns` turns, `kept` the rest. `older` is empty when it would hold no
 * user message (there is nothing new to fold: at most an earlier summary).
 */
export function splitForCompaction(
  messages: readonly ChatMessage[],
  keepLastTurns: number,
): { older: ChatMessage[]; kept: ChatMessage[] } {
  const users = userMessageIndexes(messages);
  const keep = Math.max(0, Math.floor(keepLastTurns));
  if (users.length <= keep) return { older: [], kept: [...messages] };
  const cut = keep === 0 ? messages.length : users[users.length - keep]!;
  return { older: messages.slice(0, cut), kept: messages.slice(cut) };
}
