import express from 'express';
import { describe, expect, it } from 'vitest';
import { expressFactory, listenNode } from '../__fixtures__/adapter-factories.js';
import { describeConformance, useServers } from '../__fixtures__/conformance-suite.js';
import { readEvents } from '../__fixtures__/harness.js';
import { expressRouter } from './express.js';
import { describeHostileInput } from '../__fixtures__/hostile-input-suite.js';

describeConformance('Express', expressFactory);
describeHostileInput('Express', expressFactory);

describe('expressRouter', () => {
  const start = useServers(async (chat) => {
    const app = express();
    // A body parser in front: the handler gets the parsed body back as JSON.
    app.use(express.json());
    app.use('/api', expressRouter(chat));
    app.get('/app/ping', (_req, res) => void res.json({ pong: true }));
    return listenNode(app);
  });

  it('mounted at its base path behind express.json(), serves the API and leaves other routes to the app', async () => {
    const s = await start();
    const id = await s.createSession();
    const events = await readEvents(await s.post(`/chat/${id}`, { text: 'parsed first' }));
    expect(events.at(-1)!.event.type).toBe('turn_complete');
    expect(await (await fetch(`${s.origin}/app/ping`)).json()).toEqual({ pong: true });
    const missing = await fetch(`${s.origin}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/text\/html/);
  });
});
