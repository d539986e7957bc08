import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener, RequestError } from '@hono/node-server';
import { isClientGone } from '../http/client-gone.js';
import { isNotMyRoute } from '../http/not-my-route.js';
import { routePath } from '../http/route-path.js';

/** Anything with a Web-standard `fetch`, such as a `ChatServer`, or the bare function. */
export type FetchHandler =
  | { fetch(request: Request): Promise<Response>; readonly basePath?: string }
  | ((request: Request) => Promise<Response>);

/** A node:http request listener that also works as Express / Connect middleware. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** What Express and body parsers add to a Node request. */
type MiddlewareRequest = IncomingMessage & { originalUrl?: string; body?: unknown; rawBody?: Buffer };

const INTERNAL_ERROR = JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong on the server.' } });
const BAD_REQUEST = JSON.stringify({ error: { code: 'bad_request', message: 'The request line or Host header is malformed.' } });

/**
 * Serves a Web-standard fetch handler from node:http (or Express, Connect),
 * through `@hono/node-server`'s request listener.
 *
 * - The request becomes a `Request`: method, URL from the Host header, headers,
 *   the body streamed on demand, and a `signal` aborted when the client goes away.
 * - The `Response` is written with back-pressure (waits for `drain`) and, behind
 *   compression middleware, each chunk is flushed, so SSE frames leave at once;
 *   when the client disconnects the body's reader is cancelled, which ends the
 *   server-side stream.
 * - As middleware (`next` given), requests outside the handler's `basePath`
 *   go to `next()` untouched; with a bare function, its 404 `route_not_found`
 *   answers do (a `ChatServer` marks them; nothing is cloned or parsed).
 * - A client that leaves mid-request is not an error: a handler failing for
 *   that reason is not passed to `next(error)`, the socket is just closed.
 * - A request line or Host header that is not a URL is 400 `bad_request`.
 */
export function createNodeListener(handler: FetchHandler): NodeListener {
  const fetchFn = typeof handler === 'function' ? handler : handler.fetch.bind(handler);
  const basePath = typeof handler === 'function' ? undefined : handler.basePath;
  return (req, res, next) => {
    const incoming = req as MiddlewareRequest;
    // Express strips its mount path from `url`; `originalUrl` keeps it.
    const url = incoming.originalUrl ?? incoming.url ?? '/';
    if (next && basePath !== undefined && routePath(pathOf(url), basePath) === undefined) return next();
    const mountedUrl = incoming.url;
    incoming.url = url;
    // A body parser (express.json()) may have consumed the stream already: its result becomes the body.
    if (incoming.readableEnded && incoming.body !== undefined && incoming.rawBody === undefined) {
      const parsed = incoming.body;
      incoming.rawBody = Buffer.from(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
    }
    res.once('finish', () => discardUnreadBody(req));
    const listener = getRequestListener(
      async (request) => {
        const response = await fetchFn(hasBody(req) ? request : withoutBody(request));
        if (next && basePath === undefined && isNotMyRoute(response)) {
          await response.body?.cancel();
          // Express puts its mount path back in front of `url` when it moves on.
          incoming.url = mountedUrl;
          next();
          return alreadySent();
        }
        flushEachChunk(res);
        return req.httpVersion === '1.1' ? openEventStreamsAtOnce(response) : response;
      },
      {
        // No process-wide swap of the global Request / Response: the host app keeps its own.
        overrideGlobalObjects: false,
        errorHandler(error) {
          if (error instanceof RequestError) return jsonAnswer(400, BAD_REQUEST);
          // A client that left (mid-body, mid-answer) is not an error to report: nobody is there to answer.
          if (isClientGone(error) && (req.destroyed || res.destroyed)) return void res.destroy();
          if (next) return void next(error);
          return jsonAnswer(500, INTERNAL_ERROR);
        },
      },
    );
    void listener(req, res);
  };
}

function jsonAnswer(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

/**
 * Reads and drops what the handler left of the body (a 415 refuses it unread),
 * so that the connection can serve the next request. `@hono/node-server`
 * drains it too, but its body stream keeps pausing the request for want of a
 * reader, and after 500 ms it destroys the socket, under a client that may
 * already have sent its next request on it.
 */
function discardUnreadBody(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  req.removeAllListeners('data');
  req.on('data', () => {});
  req.resume();
}

/** Whether the request carries a body (RFC 9112: `Transfer-Encoding`, or a `Content-Length` above 0). */
function hasBody(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true; // They have none either way: nothing to strip.
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The request without a body. `@hono/node-server` gives every POST and DELETE
 * a body stream, even one sent without a body; a bodyless request must say
 * so (`request.body === null`), as it does on every other runtime.
 */
function withoutBody(request: Request): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal });
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * A response `@hono/node-server` does not write (its `x-hono-already-sent`
 * header): the request went on to the next middleware.
 */
function alreadySent(): Response {
  return new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
}

/**
 * An event stream marked `Transfer-Encoding: chunked`, so that its head leaves
 * at once: otherwise `@hono/node-server` reads the body ahead (up to a timer
 * tick) to find a `Content-Length`, which delays every SSE open by that tick.
 */
function openEventStreamsAtOnce(response: Response): Response {
  if (!response.body || response.headers.has('content-length')) return response;
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
  const headers = new Headers(response.headers);
  headers.set('transfer-encoding', 'chunked');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Compression middleware buffers unless told to flush: flush after each write of this response. */
function flushEachChunk(res: ServerResponse): void {
  const flush = (res as ServerResponse & { flush?: () => void }).flush;
  if (typeof flush !== 'function') return;
  const write = res.write;
  res.write = function (this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
    const ok = write.apply(this, args);
    flush.call(this);
    return ok;
  } as ServerResponse['write'];
}
