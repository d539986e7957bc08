import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../__fixtures__/harness.js';
import { createChatServer } from '../http/chat-server.js';
import { createNodeListener } from './node.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const silent = { warn() {}, error() {}, info() {} };
const noAgent = { async *run() {} };

describe('createNodeListener', () => {
  it('turns the Node request into a Request: method, URL, headers and streamed body', async () => {
    let seen: { method: string; url: string; header: string | null; body: string } | undefined;
    const origin = await listen(
      createNodeListener(async (request) => {
        seen = {
          method: request.method,
          url: request.url,
          header: request.headers.get('x-test'),
          body: await request.text(),
        };
        return new Response('ok', { status: 201, headers: { 'x-answer': 'yes' } });
      }),
    );
    const body = 'é'.repeat(100_000);
    const response = await fetch(`${origin}/a/b?c=1`, { method: 'POST', headers: { 'x-test': 'hi' }, body });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(await response.text()).toBe('ok');
    expect(seen).toEqual({ method: 'POST', url: `${origin}/a/b?c=1`, header: 'hi', body });
  });

  it('a POST or DELETE sent without a body arrives without one (body null), as on every other runtime', async () => {
    const seen: (string | null)[] = [];
    const origin = await listen(
      createNodeListener(async (request) => {
        seen.push(request.body === null ? null : await request.text());
        return new Response(null, { status: 204 });
      }),
    );
    await fetch(origin, { method: 'POST' });
    await fetch(origin, { method: 'DELETE' });
    await fetch(origin, { method: 'POST', headers: { 'content-length': '0' } });
    await fetch(origin, { method: 'POST', body: '{}' });
    expect(seen).toEqual([null, null, null, '{}']);
  });

  it('a body the handler leaves unread costs the connection nothing: the next requests on it are answered', async () => {
    const origin = await listen(
      createNodeListener(async (request) => {
        // Looking at the body (as the server's content-type check does) starts its stream; nothing reads it.
        if (request.body === null) return new Response('ok');
        return new Response('refused unread', { status: 415 });
      }),
    );
    for (let round = 0; round < 5; round++) {
      const refused = await fetch(origin, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(300_000) });
      expect(await refused.text()).toBe('refused unread');
      await new Promise((resolve) => setTimeout(resolve, round * 150));
      const next = await Promise.all([0, 1, 2, 3].map(async () => (await fetch(origin)).text()));
      expect(next).toEqual(['ok', 'ok', 'ok', 'ok']);
    }
  });

  it('with a bare function as middleware mounted at a path, the next middleware sees the URL Express gave it', async () => {
    const chat = createChatServer({ agent: noAgent, logger: silent });
    const app = express();
    const seen: string[] = [];
    app.use('/mount', createNodeListener((request) => chat.fetch(request)));
    app.use('/mount', (req, res) => void res.status(404).send(`express 404 ${seen.push(req.url)}`));
    const origin = await listen(app);
    expect((await fetch(`${origin}/mount/elsewhere?x=1`)).status).toBe(404);
    expect(seen).toEqual(['/elsewhere?x=1']);
    await chat.close();
  });

  it('cancels the response body and aborts the request signal when the client goes away', async () => {
    let cancelled = false;
    let signal: AbortSignal | undefined;
    const origin = await listen(
      createNodeListener(async (request) => {
        signal = request.signal;
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('first'));
          },
          cancel() {
            cancelled = true;
          },
        });
        return new Response(body);
      }),
    );
    const aborter = new AbortController();
    const response = await fetch(origin, { signal: aborter.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first');
    aborter.abort();
    await waitFor(() => cancelled);
    expect(signal?.aborted).toBe(true);
  });

  it('writes with back-pressure: a reader that does not read does not make the body be pulled without bound', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const origin = await listen(
      createNodeListener(async () => {
        const body = new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              pulled += chunk.byteLength;
              controller.enqueue(chunk);
            },
          },
          { highWaterMark: 0 },
        );
        return new Response(body);
      }),
    );
    const response = await fetch(origin);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stalled = pulled;
    expect(stalled).toBeLessThan(16 * 1024 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pulled).toBe(stalled);
    const reader = response.body!.getReader();
    let read = 0;
    while (read < stalled + 1024 * 1024) read += (await reader.read()).value!.byteLength;
    expect(pulled).toBeGreaterThan(stalled);
    await reader.cancel();
  });

  it('serves Express: paths outside basePath go to the next middleware, its own 404s stay JSON', async () => {
    const chat = createChatServer({ agent: noAgent, basePath: '/chat-api', logger: silent });
    const app = express();
    app.use(createNodeListener(chat));
    app.get('/hello', (_req, res) => void res.send('from express'));
    const origin = await listen(app);

    expect(await (await fetch(`${origin}/hello`)).text()).toBe('from express');
    const health = await fetch(`${origin}/chat-api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const unknown = await fetch(`${origin}/chat-api/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'route_not_found' } });
    const created = await fetch(`${origin}/chat-api/session`, { method: 'POST' });
    expect(created.status).toBe(201);
    await chat.close();
  });

  it('with a bare function as Express middleware, passes its route_not_found answers on', async () => {
    const chat = createChatServer({ agent: noAgent, logger: silent });
    const app = express();
    app.use(createNodeListener((request) => chat.fetch(request)));
    app.use((_req, res) => void res.status(404).send('express 404'));
    const origin = await listen(app);
    expect(await (await fetch(`${origin}/elsewhere`)).text()).toBe('express 404');
    expect((await fetch(`${origin}/api/health`)).status).toBe(200);
    await chat.close();
  });

  it('answers 500 when the handler throws, and stays up', async () => {
    let calls = 0;
    const origin = await listen(
      createNodeListener(async () => {
        if (calls++ === 0) throw new Error('boom');
        return new Response('fine');
      }),
    );
    const failed = await fetch(origin);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(await (await fetch(origin)).text()).toBe('fine');
  });
});
