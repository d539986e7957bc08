import { describe, expect, it } from 'vitest';
import { createSession, postChat, readEvents, startTestServer, types } from '../__fixtures__/harness.js';
import type { Agent } from '../agents/agent.js';

describe('SessionRunner', () => {
  it('gives the event loop a turn while an agent yields synchronously for longer than a slice', async () => {
    const CHUNKS = 40;
    // Each chunk costs 1 ms of CPU and there is no await between them: without slicing, the whole turn
    // (40 ms) would be one macrotask and nothing else could run before it ended.
    const busyAgent: Agent = {
      name: 'busy',
      async *run() {
        for (let i = 0; i < CHUNKS; i++) {
          const until = performance.now() + 1;
          while (performance.now() < until) {
            // spin
          }
          yield { type: 'assistant_chunk', delta: `${i} ` };
        }
      },
    };
    const server = await startTestServer({ agent: busyAgent });
    try {
      const id = await createSession(server.base);
      const response = await postChat(server.base, id, { text: 'go' });
      const log = server.chat.sessions.get(id, 'dev')!.log;
      const chunksSeenByOtherTasks: number[] = [];
      let done = false;
      const tick = () => {
        chunksSeenByOtherTasks.push(log.readAfter(0).filter((e) => e.event.type === 'assistant_chunk').length);
        if (!done) setImmediate(tick);
      };
      setImmediate(tick);
      const events = await readEvents(response);
      done = true;
      expect(types(events).at(-1)).toBe('turn_complete');
      expect(events.filter((e) => e.event.type === 'assistant_chunk')).toHaveLength(CHUNKS);
      // Other macrotasks ran while the turn was half done.
      expect(chunksSeenByOtherTasks.some((n) => n > 0 && n < CHUNKS)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
