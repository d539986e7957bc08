import { describe, expect, it } from 'vitest';
import type { ChatClient } from './chat-client.js';
import { ChatSession, type ChatSessionClient } from './chat-session.js';
import type { Attachment } from './messages.js';
import type { StreamEvent } from './sse.js';

/*
 * ChatSession.send with attachments: the ids go to the client, and the user
 * message of the turn lists the attachments the server echoes. The wire is
 * tested in attachments.test.ts, the whole path against the real server in
 * the widget's Chromium tests.
 */

const attachment: Attachment = { id: 'att_1', name: 'dot.png', mediaType: 'image/png', size: 7, width: 1, height: 1 };

function fakeClient() {
  const sent: unknown[][] = [];
  const turn = async function* (text: string): AsyncGenerator<StreamEvent> {
    yield { event: { type: 'ready', protocolVersion: '1.0', sessionId: 's1', lastEventId: 0 } };
    yield {
      id: 1,
      event: { type: 'processing', turnId: 't1', assistantMessageId: 'a1', userMessage: { id: 'u1', text, attachments: [attachment] } },
    };
    yield { id: 2, event: { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' } };
  };
  const client: ChatSessionClient = {
    createSession: async () => ({ id: 's1' }) as Awaited<ReturnType<ChatClient['createSession']>>,
    getMessages: async () => ({ messages: [], pendingApprovals: [], processing: false, lastEventId: 0 }) as Awaited<ReturnType<ChatClient['getMessages']>>,
    interrupt: async () => ({ interrupted: false }),
    send: (id, text, options) => {
      sent.push([id, text, options?.attachments]);
      return turn(text);
    },
    sendApprovals: () => turn(''),
    subscribe: () => turn(''),
  };
  return { client, sent };
}

describe('ChatSession.send with attachments', () => {
  it('sends attachment ids with empty text, and the user message lists them', async () => {
    const { client, sent } = fakeClient();
    const session = new ChatSession({ client, sessionId: 's1' });
    session.connect();
    await expect.poll(() => session.ready).toBe(true);
    expect(session.canSend('')).toBe(false);
    expect(session.canSend(' ', [])).toBe(false);
    expect(session.canSend('', [attachment])).toBe(true);
    expect(await session.send('')).toBe(false);
    expect(await session.send('', { attachments: ['att_1', 'att_2'] })).toBe(true);
    expect(await session.send('Hi')).toBe(true);
    expect(sent).toEqual([
      ['s1', '', ['att_1', 'att_2']],
      ['s1', 'Hi', undefined],
    ]);
    expect(session.state.messages[0]).toMatchObject({ role: 'user', attachments: [attachment] });
  });
});
