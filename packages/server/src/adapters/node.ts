import type { IncomingMessage, ServerResponse } from 'node:http';
import { isClientGone } from '../client-gone.js';
import { routePath } from '../route-path.js';

/** Anything with a Web-standard `fetch`, such as a `ChatServer`, or the bare function. */
export type FetchHandler =
  | { fetch(request: Request): Promise<Response>; readonly basePath?: string }
  | ((request: Request) => Promise<Response>);

/** A node:http request listener that also works as Express / Connect middleware. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/**
 * Serves a Web-standard fetch handler from node:http (or Express, Connect).
 *
 * - The request becomes a `Request`: method, URL from the Host header, headers,
 *   the body as a stream (`duplex: 'half'`), and a `signal` aborted when the client goes away.
 * - The `Response` is written with back-pressure (waits for `drain`) and each
 *   chunk is flushed, so SSE frames leave at once; when the client disconnects
 *   the body's reader is cancelled, which ends the server-side stream.
 * - As middleware (`next` given), requests outside the handler's `basePath`
 *   go to `next()`; with a bare function, its 404 `route_not_found` answers do.
 * - A client that leaves mid-request is not an error: a handler failing for
 *   that reason is not passed to `next(error)`, the socket is just closed.
 */
export function createNodeListener(handler: FetchHandler): NodeListener {
  const fetchFn = typeof handler === 'function' ? handler : handler.fetch.bind(handler);
  const basePath = typeof handler === 'function' ? undefined : handler.basePath;
  return (req, res, next) => {
    serve(req, res, fetchFn, basePath, next).catch((error: unknown) => {
      // A client that left (mid-body, mid-answer) is not an error to report: nobody is there to answer.
      if (isClientGone(error) && (req.destroyed || res.destroyed)) return void res.destroy();
      if (next) return next(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong on the server.' } }));
      } else {
        res.destroy();
      }
    });
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  fetchFn: (request: Request) => Promise<Response>,
  basePath: string | undefined,
  next: ((err?: unknown) => void) | undefined,
): Promise<void> {
  const url = requestUrl(req);
  if (next && basePath !== undefined && routePath(url.pathname, basePath) === undefined) return next();

  const aborter = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) aborter.abort(new DOMException('The client went away', 'AbortError'));
  };
  res.on('close', onClose);

  const body = requestBody(req);
  const request = new Request(url, {
    method: req.method ?? 'GET',
    headers: requestHeaders(req),
    signal: aborter.signal,
    ...(body ? { body: body.stream, duplex: 'half' } : {}),
  } as RequestInit);

  const response = await fetchFn(request);
  if (next && basePath === undefined && response.status === 404 && (await isRouteNotFound(response))) {
    body?.discard();
    return next();
  }
  await writeResponse(response, res, aborter.signal);
  // Whatever the handler left unread is discarded, so the connection can serve the next request.
  body?.discard();
}

function requestUrl(req: IncomingMessage): URL {
  // Express strips its mount path from `url`; `originalUrl` keeps it.
  const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  try {
    return new URL(path, `${scheme}://${req.headers.host ?? 'localhost'}`);
  } catch {
    return new URL(path.startsWith('/') ? path : '/', `${scheme}://localhost`);
  }
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

/** The request body as a Web stream that reads `req` only when pulled, or `undefined` when there is none. */
function requestBody(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discard(): void } | undefined {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return undefined;
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return undefined;

  // A body parser (express.json()) may have consumed the stream already.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (req.readableEnded && parsed !== undefined) {
    const bytes = new TextEncoder().encode(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
    return {
      stream: new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }),
      discard: () => {},
    };
  }

  let listening = false;
  let done = false;
  let onData: (chunk: Buffer) => void = () => {};
  let onEnd: () => void = () => {};
  let onError: (error: Error) => void = () => {};
  const detach = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!listening) {
          listening = true;
          onData = (chunk) => {
            if (done) return;
            controller.enqueue(new Uint8Array(chunk));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          };
          onEnd = () => {
            if (done) return;
            done = true;
            detach();
            controller.close();
          };
          onError = (error) => {
            if (done) return;
            done = true;
            detach();
            controller.error(error);
          };
          req.on('data', onData);
          req.on('end', onEnd);
          req.on('error', onError);
        }
        req.resume();
      },
      cancel() {
        done = true;
        detach();
        req.resume();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
  return {
    stream,
    discard() {
      if (req.readableEnded) return;
      done = true;
      detach();
      req.resume();
    },
  };
}

async function isRouteNotFound(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } };
    return body.error?.code === 'route_not_found';
  } catch {
    return false;
  }
}

async function writeResponse(response: Response, res: ServerResponse, clientGone: AbortSignal): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    res.setHeader(name, value);
  }
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);

  if (!response.body) {
    res.end();
    return;
  }
  // Headers go out now, so an SSE client sees the stream open before the first event.
  res.flushHeaders();
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  if (clientGone.aborted) return cancel();
  clientGone.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return cancel();
      if (!res.write(value)) {
        const drained = await waitForDrain(res);
        if (!drained) return cancel();
      }
      // Compression middleware buffers unless told to flush.
      (res as ServerResponse & { flush?: () => void }).flush?.();
    }
    res.end();
  } catch (error) {
    if (clientGone.aborted || res.destroyed) return;
    res.destroy(error instanceof Error ? error : undefined);
  } finally {
    clientGone.removeEventListener('abort', cancel);
  }
}

/** Resolves true on `drain`, false when the response closes first. */
function waitForDrain(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off('drain', onDrain);
      resolve(false);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
