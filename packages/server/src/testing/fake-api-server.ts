import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP side shared by the local stand-ins for model APIs in this folder
 * (`fake-anthropic-server.ts`, `fake-openai-server.ts`): a server on
 * 127.0.0.1 with an ephemeral port that records every request, serves queued
 * answers (or asks `respond`), streams scripted SSE frames with pauses, hangs
 * and broken connections, and answers HTTP errors. Each API's dialect (error
 * body, request-id header, frame format) comes from a {@link FakeApiDialect}.
 */

/** A request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, any>;
  /** Resolves when the client closed the connection or the answer ended. */
  closed: Promise<void>;
}

/** How a scripted streaming answer is paced, and where it stops or breaks. */
export interface FakeStreamPacing {
  /** Pause before each frame, in ms (default 0). */
  delayMs?: number;
  /**
   * Stop writing after this many frames and keep the connection open until the
   * client goes away (to test interrupts). Default: write all and end.
   */
  hangAfter?: number;
  /** Destroy the connection after this many frames, as a broken network would. */
  disconnectAfter?: number;
}

/** A scripted HTTP error, sent with the API's error body (see each fake). */
export interface FakeErrorResponse {
  kind: 'error';
  status: number;
  /** API error type, e.g. `overloaded_error` (Anthropic), `rate_limit_exceeded` (OpenAI), `invalid_request_error`. */
  errorType: string;
  message: string;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }` or `{ 'retry-after-ms': '20' }`. */
  headers?: Record<string, string>;
}

/** The connection is destroyed without an answer (a network error for the client). */
export interface FakeDisconnectResponse {
  kind: 'disconnect';
}

/**
 * A scripted answer: a streaming answer `S`, an error or a disconnect. `match`,
 * when given, limits which request takes the answer (the first queued answer
 * that accepts a request serves it), so concurrent requests, e.g. of parallel
 * sub-agents, get theirs.
 */
export type FakeAnswer<S> = (S | FakeErrorResponse | FakeDisconnectResponse) & {
  match?: (request: RecordedRequest) => boolean;
};

/** A running fake. */
export interface FakeApiServer<A> {
  /** Base URL for a client's `baseURL`, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Every request so far, oldest first. */
  requests: RecordedRequest[];
  /** Queues answers, served in order (see {@link FakeAnswer} `match`), one per request. */
  enqueue(...responses: A[]): void;
  /** Number of queued answers not yet served. */
  pending(): number;
  close(): Promise<void>;
}

/** Options of a fake. */
export interface FakeApiServerOptions<A> {
  /** Answers a request no queued answer takes (e.g. a scripted model for a demo). */
  respond?: (request: RecordedRequest) => A | undefined;
}

/** What one API does its own way. */
export interface FakeApiDialect<S extends FakeStreamPacing & { kind: 'stream' }> {
  /** Appended to the server's origin in `url` (`'/v1'` for OpenAI clients). */
  basePath: string;
  /** The response header that carries the request id (`'req_fake'`). */
  requestIdHeader: string;
  /** The error type of the 500 answered to a request nothing was scripted for. */
  unscriptedErrorType: string;
  /** The API's JSON error body. */
  errorBody(answer: FakeErrorResponse): unknown;
  /** The JSON answer a streaming answer adds up to, for a request without `stream: true`. */
  accumulate(answer: S): unknown;
  /** The SSE frames of a streaming answer to `request`. */
  frames(answer: S, request: RecordedRequest): string[];
  /** Written after every frame, unless the answer hangs or the client left (e.g. `data: [DONE]`). */
  trailer?(answer: S): string | undefined;
  /** Answers a request before it is recorded (e.g. `GET /v1/models`); true when it did. */
  preempt?(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Starts a fake of the API `dialect` describes. A request with no queued
 * answer (and none from `options.respond`) gets a 500 saying so, so a test that
 * under-scripts fails loudly.
 */
export async function startFakeApiServer<S extends FakeStreamPacing & { kind: 'stream' }>(
  dialect: FakeApiDialect<S>,
  { respond }: FakeApiServerOptions<FakeAnswer<S>> = {},
): Promise<FakeApiServer<FakeAnswer<S>>> {
  const queue: FakeAnswer<S>[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  const requestId = { [dialect.requestIdHeader]: 'req_fake' };

  const sendError = (res: ServerResponse, answer: FakeErrorResponse): void => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...requestId, ...answer.headers });
    res.end(JSON.stringify(dialect.errorBody(answer)));
  };

  const sendStream = async (res: ServerResponse, answer: S, request: RecordedRequest): Promise<void> => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...requestId });
    const frames = dialect.frames(answer, request);
    const limit = answer.hangAfter ?? frames.length;
    for (const [index, frame] of frames.entries()) {
      if (index >= limit || res.destroyed) break;
      if (index === answer.disconnectAfter) {
        res.socket?.destroy();
        return;
      }
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      if (res.destroyed) return;
      // Before a scripted disconnect, each frame must have left: destroying the socket drops unsent data.
      if (answer.disconnectAfter === undefined) res.write(frame);
      else await new Promise<void>((resolve) => res.write(frame, () => resolve()));
    }
    if (answer.hangAfter !== undefined || res.destroyed) return;
    const trailer = dialect.trailer?.(answer);
    if (trailer) res.write(trailer);
    res.end();
  };

  const serve = (res: ServerResponse, request: RecordedRequest): void => {
    const index = queue.findIndex((answer) => !answer.match || answer.match(request));
    const answer = index === -1 ? respond?.(request) : queue.splice(index, 1)[0];
    if (!answer) {
      sendError(res, { kind: 'error', status: 500, errorType: dialect.unscriptedErrorType, message: 'fake: no scripted response left' });
    } else if (answer.kind === 'error') {
      sendError(res, answer);
    } else if (answer.kind === 'disconnect') {
      res.socket?.destroy();
    } else if (request.body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json', ...requestId });
      res.end(JSON.stringify(dialect.accumulate(answer as S)));
    } else {
      void sendStream(res, answer as S, request);
    }
  };

  const server: Server = createServer((req, res) => {
    open.add(res);
    const closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        open.delete(res);
        resolve();
      }),
    );
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (dialect.preempt?.(req, res)) return;
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        // Recorded as empty; the test will see it.
      }
      const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, closed };
      requests.push(request);
      serve(res, request);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${dialect.basePath}`,
    requests,
    enqueue: (...responses) => void queue.push(...responses),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
