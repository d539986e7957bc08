import { describe, expect, it } from 'vitest';
import { estimateTokens } from './estimate-tokens.js';

describe('estimateTokens', () => {
  it('counts every character a model sees, at 4 per token, rounded up', () => {
    expect(estimateTokens([])).toBe(0);
    expect(estimateTokens([{ id: 'a', role: 'user', parts: [{ type: 'text', text: 'abcde', state: 'done' }] }])).toBe(2);
    const tokens = estimateTokens([
      {
        id: 'b',
        role: 'assistant',
        parts: [
          { type: 'thinking', text: 'x'.repeat(8), state: 'done' },
          { type: 'tool_call', toolCallId: 't', name: 'calc', input: { a: 1 }, output: 'result', state: 'done' },
        ],
      },
    ]);
    // 8 + 'calc' 4 + '{"a":1}' 7 + 'result' 6 = 25 chars.
    expect(tokens).toBe(7);
  });

  it('survives values JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(
      estimateTokens([
        { id: 'c', role: 'assistant', parts: [{ type: 'tool_call', toolCallId: 't', name: 'abcd', input: cyclic, output: 10n, state: 'done' }] },
      ]),
    ).toBe(1);
  });
});
