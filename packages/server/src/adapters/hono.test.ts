import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { honoFactory } from '../__fixtures__/adapter-factories.js';
import { readEvents, recordingLogger } from '../__fixtures__/harness.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';
import { createChatServer } from '../http/chat-server.js';
import { honoHandler, mountChatServer } from './hono.js';
import { describeConformance } from '../__fixtures__/conformance-suite.js';
import { describeHostileInput } from '../__fixtures__/hostile-input-suite.js';

describeConformance('Hono', honoFactory);
describeHostileInput('Hono', honoFactory);

describe('honoHandler and mountChatServer', () => {
  it('pass the raw Request to the chat server and its Response back, in-process with app.request', async () => {
    const chat = createChatServer({ agent: scriptedAgent(), logger: recordingLogger(), keepAliveMs: 0 });
    const app = new Hono();
    app.get('/api/custom', (c) => c.text('app route wins when registered first'));
    mountChatServer(app, chat);
    const other = new Hono().all('/api/*', honoHandler(chat));
    try {
      expect(await (await app.request('/api/custom')).text()).toBe('app route wins when registered first');
      const created = await app.request('/api/session', { method: 'POST' });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const chatResponse = await other.request(`/api/chat/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'through hono' }),
      });
      expect(chatResponse.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect((await readEvents(chatResponse)).at(-1)!.event.type).toBe('turn_complete');
      expect((await app.request('/api')).status).toBe(404);
      expect((await app.request('/elsewhere')).status).toBe(404);
    } finally {
      await chat.close();
    }
  });
});
