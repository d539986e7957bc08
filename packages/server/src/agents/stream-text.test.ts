import { describe, expect, it } from 'vitest';
import type { AgentOutput } from './agent.js';
import { splitIntoChunks, streamText } from './stream-text.js';

describe('streamText', () => {
  it('splits into word-sized chunks that join back to the text', () => {
    const text = '## Title\n\n- one  two\n```js\nx = 1;\n```\n';
    const chunks = splitIntoChunks(text);
    expect(chunks.join('')).toBe(text);
    expect(chunks.slice(0, 3)).toEqual(['## ', 'Title\n\n', '- ']);
    expect(splitIntoChunks('')).toEqual([]);
  });

  it('yields chunk events of the asked kind and stops once aborted', async () => {
    const aborter = new AbortController();
    const seen: AgentOutput[] = [];
    for await (const event of streamText('a b c d', { kind: 'thinking', delayMs: 1, signal: aborter.signal })) {
      seen.push(event);
      if (seen.length === 2) aborter.abort();
    }
    expect(seen).toEqual([
      { type: 'thinking_chunk', delta: 'a ' },
      { type: 'thinking_chunk', delta: 'b ' },
    ]);
  });
});
