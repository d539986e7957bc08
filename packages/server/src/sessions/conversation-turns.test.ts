import type { ChatMessage } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import { splitForCompaction, truncateAtUserMessage, userMessageIndexes, withoutLastTurn } from './conversation-turns.js';

const msg = (id: string, role: 'user' | 'assistant', extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  role,
  parts: [{ type: 'text', text: id, state: 'done' }],
  ...extra,
});

const summary = msg('s', 'assistant', { summary: true });
const history = [summary, msg('u1', 'user'), msg('a1', 'assistant'), msg('u2', 'user'), msg('a2', 'assistant'), msg('a2b', 'assistant'), msg('u3', 'user')];
const idsOf = (messages: ChatMessage[] | undefined) => messages?.map((m) => m.id);

describe('conversation turns', () => {
  it('finds the user messages', () => {
    expect(userMessageIndexes(history)).toEqual([1, 3, 6]);
  });

  it('undo drops the last user message and everything after it', () => {
    expect(idsOf(withoutLastTurn(history))).toEqual(['s', 'u1', 'a1', 'u2', 'a2', 'a2b']);
    expect(idsOf(withoutLastTurn(history.slice(0, 6)))).toEqual(['s', 'u1', 'a1']);
    expect(withoutLastTurn([summary])).toBeUndefined();
    expect(withoutLastTurn([])).toBeUndefined();
  });

  it('truncate counts user messages only, from 0', () => {
    expect(idsOf(truncateAtUserMessage(history, 0))).toEqual(['s']);
    expect(idsOf(truncateAtUserMessage(history, 1))).toEqual(['s', 'u1', 'a1']);
    expect(idsOf(truncateAtUserMessage(history, 2))).toEqual(['s', 'u1', 'a1', 'u2', 'a2', 'a2b']);
    expect(truncateAtUserMessage(history, 3)).toBeUndefined();
  });

  it('compaction keeps the last turns and folds the rest, an earlier summary included', () => {
    const { older, kept } = splitForCompaction(history, 2);
    expect(idsOf(older)).toEqual(['s', 'u1', 'a1']);
    expect(idsOf(kept)).toEqual(['u2', 'a2', 'a2b', 'u3']);
    expect(idsOf(splitForCompaction(history, 0).older)).toEqual(idsOf(history));
    expect(splitForCompaction(history, 3).older).toEqual([]);
    // Only a summary before the kept turns: nothing new to fold.
    expect(splitForCompaction([summary, msg('u1', 'user'), msg('u2', 'user')], 2).older).toEqual([]);
  });

  it('never modifies its input', () => {
    const copy = structuredClone(history);
    withoutLastTurn(history);
    truncateAtUserMessage(history, 1);
    splitForCompaction(history, 1);
    expect(history).toEqual(copy);
  });
});
