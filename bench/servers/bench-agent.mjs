/**
 * An agent that streams as fast as it can: the user's text is JSON
 * `{ chunks, delta, hold }`; it yields `chunks` assistant_chunk events of `delta`
 * with no await between them, then, with `hold`, waits for an interrupt
 * (so the turn stays open and its log untrimmed, like a reload mid-answer).
 */
export const benchAgent = {
  name: 'bench',
  async *run(ctx) {
    const { chunks = 1000, delta = 'tok ', hold = false } = JSON.parse(ctx.input.text);
    for (let i = 0; i < chunks; i++) yield { type: 'assistant_chunk', delta };
    yield { type: 'assistant_stream_end' };
    if (hold && !ctx.signal.aborted) await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
  },
};
