import { fastifyFactory } from '../__fixtures__/adapter-factories.js';
import { describe, expect, it } from 'vitest';
import { describeConformance, useServers } from '../__fixtures__/conformance-suite.js';
import { readEvents } from '../__fixtures__/harness.js';
import { describeHostileInput } from '../__fixtures__/hostile-input-suite.js';

describeConformance('Fastify', fastifyFactory);
describeHostileInput('Fastify', fastifyFactory);

describe('fastifyPlugin', () => {
  const start = useServers(fastifyFactory);

  it('leaves the app’s own routes parsing JSON, and its 404s, untouched', async () => {
    const s = await start();
    const echo = await fetch(`${s.origin}/app/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await echo.json()).toEqual({ received: { a: 1 } });
    const missing = await fetch(`${s.origin}/elsewhere`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { statusCode: number }).statusCode).toBe(404);
  });

  it('streams SSE frames as they happen (not buffered until the end of the turn)', async () => {
    const s = await start();
    const id = await s.createSession();
    const response = await s.post(`/chat/${id}`, { text: 'hold the line' });
    // The turn is holding: the first chunk must arrive before it is released.
    const first = await readEvents(response.clone(), (e) => e.event.type === 'assistant_chunk');
    expect(first.at(-1)!.event).toMatchObject({ delta: 'holding…' });
    s.agent.release();
    expect((await readEvents(response)).at(-1)!.event.type).toBe('turn_complete');
  });
});
