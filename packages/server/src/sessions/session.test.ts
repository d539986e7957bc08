import { describe, expect, it } from 'vitest';
import { MemoryEventLog } from './event-log.js';
import { Session } from './session.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';

describe('Session', () => {
  it('loaded with events past its checkpoint, applies them and keeps following its log (found by scripts/soak.mjs)', () => {
    // A store reloading a session mid-turn: the checkpointed state is older than the log.
    const log = new MemoryEventLog({
      events: [
        { id: 1, event: { type: 'processing', turnId: 't1', assistantMessageId: 'a1', userMessage: { id: 'u1', text: 'hi' } } },
        { id: 2, event: { type: 'assistant_chunk', messageId: 'a1', delta: 'Hel' } },
      ],
    });
    const errors: unknown[] = [];
    const seen: Array<[number, boolean]> = [];
    const session = new Session({
      id: 's1',
      userId: 'u',
      log,
      agent: scriptedAgent(),
      logger: { warn() {}, error: (...args: unknown[]) => errors.push(args) },
      // What the session manager does with each event: it looks at the runner.
      onEvent: (s, { id }) => void seen.push([id, s.runner.busy]),
    });
    expect(seen).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(session.state.lastEventId).toBe(2);
    log.append({ type: 'assistant_chunk', messageId: 'a1', delta: 'lo' });
    log.append({ type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' });
    expect(session.state.lastEventId).toBe(4);
    expect(session.state.status).toBe('idle');
    expect(session.state.messages.at(-1)?.parts).toEqual([{ type: 'text', text: 'Hello', state: 'done' }]);
    expect(errors).toEqual([]);
  });
});
