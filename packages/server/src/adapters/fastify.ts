import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createNodeListener } from './node.js';

/**
 * A Fastify plugin that serves a chat server:
 * `await app.register(fastifyPlugin(server))` (without a `prefix`: the routes
 * are the server's `basePath`).
 *
 * Inside the plugin's (encapsulated) scope every body is left unparsed, so the
 * raw request stream reaches the handler untouched (it enforces its own size
 * limit), and the reply is hijacked and written by the Node adapter: SSE
 * frames leave at once, with back-pressure, and a client that goes away
 * cancels its stream.
 */
export function fastifyPlugin(server: {
  fetch(request: Request): Promise<Response>;
  readonly basePath: string;
}): FastifyPluginAsync {
  const listener = createNodeListener(server.fetch.bind(server));
  return async (fastify) => {
    fastify.removeAllContentTypeParsers();
    // Leave the payload stream unread: `createNodeListener` streams `request.raw` itself.
    fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    // HEAD is added by Fastify itself for every GET route (and answered 405 by the handler).
    const methods = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'];
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      listener(request.raw, reply.raw);
    };
    const base = server.basePath;
    fastify.route({ method: methods, url: base === '' ? '/' : base, handler });
    fastify.route({ method: methods, url: `${base}/*`, handler });
  };
}
