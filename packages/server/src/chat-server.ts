import {
  PROTOCOL_VERSION,
  SSE_HEADERS,
  TERMINAL_EVENT_TYPES,
  chatApprovalsBodySchema,
  chatTextBodySchema,
  createSessionBodySchema,
  type ErrorBody,
  type Health,
  type SessionList,
} from '@agent-chat/core';
import type { Agent } from './agent.js';
import { ApiError, sessionNotFound } from './api-error.js';
import type { EventLog } from './event-log.js';
import { parseBody, readJsonBody } from './read-json-body.js';
import { routePath } from './route-path.js';
import type { Session } from './session.js';
import { SessionManager } from './session-manager.js';
import { SseStream } from './sse-stream.js';

/** Options of {@link createChatServer}. */
export interface ChatServerOptions {
  /** Answers every turn. */
  agent: Agent;
  /** Path prefix of every route. Default `/api`. */
  basePath?: string;
  /**
   * Who is calling; `null` answers 401 `unauthorized`. Without it every request
   * is one development user `{ id: 'dev' }` (and a warning is logged once).
   */
  auth?: (request: Request) => ChatUser | null | Promise<ChatUser | null>;
  /** Interval of the SSE `: keepalive` comment, in ms. Default 15 000; 0 turns it off. */
  keepAliveMs?: number;
  /** Largest accepted request body, in bytes. Default 1 MiB; larger is 413 `payload_too_large`. */
  maxBodyBytes?: number;
  /** Most sessions on the server. Default 200; past it creating one is 503 `too_many_sessions`. */
  maxSessions?: number;
  /** Most sessions per user. Default 10; past it creating one is 429 `session_limit`. */
  maxSessionsPerUser?: number;
  /** How long `close()` waits for running agents to stop, in ms. Default 5 000. */
  shutdownTimeoutMs?: number;
  /** Makes each new session's event log. Default: in memory. */
  createEventLog?: (sessionId: string) => EventLog;
  logger?: Pick<Console, 'warn' | 'error' | 'info'>;
}

/** The authenticated caller. Sessions belong to `id`. */
export interface ChatUser {
  id: string;
  [key: string]: unknown;
}

/** The agent-chat HTTP API as one Web-standard handler (see docs/api.md). */
export interface ChatServer {
  /** Answers one request. Paths outside `basePath` get 404 `route_not_found`. Never rejects. */
  fetch(request: Request): Promise<Response>;
  /** Stops accepting turns (503 `shutting_down`), interrupts running turns, ends every stream with `shutdown`, waits for agents (bounded). */
  close(): Promise<void>;
  /** The path prefix of every route, without a trailing slash (`''` for the root). */
  readonly basePath: string;
  readonly sessions: SessionManager;
}

interface Route {
  pattern: RegExp;
  methods: Record<string, (ctx: RouteContext) => Promise<Response> | Response>;
}

interface RouteContext {
  request: Request;
  url: URL;
  params: string[];
  user: ChatUser;
}

const DEV_USER: ChatUser = { id: 'dev' };

/**
 * Creates the agent-chat server: sessions, turns run by `agent`, and the HTTP
 * API under `basePath` (health, sessions, chat and events over SSE, interrupt,
 * messages). Mount it with `createNodeListener` from `@agent-chat/server/node`,
 * or call `fetch` from any runtime that speaks Web `Request`/`Response`.
 */
export function createChatServer(options: ChatServerOptions): ChatServer {
  const basePath = normalizeBasePath(options.basePath ?? '/api');
  const logger = options.logger ?? console;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxSessions = options.maxSessions ?? 200;
  const sessions = new SessionManager({
    agent: options.agent,
    maxSessions,
    maxSessionsPerUser: options.maxSessionsPerUser ?? 10,
    logger,
    ...(options.createEventLog ? { createEventLog: options.createEventLog } : {}),
  });
  let closing = false;
  let closed: Promise<void> | undefined;

  if (!options.auth) {
    logger.warn('[agent-chat] no auth function configured: every request acts as the development user "dev".');
  }
  const authenticate = options.auth ?? (() => DEV_USER);

  const acceptingTurns = () => {
    if (closing) throw new ApiError(503, 'shutting_down', 'The server is shutting down; try again shortly.');
  };

  const findSession = (ctx: RouteContext): Session => {
    const session = sessions.get(ctx.params[0]!, ctx.user.id);
    if (!session) throw sessionNotFound();
    return session;
  };

  /** Opens an SSE response on a session: `ready`, then whatever `prime` sends, then the log after `afterId`. */
  const openEventStream = (
    session: Session,
    afterId: number,
    { endOnTerminal, snapshot }: { endOnTerminal: boolean; snapshot: boolean },
  ): Response => {
    let unsubscribe: (() => void) | undefined;
    let untrack: (() => void) | undefined;
    const sse = new SseStream({
      keepAliveMs,
      onClose: () => {
        unsubscribe?.();
        untrack?.();
      },
    });
    untrack = session.track(sse);
    sse.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, sessionId: session.id, lastEventId: session.log.lastId });
    if (snapshot) {
      const { event, id } = session.snapshot();
      sse.send(event, id);
    }
    const stop = session.log.subscribe(afterId, ({ id, event }) => {
      sse.send(event, id);
      if (endOnTerminal && TERMINAL_EVENT_TYPES.has(event.type)) sse.close();
    });
    // The replay may already have ended the stream before `subscribe` returned.
    if (sse.open) unsubscribe = stop;
    else stop();
    return new Response(sse.stream, { status: 200, headers: SSE_HEADERS });
  };

  const routes: Route[] = [
    {
      pattern: /^\/health$/,
      methods: {
        GET: () =>
          json(200, {
            status: 'ok',
            protocolVersion: PROTOCOL_VERSION,
            activeSessions: sessions.size,
            maxSessions,
          } satisfies Health),
      },
    },
    {
      pattern: /^\/session$/,
      methods: {
        POST: async ({ request, user }) => {
          acceptingTurns();
          const raw = await readJsonBody(request, { maxBytes: maxBodyBytes, optional: true });
          const body = parseBody(createSessionBodySchema, raw ?? {});
          const session = sessions.create(user.id, body);
          return json(201, session.info());
        },
      },
    },
    {
      pattern: /^\/sessions$/,
      methods: {
        GET: ({ user }) => json(200, { sessions: sessions.list(user.id).map((s) => s.info()) } satisfies SessionList),
      },
    },
    {
      pattern: /^\/session\/([^/]+)$/,
      methods: {
        GET: (ctx) => json(200, findSession(ctx).info()),
        DELETE: (ctx) => {
          const session = findSession(ctx);
          sessions.delete(session.id, ctx.user.id);
          return new Response(null, { status: 204 });
        },
      },
    },
    {
      pattern: /^\/session\/([^/]+)\/messages$/,
      methods: { GET: (ctx) => json(200, findSession(ctx).messages()) },
    },
    {
      pattern: /^\/chat\/([^/]+)$/,
      methods: {
        POST: async (ctx) => {
          findSession(ctx);
          acceptingTurns();
          const raw = await readJsonBody(ctx.request, { maxBytes: maxBodyBytes });
          // Reading the body took time: the session may have been deleted, or the server be closing.
          const session = findSession(ctx);
          acceptingTurns();
          const isApprovals = typeof raw === 'object' && raw !== null && 'approvals' in raw;
          if (isApprovals) {
            const { approvals } = parseBody(chatApprovalsBodySchema, raw);
            session.runner.assertApprovals(approvals);
            // Subscribe before submit: the stream starts right after the current last event.
            const response = openEventStream(session, session.log.lastId, { endOnTerminal: true, snapshot: false });
            session.runner.submitApprovals(approvals);
            return response;
          }
          const { text } = parseBody(chatTextBodySchema, raw);
          session.runner.assertCanStart();
          const response = openEventStream(session, session.log.lastId, { endOnTerminal: true, snapshot: false });
          session.runner.start(text);
          return response;
        },
      },
    },
    {
      pattern: /^\/events\/([^/]+)$/,
      methods: {
        GET: (ctx) => {
          const session = findSession(ctx);
          acceptingTurns();
          const cursor = readCursor(ctx.request, ctx.url, session.log.lastId);
          return cursor === undefined
            ? openEventStream(session, session.log.lastId, { endOnTerminal: false, snapshot: true })
            : openEventStream(session, cursor, { endOnTerminal: false, snapshot: false });
        },
      },
    },
    {
      pattern: /^\/interrupt\/([^/]+)$/,
      methods: {
        POST: (ctx) => json(200, { interrupted: findSession(ctx).runner.interrupt() }),
      },
    },
  ];

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = routePath(url.pathname, basePath);
    if (path === undefined) throw routeNotFound();
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const handler = route.methods[request.method];
      if (!handler) {
        const allow = Object.keys(route.methods).join(', ');
        throw new ApiError(405, 'method_not_allowed', `Use ${allow} on this path.`, { headers: { allow } });
      }
      const user = await authenticate(request);
      if (!user || typeof user.id !== 'string' || user.id === '') {
        throw new ApiError(401, 'unauthorized', 'Sign in to use the chat.');
      }
      const params = match.slice(1).map((p) => safeDecode(p));
      return handler({ request, url, params, user });
    }
    throw routeNotFound();
  };

  return {
    basePath,
    sessions,
    async fetch(request) {
      try {
        return await handle(request);
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error);
        logger.error('[agent-chat] request failed:', error);
        return errorResponse(new ApiError(500, 'internal_error', 'Something went wrong on the server.'));
      }
    },
    close() {
      closing = true;
      closed ??= sessions.close(options.shutdownTimeoutMs ?? 5_000);
      return closed;
    },
  };
}

/** `/api/` and `api` become `/api`; `/` becomes `''`. */
function normalizeBasePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * The resume cursor of `GET /events/:id`: header `Last-Event-ID` wins over `?after=`.
 * @throws {ApiError} 400 `invalid_cursor` for a non-integer or one beyond the last id.
 */
function readCursor(request: Request, url: URL, lastId: number): number | undefined {
  const raw = request.headers.get('last-event-id') ?? url.searchParams.get('after');
  if (raw === null || raw.trim() === '') return undefined;
  const cursor = /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(cursor) || cursor > lastId) {
    throw new ApiError(400, 'invalid_cursor', `The event cursor must be an integer from 0 to ${lastId}.`);
  }
  return cursor;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function routeNotFound(): ApiError {
  return new ApiError(404, 'route_not_found', 'No such route.');
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function errorResponse(error: ApiError): Response {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
  };
  return json(error.status, body, error.headers);
}
