import type { Context, Hono } from 'hono';
import type { FetchHandler } from './node.js';
// The type of its parameter (also exported by `@agent-chat/server/node`).
export type { FetchHandler } from './node.js';

/**
 * A Hono handler that serves a chat server: `app.all('/api/*', honoHandler(server))`
 * with the server's `basePath` in the pattern. The raw `Request` goes to
 * `server.fetch` untouched and its `Response` (SSE included) comes back as is,
 * so it works on every runtime Hono runs on.
 */
export function honoHandler(server: FetchHandler): (c: Context) => Promise<Response> {
  const fetchFn = typeof server === 'function' ? server : server.fetch.bind(server);
  return (c) => fetchFn(c.req.raw);
}

/**
 * Mounts a chat server on a Hono app at its `basePath` (every method, the base
 * path itself and everything below it). Returns the app.
 */
export function mountChatServer<App extends Pick<Hono, 'all'>>(
  app: App,
  server: { fetch(request: Request): Promise<Response>; readonly basePath: string },
): App {
  const handler = honoHandler(server);
  const base = server.basePath;
  if (base === '') {
    app.all('*', handler);
  } else {
    app.all(base, handler);
    app.all(`${base}/*`, handler);
  }
  return app;
}
