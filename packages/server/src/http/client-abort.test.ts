import { connect } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession, readEvents, startTestServer, waitFor, type TestServer } from '../__fixtures__/harness.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';
import { listenNode } from '../__fixtures__/adapter-factories.js';
import { createNodeListener } from '../adapters/node.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A logger with every level, keeping what it is told. */
function fullLogger() {
  const lines: { level: string; args: unknown[] }[] = [];
  const at = (level: string) => (...args: unknown[]) => void lines.push({ level, args });
  return { lines, warn: at('warn'), error: at('error'), info: at('info'), debug: at('debug') };
}

/** Sends a request whose body stops after `sent` of `declared` bytes, then destroys the socket. */
function abortMidBody(origin: string, path: string, declared: number, sent: number): Promise<void> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n` +
          '{"text":"' +
          'x'.repeat(Math.max(0, sent - 9)),
      );
      // Let the server start reading the body, then leave.
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 20);
    });
    socket.on('error', reject);
  });
}

describe('a client that leaves', () => {
  it('mid request body is not a server failure: at most a debug line, without a stack', async () => {
    const logger = fullLogger();
    server = await startTestServer({ agent: scriptedAgent(), logger, auth: () => ({ id: 'dev' }) });
    const id = await createSession(server.base);
    const path = `${server.chat.basePath}/chat/${id}`;
    for (let i = 0; i < 10; i++) await abortMidBody(server.origin, path, 10_000, 100 + i * 50);
    await abortMidBody(server.origin, `${server.chat.basePath}/session`, 5_000, 20);
    await abortMidBody(server.origin, `${server.chat.basePath}/title`, 5_000, 20);
    // Every aborted request has been handled (and logged, if at all) by now.
    await waitFor(() => logger.lines.filter((l) => l.level === 'debug').length >= 12 || logger.lines.some((l) => l.level === 'error'), 10_000).catch(
      () => {},
    );
    expect(logger.lines.filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(10);
    const loud = logger.lines.filter((l) => l.level !== 'debug');
    expect(loud).toEqual([]);
    for (const line of logger.lines) {
      for (const arg of line.args) expect(arg).not.toBeInstanceOf(Error);
      expect(line.args.join(' ')).not.toMatch(/\n\s+at /);
    }
    // The server is fine: a turn still runs.
    const events = await readEvents(
      await fetch(`${server.base}/chat/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' }),
    );
    expect(events.at(-1)!.event.type).toBe('turn_complete');
  });

  it('mid stream is not logged as a failure either', async () => {
    const logger = fullLogger();
    server = await startTestServer({ agent: scriptedAgent(), logger, auth: () => ({ id: 'dev' }) });
    const id = await createSession(server.base);
    const session = server.chat.sessions.get(id, 'dev')!;
    for (let i = 0; i < 5; i++) {
      const aborter = new AbortController();
      const response = await fetch(`${server.base}/events/${id}`, { signal: aborter.signal });
      await response.body!.getReader().read();
      aborter.abort();
    }
    await waitFor(() => session.openStreams === 0);
    expect(logger.lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });
});

describe('createNodeListener as Express middleware', () => {
  it('does not pass a client that left mid-body to the error handler', async () => {
    const errors: unknown[] = [];
    const app = express();
    // A bare fetch handler that reads the body: it rejects when the client leaves.
    app.use(createNodeListener(async (request) => new Response(`read ${(await request.text()).length}`)));
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status(500).end();
    });
    const harness = await listenNode(app);
    try {
      for (let i = 0; i < 5; i++) await abortMidBody(harness.origin, '/anything', 10_000, 100);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(errors).toEqual([]);
      const ok = await fetch(`${harness.origin}/anything`, { method: 'POST', body: 'hello' });
      expect(await ok.text()).toBe('read 5');
    } finally {
      await harness.close();
    }
  });
});
