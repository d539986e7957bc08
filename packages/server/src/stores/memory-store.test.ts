import { createConversationState, reduce } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import type { EventLog } from '../sessions/event-log.js';
import { memoryStore } from './memory-store.js';

const hooks = { onListenerError() {} };
const record = (id: string, userId: string, createdAt: number) => ({
  id,
  userId,
  createdAt,
  updatedAt: createdAt,
  lastActiveAt: createdAt,
  messageCount: 0,
  lastEventId: 0,
});

describe('memoryStore', () => {
  it('enforces the limits on create and lists a user sessions newest first', async () => {
    const store = memoryStore();
    const limits = { maxSessions: 3, maxSessionsPerUser: 2 };
    expect(typeof store.create(record('a', 'ann', 1), limits, hooks)).toBe('object');
    expect(typeof store.create(record('b', 'ann', 2), limits, hooks)).toBe('object');
    expect(store.create(record('c', 'ann', 3), limits, hooks)).toBe('session_limit');
    expect(typeof store.create(record('d', 'bob', 3), limits, hooks)).toBe('object');
    expect(store.create(record('e', 'eve', 4), limits, hooks)).toBe('too_many_sessions');
    expect((await store.list('ann')).map((r) => r.id)).toEqual(['b', 'a']);
    expect(await store.count()).toBe(3);
    await store.delete('a');
    expect(await store.count()).toBe(2);
    expect(await store.load('b', hooks)).toBeUndefined();
  });

  it('trims each log to retainEvents at a checkpoint, never past the checkpoint', () => {
    const store = memoryStore({ retainEvents: 2 });
    const r = record('s', 'ann', 1);
    const log = store.create(r, { maxSessions: 1, maxSessionsPerUser: 1 }, hooks) as EventLog;
    let state = createConversationState('s');
    for (let n = 1; n <= 5; n++) {
      const { id, event } = log.append({ type: 'title', title: `t${n}` });
      if (n <= 2) state = reduce(state, event, id);
    }
    // Keeping 2 would drop 1..3, but the checkpoint is at 2: event 3 stays, or a reload could not rebuild the state.
    store.checkpoint(r, state, log);
    expect([log.firstId, log.lastId]).toEqual([3, 5]);
    expect(memoryStore({ retainEvents: Infinity }).kind).toBe('memory');
  });
});
