import type { ChatMessage } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import { extractiveSummary } from './extractive-summary.js';

describe('extractiveSummary', () => {
  it('keeps one line per message with its role, the start of its text and its tools', () => {
    const messages: ChatMessage[] = [
      { id: 's', role: 'assistant', summary: true, parts: [{ type: 'text', text: 'Before: we met.', state: 'done' }] },
      { id: 'u', role: 'user', parts: [{ type: 'text', text: 'Read   the\nbudget', state: 'done' }] },
      {
        id: 'a',
        role: 'assistant',
        parts: [
          { type: 'thinking', text: 'private reasoning', state: 'done' },
          { type: 'tool_call', toolCallId: '1', name: 'read_file', input: {}, state: 'done' },
          { type: 'tool_call', toolCallId: '2', name: 'read_file', input: {}, state: 'done' },
          { type: 'text', text: 'It is 42.', state: 'done' },
        ],
      },
    ];
    expect(extractiveSummary(messages)).toBe(
      [
        'Summary of the earlier conversation (3 messages):',
        '- Earlier summary: Before: we met.',
        '- User: Read the budget',
        '- Assistant: It is 42. [tools: read_file]',
      ].join('\n'),
    );
  });

  it('is deterministic and bounded whatever the history size', () => {
    const long: ChatMessage[] = Array.from({ length: 500 }, (_, i) => ({
      id: String(i),
      role: i % 2 ? 'assistant' : 'user',
      parts: [{ type: 'text', text: `message ${i} `.repeat(200), state: 'done' }],
    }));
    const summary = extractiveSummary(long);
    expect(summary).toBe(extractiveSummary(long));
    expect(summary.length).toBeLessThanOrEqual(6_000);
    expect(summary.split('\n')[1]!.length).toBeLessThanOrEqual(250);
  });
});
