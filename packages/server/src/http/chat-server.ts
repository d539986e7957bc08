import {
  MAX_MESSAGE_LENGTH,
  PROTOCOL_VERSION,
  SSE_HEADERS,
  type ErrorBody,
  type Features,
  type Health,
  type ModelConfig,
  type SessionList,
  type ShutdownResult,
  type TitleResult,
} from '@agent-chat/core';
import {
  chatApprovalsBodySchema,
  chatTextBodySchema,
  createSessionBodySchema,
  setModelBodySchema,
  titleBodySchema,
  truncateBodySchema,
} from '@agent-chat/core/schemas';
import { z } from 'zod';
import type { Agent, ModelInfo } from '../agents/agent.js';
import type { AttachmentOptions } from '../attachments/attachment-options.js';
import { AttachmentService } from '../attachments/attachment-service.js';
import { withAttachmentCleanup } from '../attachments/session-store-cleanup.js';
import { memoryStore } from '../stores/memory-store.js';
import { attachmentHeaders } from './attachment-response.js';
import { readMultipartFile } from './read-multipart-file.js';
import { ApiError } from './api-error.js';
import { ChatError } from '../chat-error.js';
import { CorsPolicy, type CorsOptions } from './cors.js';
import { assertSameOriginOrAllowed } from './cross-origin.js';
import type { EventLog } from '../sessions/event-log.js';
import { LlmHealthProbe } from './llm-health.js';
import { markNotMyRoute } from './not-my-route.js';
import { buildOpenApiDocument } from './openapi.js';
import { createRouter } from './router.js';
import type { RouteHandlers } from './routes.js';
import { parseBody, readJsonBody } from './read-json-body.js';
import { routePath } from './route-path.js';
import type { Session } from '../sessions/session.js';
import type { SessionStore } from '../stores/session-store.js';
import type { CompactionOptions } from '../sessions/session-runner.js';
import { SessionService } from '../sessions/session-service.js';
import { errorHeaders, errorStatus } from './error-status.js';
import { isClientGone } from './client-gone.js';
import { openSessionEventStream } from './session-event-stream.js';
import { StreamLimiter } from './stream-limiter.js';


/** Options of {@link createChatServer}. */
export interface ChatServerOptions {
  /** Answers every turn. */
  agent: Agent;
  /** Path prefix of every route. Default `/api`. */
  basePath?: string;
  /**
   * Who is calling; `null` answers 401 `unauthorized`. Without it every request
   * is one development user `{ id: 'dev' }` (and a warning is logged once).
   * Not called for the public routes: `GET /health`, `GET /health/llm`,
   * `GET /config/model`, `GET /openapi.json`.
   */
  auth?: (request: Request) => ChatUser | null | Promise<ChatUser | null>;
  /** Interval of the SSE `: keepalive` comment, in ms. Default 15 000; 0 turns it off. */
  keepAliveMs?: number;
  /** Largest accepted request body, in bytes. Default 1 MiB; larger is 413 `payload_too_large`. */
  maxBodyBytes?: number;
  /**
   * Longest user message, in UTF-16 code units (after trimming). Default and
   * ceiling {@link MAX_MESSAGE_LENGTH} (100 000); longer is 422 `invalid_body`.
   */
  maxMessageLength?: number;
  /** Most sessions on the server. Default 200; past it creating one is 503 `too_many_sessions` with `Retry-After`. */
  maxSessions?: number;
  /** Most sessions per user. Default 10; past it creating one is 429 `session_limit` with `Retry-After`. */
  maxSessionsPerUser?: number;
  /**
   * Most open SSE streams (`GET /events/:id` and chat POSTs) on one session, in
   * this process. Default 16; past it a new one is refused with 429
   * `too_many_streams` and `Retry-After` (open streams are never closed for it).
   */
  maxStreamsPerSession?: number;
  /** Most open SSE streams of one user over all their sessions, in this process. Default 64; past it 429 `too_many_streams`. */
  maxStreamsPerUser?: number;
  /**
   * A session unused for this long, in ms, is deleted; its streams get
   * `shutdown` (`session_expired`). A running turn keeps it alive (one waiting
   * for approval does not). Default 1 hour; 0 keeps sessions until deleted.
   */
  idleTimeoutMs?: number;
  /** How long `close()` waits for running agents to stop, in ms. Default 5 000. */
  shutdownTimeoutMs?: number;
  /**
   * Global default model, for sessions that chose none; `POST /config/model`
   * changes it. Default: none (the agent's own).
   */
  defaultModel?: string;
  /**
   * Who may change the global default model (`POST /config/model`); others get
   * 403 `forbidden`. Default: every authenticated user (fine for one user or a
   * trusted team; restrict it on a public server).
   */
  canSetDefaultModel?: (user: ChatUser) => boolean | Promise<boolean>;
  /** Summarise older history on its own before a turn whose history is over `thresholdTokens`. Default off. */
  compaction?: CompactionOptions;
  /** Cross-origin access from browsers. Default none: same-origin only. */
  cors?: CorsOptions;
  /** How long `agent.title()` may take before the heuristic title is used, in ms. Default 15 000. */
  titleTimeoutMs?: number;
  /**
   * Titles every untitled session when a turn starts in it, from its first user
   * message: `agent.title()` (bounded by `titleTimeoutMs`), else its first words.
   * The `title` event joins the turn's stream when ready, even if the turn is
   * stopped or waits for approval; a session left untitled (a failed store
   * write, a restart) is titled at its next turn. Default true.
   */
  autoTitle?: boolean;
  /** How long the `GET /health/llm` probe may take, in ms. Default 10 000. */
  llmHealthTimeoutMs?: number;
  /** How long a `GET /health/llm` result is reused, in ms. Default 15 000. */
  llmHealthCacheMs?: number;
  /**
   * Where sessions, their history and their event logs live. Default
   * `memoryStore()` (nothing survives a restart); `sqliteStore()` from
   * `@agent-chat/server/sqlite` for one process that restarts;
   * `redisStore()` from `@agent-chat/server/redis` for several processes
   * behind a load balancer (docs/deploy.md). `close()` closes it.
   */
  store?: SessionStore;
  /**
   * Files on messages (docs/attachments.md): where their bytes go and the
   * limits. On by default (memory store, 10 MiB a file, 10 a message, 100 MiB
   * a user) for the types the agent takes (`Agent.attachments`); `false` turns
   * it off. A session's files are deleted with it.
   */
  attachments?: AttachmentOptions | false;
  /** Makes each new session's event log (memory store only). Default: the store's. */
  createEventLog?: (sessionId: string) => EventLog;
  /**
   * Where the server reports problems (`error`), notices (`warn`, `info`) and,
   * if it has one, `debug` details such as a client that left mid-request.
   * Default `console`.
   */
  logger?: Pick<Console, 'warn' | 'error' | 'info'> & Partial<Pick<Console, 'debug'>>;
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
  /**
   * The session service every route goes through (the tests drive it).
   * Not part of the API (left out of the published declarations): its shape may change in any release; use `fetch`.
   * @internal
   */
  readonly sessions: SessionService;
  /**
   * What an endpoint mounted beside the API (`agUiHandler`, `aiSdkUiHandler`) shares with it.
   * Not part of the API (left out of the published declarations): its shape may change in any release.
   * @internal
   */
  readonly beside: BesideApi;
}

/**
 * The API's request policy, for an endpoint mounted beside it, so that it
 * answers as the API does.
 * @internal
 */
export interface BesideApi {
  /**
   * Answers `request` as the API answers its own routes: a CORS preflight
   * (allowing `methods`), 403 `cross_origin_forbidden` / 415 for a
   * cross-origin request the API would refuse, 401 when `auth` says no one;
   * then `handler(user)`. A {@link ChatError} it throws becomes the API's
   * JSON error (with `Retry-After`); every answer gets the API's CORS headers.
   * @param auth Who is calling, instead of the chat server's `auth`.
   */
  serve(
    request: Request,
    methods: readonly string[],
    handler: (user: ChatUser) => Promise<Response>,
    auth?: (request: Request) => ChatUser | null | Promise<ChatUser | null>,
  ): Promise<Response>;
  /** The API's caps on open streams (`maxStreamsPerSession`, `maxStreamsPerUser`): a stream counted here counts for both. */
  readonly streams: StreamLimiter;
  /** The API's `keepAliveMs`. */
  readonly keepAliveMs: number;
}

type Handler = (ctx: RouteContext) => Promise<Response> | Response;

interface RouteContext {
  request: Request;
  url: URL;
  /** The `{id}` path parameter, decoded; only routes with one read it. */
  id: string;
  /** The `{aid}` path parameter (an attachment id), decoded; only routes with one read it. */
  aid: string;
  /** The caller; the development user on public routes, which must not use it. */
  user: ChatUser;
}

const DEV_USER: ChatUser = { id: 'dev' };

/**
 * Creates the agent-chat server: sessions owned by users, turns run by
 * `agent`, and the HTTP API under `basePath` (docs/api.md; its OpenAPI 3.1
 * document is served at `GET {basePath}/openapi.json`). Mount it with an
 * adapter (`@agent-chat/server/node`, `/express`, `/hono`, `/fastify`) or call
 * `fetch` from any runtime that speaks Web `Request`/`Response`.
 *
 * @throws {CorsConfigError} for CORS options that cannot work.
 */
export function createChatServer(options: ChatServerOptions): ChatServer {
  const agent = options.agent;
  const basePath = normalizeBasePath(options.basePath ?? '/api');
  const logger = options.logger ?? console;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxSessions = options.maxSessions ?? 200;
  const streamLimits = new StreamLimiter(options.maxStreamsPerSession, options.maxStreamsPerUser);
  const maxMessageLength = Math.min(options.maxMessageLength ?? MAX_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH);
  const cors = options.cors ? new CorsPolicy(options.cors) : undefined;
  let defaultModel = options.defaultModel;
  const attachments: AttachmentService = new AttachmentService(
    options.attachments === false ? { mediaTypes: [] } : (options.attachments ?? {}),
    agent,
    async (userId): Promise<string[]> => (await sessions.list(userId)).map((session) => session.id),
  );
  const sessions = new SessionService({
    agent,
    maxSessions,
    maxSessionsPerUser: options.maxSessionsPerUser ?? 10,
    logger,
    defaultModel: () => defaultModel,
    ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    ...(options.compaction ? { compaction: options.compaction } : {}),
    ...(options.createEventLog ? { createEventLog: options.createEventLog } : {}),
    // Whichever way a session goes, its files go with it.
    store: withAttachmentCleanup(options.store ?? memoryStore(), attachments.store, logger),
    ...(options.titleTimeoutMs !== undefined ? { titleTimeoutMs: options.titleTimeoutMs } : {}),
    ...(options.autoTitle !== undefined ? { autoTitle: options.autoTitle } : {}),
  });
  const llmHealth = new LlmHealthProbe({
    agent,
    timeoutMs: options.llmHealthTimeoutMs ?? 10_000,
    cacheMs: options.llmHealthCacheMs ?? 15_000,
    logger,
  });
  const chatTextSchema =
    maxMessageLength === MAX_MESSAGE_LENGTH
      ? chatTextBodySchema
      : // Core's schemas are zod/mini ones (no `.extend`): the same strict shape with this server's limit.
        z
          .strictObject({ text: z.string().trim().max(maxMessageLength), attachments: z.array(z.string().min(1).max(200)).max(100).optional() })
          .refine((body) => body.text.length > 0 || (body.attachments?.length ?? 0) > 0, { message: 'text must not be empty', path: ['text'] });
  let openApiDocument: string | undefined;

  if (!options.auth) {
    logger.warn('[agent-chat] no auth function configured: every request acts as the development user "dev".');
  }
  const authenticate = options.auth ?? (() => DEV_USER);

  /** The caller's session with the path's id, marked as used; 404 for any other (malformed, missing, another user's). */
  const findSession = (ctx: RouteContext): Promise<Session> => sessions.open(ctx.id, ctx.user.id);

  /** The models offered: the agent's, else the configured default alone. */
  const modelList = (): ModelInfo[] => {
    if (agent.models && agent.models.length > 0) return [...agent.models];
    return defaultModel !== undefined ? [{ id: defaultModel, label: defaultModel }] : [];
  };
  const modelConfig = (): ModelConfig => ({
    model: defaultModel ?? agent.models?.[0]?.id ?? null,
    models: modelList(),
  });
  /** @throws {ChatError} `unknown_model` when the agent lists its models and this is not one. */
  const assertKnownModel = (model: string) => {
    if (agent.models && agent.models.length > 0 && !agent.models.some((m) => m.id === model)) {
      throw new ChatError('unknown_model', `Unknown model "${model}"; GET /config/model lists the models offered.`, {
        issues: [{ path: ['model'], message: `Not one of: ${agent.models.map((m) => m.id).join(', ')}` }],
      });
    }
  };

  const features = (): Features => ({
    undo: true,
    truncate: true,
    compact: true,
    models: modelList().length > 0,
    attachments: attachments.enabled,
  });

  /** Opens an SSE response on a session: `ready`, then the snapshot if asked, then the log after `afterId` (see `openSessionEventStream`). */
  const openEventStream = (
    session: Session,
    afterId: number,
    { endOnTerminal, snapshot }: { endOnTerminal: boolean; snapshot: boolean },
  ): Response => {
    const release = streamLimits.open(session.id, session.userId);
    const sse = openSessionEventStream(session, { afterId, endOnTerminal, snapshot, keepAliveMs, onClose: release });
    return new Response(sse.stream, { status: 200, headers: SSE_HEADERS });
  };

  const handlers: RouteHandlers<Handler> = {
    '/health': {
      GET: async () =>
        json(200, {
          status: 'ok',
          protocolVersion: PROTOCOL_VERSION,
          activeSessions: await sessions.count(),
          maxSessions,
          features: features(),
          ...(attachments.enabled ? { attachmentLimits: attachments.limits } : {}),
        } satisfies Health),
    },
    '/health/llm': {
      GET: async () => {
        const health = await llmHealth.check(defaultModel);
        return json(health.ok ? 200 : 503, health);
      },
    },
    '/config/model': {
      GET: () => json(200, modelConfig()),
      POST: async ({ request, user }) => {
        const { model } = parseBody(setModelBodySchema, await readJsonBody(request, { maxBytes: maxBodyBytes }));
        if (options.canSetDefaultModel && !(await options.canSetDefaultModel(user))) {
          throw new ChatError('forbidden', 'You may not change the default model.');
        }
        assertKnownModel(model);
        defaultModel = model;
        return json(200, modelConfig());
      },
    },
    '/title': {
      POST: async ({ request, user }) => {
        const { text, sessionId } = parseBody(titleBodySchema, await readJsonBody(request, { maxBytes: maxBodyBytes }));
        const title = await sessions.title(text, { userId: user.id, signal: request.signal, ...(sessionId !== undefined ? { sessionId } : {}) });
        return json(200, { title } satisfies TitleResult);
      },
    },
    '/session': {
      POST: async ({ request, url, user }) => {
        sessions.assertAcceptingTurns();
        const reuse = url.searchParams.get('reuse');
        if (reuse !== null && reuse !== 'empty') {
          throw new ChatError('invalid_query', 'The query parameter reuse takes one value: empty.', {
            issues: [{ path: ['reuse'], message: 'Use reuse=empty, or leave it out' }],
          });
        }
        const raw = await readJsonBody(request, { maxBytes: maxBodyBytes, optional: true });
        const body = parseBody(createSessionBodySchema, raw ?? {});
        if (body.model !== undefined) assertKnownModel(body.model);
        const { session, created } = await sessions.create(user.id, body, reuse === 'empty' ? { reuse } : {});
        return json(created ? 201 : 200, session.info());
      },
    },
    '/sessions': {
      GET: async ({ user }) => json(200, { sessions: await sessions.list(user.id) } satisfies SessionList),
    },
    '/session/{id}': {
      GET: async (ctx) => json(200, (await findSession(ctx)).info()),
      DELETE: async (ctx) => {
        await sessions.delete(await findSession(ctx));
        return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
      },
    },
    '/session/{id}/model': {
      POST: async (ctx) => {
        await findSession(ctx);
        const { model } = parseBody(setModelBodySchema, await readJsonBody(ctx.request, { maxBytes: maxBodyBytes }));
        assertKnownModel(model);
        return json(200, await sessions.setModel(await findSession(ctx), model));
      },
    },
    '/session/{id}/attachments': {
      POST: async (ctx) => {
        attachments.assertEnabled();
        const session = await findSession(ctx);
        const owner = { id: session.id, userId: ctx.user.id };
        const attachment = await readMultipartFile(ctx.request, attachments.maxRequestBytes, (file) => attachments.upload(owner, file));
        // Reading the body took time: a session deleted meanwhile took its files along, and this one goes too.
        await findSession(ctx).catch(async (error: unknown) => {
          await attachments.store.delete(session.id, attachment.id);
          throw error;
        });
        return json(201, attachment);
      },
    },
    '/session/{id}/attachments/{aid}': {
      GET: async (ctx) => {
        const session = await findSession(ctx);
        const { attachment, body } = await attachments.open({ id: session.id, userId: ctx.user.id }, ctx.aid);
        const headers = attachmentHeaders(attachment);
        if (ctx.request.headers.get('if-none-match') === headers.etag) {
          await body.cancel();
          return new Response(null, { status: 304, headers: { etag: headers.etag!, 'cache-control': headers['cache-control']! } });
        }
        return new Response(body, { status: 200, headers });
      },
      DELETE: async (ctx) => {
        const session = await findSession(ctx);
        await attachments.remove({ id: session.id, userId: ctx.user.id }, ctx.aid, session.state.messages);
        return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
      },
    },
    '/session/{id}/messages': {
      GET: async (ctx) => json(200, (await findSession(ctx)).messages()),
    },
    '/chat/{id}': {
      POST: async (ctx) => {
        await findSession(ctx);
        sessions.assertAcceptingTurns();
        const raw = await readJsonBody(ctx.request, { maxBytes: maxBodyBytes });
        // Reading the body took time: the session may have been deleted, or the server be closing.
        const session = await findSession(ctx);
        sessions.assertAcceptingTurns();
        // Before anything starts: a turn must not run for a stream that cannot open.
        streamLimits.assertAvailable(session.id, ctx.user.id);
        const isApprovals = typeof raw === 'object' && raw !== null && 'approvals' in raw;
        // The stream starts right after the last event before the turn (or the decisions), wherever the turn runs.
        let after: number;
        if (isApprovals) {
          after = await sessions.submitApprovals(session, parseBody(chatApprovalsBodySchema, raw).approvals);
        } else {
          const { text, attachments: ids = [] } = parseBody(chatTextSchema, raw);
          const files = await attachments.forMessage({ id: session.id, userId: ctx.user.id }, ids, session.state.messages, session.runner.model);
          after = await sessions.startTurn(session, {
            text,
            ...(files.length > 0 ? { attachments: files } : {}),
            ...(attachments.enabled ? { readAttachment: attachments.reader(session.id) } : {}),
          });
        }
        return openEventStream(session, after, { endOnTerminal: true, snapshot: false });
      },
    },
    '/events/{id}': {
      GET: async (ctx) => {
        const session = await findSession(ctx);
        sessions.assertAcceptingTurns();
        const cursor = readCursor(ctx.request, ctx.url);
        // In a cluster the client may have it from the turn's writer, ahead of this process's copy.
        if (cursor !== undefined && !(await sessions.catchUp(session, cursor))) {
          throw new ChatError('invalid_cursor', `The event cursor must be an integer from 0 to ${session.log.lastId}.`);
        }
        streamLimits.assertAvailable(session.id, ctx.user.id);
        // No cursor, or one older than the log keeps (retention): the whole conversation, then the live tail.
        return cursor === undefined || cursor < session.log.firstId - 1
          ? openEventStream(session, session.log.lastId, { endOnTerminal: false, snapshot: true })
          : openEventStream(session, cursor, { endOnTerminal: false, snapshot: false });
      },
    },
    '/interrupt/{id}': {
      POST: async (ctx) => json(200, { interrupted: await sessions.interrupt(await findSession(ctx)) }),
    },
    '/undo/{id}': {
      POST: async (ctx) => {
        const session = await findSession(ctx);
        const before = session.state.messages;
        const result = await sessions.undo(session);
        // The files of the removed messages are deleted with them.
        await attachments.dropRemoved(session.id, before, result.messages);
        return json(200, result);
      },
    },
    '/truncate/{id}': {
      POST: async (ctx) => {
        await findSession(ctx);
        const { userMessageIndex } = parseBody(truncateBodySchema, await readJsonBody(ctx.request, { maxBytes: maxBodyBytes }));
        const session = await findSession(ctx);
        const before = session.state.messages;
        const result = await sessions.truncate(session, userMessageIndex);
        await attachments.dropRemoved(session.id, before, result.messages);
        return json(200, result);
      },
    },
    '/compact/{id}': {
      POST: async (ctx) => json(200, await sessions.compact(await findSession(ctx))),
    },
    '/shutdown/{id}': {
      POST: async (ctx) => json(200, { interrupted: await sessions.shutdown(await findSession(ctx)) } satisfies ShutdownResult),
    },
    '/openapi.json': {
      GET: () => {
        openApiDocument ??= JSON.stringify(buildOpenApiDocument(basePath));
        return new Response(openApiDocument, {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
        });
      },
    },
  };
  // The routes, their methods and which are public come from the one declaration (http/routes.ts), as the OpenAPI document does.
  const route = createRouter(handlers);

  const handle = async (request: Request, url: URL): Promise<Response> => {
    const path = routePath(url.pathname, basePath);
    const match = path === undefined ? undefined : route(request.method, path);
    if (!match) throw routeNotFound();
    if (cors?.isPreflight(request)) return cors.preflight(request, match.methods);
    if (!match.operation) {
      const allow = match.methods.join(', ');
      throw new ApiError(405, 'method_not_allowed', `Use ${allow} on this path.`, { headers: { allow } });
    }
    // Before auth: a forged request must not even reach the host's auth function.
    assertSameOriginOrAllowed(request, url, cors, match.operation.multipart);
    let user = DEV_USER;
    if (!match.operation.public) {
      const authenticated = await authenticate(request);
      if (!authenticated || typeof authenticated.id !== 'string' || authenticated.id === '') {
        throw new ApiError(401, 'unauthorized', 'Sign in to use the chat.');
      }
      user = authenticated;
    }
    const { id, aid } = match.params;
    return match.operation.handler({
      request,
      url,
      id: id === undefined ? '' : safeDecode(id),
      aid: aid === undefined ? '' : safeDecode(aid),
      user,
    });
  };

  /** The answer to a request that `handle` ran: refusals as JSON errors, CORS headers added. */
  const respond = async (request: Request, run: () => Promise<Response>): Promise<{ response: Response; notMine: boolean }> => {
    let response: Response;
    let notMine = false;
    try {
      response = await run();
    } catch (error) {
      if (error instanceof ChatError) {
        response = errorResponse(error);
        notMine = error.code === 'route_not_found';
      } else if (isClientGone(error, request)) {
        // A client that leaves mid-request is not a server failure: nobody reads this answer.
        logger.debug?.(`[agent-chat] ${request.method} ${new URL(request.url).pathname}: the client went away (${String((error as Error)?.message ?? error)})`);
        response = errorResponse(new ApiError(400, 'client_gone', 'The client closed the connection.'));
      } else {
        logger.error('[agent-chat] request failed:', error);
        response = errorResponse(new ApiError(500, 'internal_error', 'Something went wrong on the server.'));
      }
    }
    if (cors) response = cors.decorate(request, response);
    return { response, notMine };
  };

  const beside: BesideApi = {
    streams: streamLimits,
    keepAliveMs,
    async serve(request, methods, handler, auth = authenticate) {
      const { response } = await respond(request, async () => {
        if (cors?.isPreflight(request)) return cors.preflight(request, methods);
        assertSameOriginOrAllowed(request, new URL(request.url), cors);
        const user = await auth(request);
        if (!user || typeof user.id !== 'string' || user.id === '') throw new ApiError(401, 'unauthorized', 'Sign in to use the chat.');
        return handler(user);
      });
      return response;
    },
  };

  return {
    basePath,
    sessions,
    beside,
    async fetch(request) {
      const { response, notMine } = await respond(request, () => handle(request, new URL(request.url)));
      // So that a middleware adapter given a bare function passes the request on, without parsing this answer.
      return notMine ? markNotMyRoute(response) : response;
    },
    close() {
      return sessions.close(options.shutdownTimeoutMs ?? 5_000);
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
 * @throws {ApiError} 400 `invalid_cursor` for a non-integer.
 */
function readCursor(request: Request, url: URL): number | undefined {
  const raw = request.headers.get('last-event-id') ?? url.searchParams.get('after');
  if (raw === null || raw.trim() === '') return undefined;
  const cursor = /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(cursor)) {
    throw new ApiError(400, 'invalid_cursor', 'The event cursor must be a non-negative integer (an event id).');
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

/** The answer to a refusal: its status from the one table (http/error-status.ts), `Retry-After` and the HTTP layer's own headers. */
function errorResponse(error: ChatError): Response {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
  };
  return json(errorStatus(error.code), body, { ...errorHeaders(error), ...(error instanceof ApiError ? error.headers : {}) });
}
