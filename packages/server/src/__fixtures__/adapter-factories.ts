import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { expressRouter } from '../adapters/express.js';
import { fastifyPlugin } from '../adapters/fastify.js';
import { mountChatServer } from '../adapters/hono.js';
import { createNodeListener } from '../adapters/node.js';
import type { AdapterFactory, AdapterHarness } from './conformance-suite.js';

/** Listens on an ephemeral port of 127.0.0.1. */
export async function listenNode(listener: RequestListener): Promise<AdapterHarness & { server: Server }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** node:http with `createNodeListener`. */
export const nodeFactory: AdapterFactory = (chat) => listenNode(createNodeListener(chat));

/** Express 5: the router first, then the app's own JSON parser and 404, as a real app would have. */
export const expressFactory: AdapterFactory = (chat) => {
  const app = express();
  app.use(expressRouter(chat));
  app.use(express.json());
  app.get('/app/ping', (_req, res) => void res.json({ pong: true }));
  return listenNode(app);
};

/**
 * Hono: `mountChatServer` on a Hono app whose `app.fetch` is served by
 * `createNodeListener` (no `@hono/node-server` needed; any Web-standard
 * runtime would call `app.fetch` the same way).
 */
export const honoFactory: AdapterFactory = (chat) => {
  const app = new Hono();
  app.get('/app/ping', (c) => c.json({ pong: true }));
  mountChatServer(app, chat);
  return listenNode(createNodeListener((request) => Promise.resolve(app.fetch(request))));
};

/** Fastify 5: the plugin, next to an app route that still parses JSON. */
export const fastifyFactory: AdapterFactory = async (chat) => {
  const app = Fastify({ forceCloseConnections: true });
  await app.register(fastifyPlugin(chat));
  app.post('/app/echo', async (request) => ({ received: request.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => app.close(),
  };
};
