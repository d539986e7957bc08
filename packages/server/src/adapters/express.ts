import { Router } from 'express';
import { createNodeListener, type FetchHandler } from './node.js';
// The type of its parameter (also exported by `@agent-chat/server/node`).
export type { FetchHandler } from './node.js';

/**
 * An Express router that serves a chat server: `app.use(expressRouter(server))`.
 * Requests under the server's `basePath` are answered (streamed with
 * back-pressure, see `createNodeListener`); any other request goes on to the
 * next middleware. Mount it at the root, or at a path equal to the server's
 * `basePath` (`app.use('/api', expressRouter(server))`): the full URL is what counts.
 *
 * Put it before body parsers such as `express.json()`, so the handler reads
 * the body itself (with its size limit); after one, the parsed body is re-serialised.
 */
export function expressRouter(server: FetchHandler): Router {
  const router = Router();
  router.use(createNodeListener(server));
  return router;
}
