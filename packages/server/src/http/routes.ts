// The one declaration of the HTTP API: the router and the OpenAPI document are both built from it.
import {
  agentEventSchema,
  chatBodySchema,
  compactResultSchema,
  createSessionBodySchema,
  errorBodySchema,
  healthSchema,
  interruptResultSchema,
  llmHealthSchema,
  modelConfigSchema,
  sessionInfoSchema,
  sessionListSchema,
  sessionMessagesSchema,
  setModelBodySchema,
  shutdownResultSchema,
  titleBodySchema,
  titleResultSchema,
  truncateBodySchema,
} from '@agent-chat/core/schemas';
import type { z } from 'zod';

/** The name of a schema under `components.schemas`. */
export type SchemaName =
  | 'Health'
  | 'LlmHealth'
  | 'ModelConfig'
  | 'SetModelBody'
  | 'TitleBody'
  | 'TitleResult'
  | 'CreateSessionBody'
  | 'SessionInfo'
  | 'SessionList'
  | 'SessionMessages'
  | 'ChatBody'
  | 'InterruptResult'
  | 'TruncateBody'
  | 'CompactResult'
  | 'ShutdownResult'
  | 'AgentEvent'
  | 'ErrorBody';

/** The zod schema of each name (core's, `zod/mini`): the OpenAPI document's `components.schemas`. */
export const API_SCHEMAS: Readonly<Record<SchemaName, z.core.$ZodType>> = {
  Health: healthSchema,
  LlmHealth: llmHealthSchema,
  ModelConfig: modelConfigSchema,
  SetModelBody: setModelBodySchema,
  TitleBody: titleBodySchema,
  TitleResult: titleResultSchema,
  CreateSessionBody: createSessionBodySchema,
  SessionInfo: sessionInfoSchema,
  SessionList: sessionListSchema,
  SessionMessages: sessionMessagesSchema,
  ChatBody: chatBodySchema,
  InterruptResult: interruptResultSchema,
  TruncateBody: truncateBodySchema,
  CompactResult: compactResultSchema,
  ShutdownResult: shutdownResultSchema,
  AgentEvent: agentEventSchema,
  ErrorBody: errorBodySchema,
};

/** One operation of the API: the router of `createChatServer` serves it, the OpenAPI document describes it. */
export interface ApiOperation {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base path, with `{id}` for a session id. */
  path: string;
  operationId: string;
  summary: string;
  /** Whether the route needs no `auth` (health, model list, this document). */
  public?: boolean;
  body?: SchemaName;
  /** Whether the body may be left out. */
  bodyOptional?: boolean;
  /** Status and schema of the success answer; `'sse'` for an event stream, `null` for no body. */
  success: { status: number; schema: SchemaName | 'sse' | 'openapi' | null; description: string };
  /** Documented error answers besides 401 (on every route that is not public), 405 and 500. */
  errors: Record<number, string>;
  /** `GET /health/llm` also answers its own schema with 503. */
  alsoAnswers?: { status: number; schema: SchemaName; description: string };
}

const SESSION_ERRORS = { 404: '`session_not_found`: no such session, or one of another user (never said which).' };
const BODY_ERRORS = {
  400: '`invalid_json`: the body is not JSON (or not UTF-8).',
  413: '`payload_too_large`: the body is larger than `maxBodyBytes`.',
  415: '`unsupported_media_type`: the body is not `application/json`.',
  422: '`invalid_body`: the body does not match the schema; `issues` lists each problem.',
};

/**
 * Every route of the API, declared once: the router of `createChatServer` is
 * built from it (paths, methods, which need no `auth`) and so is the OpenAPI
 * document (`buildOpenApiDocument`). docs/api.md describes the same, with examples.
 */
export const API_ROUTES = [
  {
    method: 'GET',
    path: '/health',
    operationId: 'health',
    summary: 'Server status: protocol version, active and maximum sessions, supported features.',
    public: true,
    success: { status: 200, schema: 'Health', description: 'The server is up.' },
    errors: {},
  },
  {
    method: 'GET',
    path: '/health/llm',
    operationId: 'llmHealth',
    summary: 'Whether the model provider answers a 1-token probe (cached for a few seconds).',
    public: true,
    success: { status: 200, schema: 'LlmHealth', description: 'The provider answered.' },
    alsoAnswers: { status: 503, schema: 'LlmHealth', description: 'The provider did not answer; `error` says why.' },
    errors: {},
  },
  {
    method: 'GET',
    path: '/config/model',
    operationId: 'getModelConfig',
    summary: 'The global default model and the models the agent offers.',
    public: true,
    success: { status: 200, schema: 'ModelConfig', description: 'The model configuration.' },
    errors: {},
  },
  {
    method: 'POST',
    path: '/config/model',
    operationId: 'setDefaultModel',
    summary: 'Sets the global default model of sessions that did not choose one.',
    body: 'SetModelBody',
    success: { status: 200, schema: 'ModelConfig', description: 'The new model configuration.' },
    errors: {
      ...BODY_ERRORS,
      403: '`forbidden`: `canSetDefaultModel` refused this user.',
      422: '`invalid_body`, or `unknown_model`: the agent does not offer this model.',
    },
  },
  {
    method: 'POST',
    path: '/title',
    operationId: 'generateTitle',
    summary: 'A short title (about six words) for a conversation starting with `text`; with `sessionId` the session takes it and emits a `title` event.',
    body: 'TitleBody',
    success: { status: 200, schema: 'TitleResult', description: 'The title.' },
    errors: { ...BODY_ERRORS, ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/session',
    operationId: 'createSession',
    summary: 'Creates a session of the current user; with `?reuse=empty`, answers their newest empty session instead when they have one.',
    body: 'CreateSessionBody',
    bodyOptional: true,
    success: { status: 201, schema: 'SessionInfo', description: 'The new session.' },
    alsoAnswers: { status: 200, schema: 'SessionInfo', description: 'With `?reuse=empty`: the user\'s newest empty session (no message, no title, nothing running), reused.' },
    errors: {
      ...BODY_ERRORS,
      422: '`invalid_body`, `unknown_model`, or `invalid_query` (`reuse` is not `empty`).',
      429: '`session_limit`: the user has `maxSessionsPerUser` sessions; `Retry-After` says when one expires.',
      503: '`too_many_sessions` (server full; `Retry-After`) or `shutting_down`.',
    },
  },
  {
    method: 'GET',
    path: '/sessions',
    operationId: 'listSessions',
    summary: "The current user's sessions, newest first.",
    success: { status: 200, schema: 'SessionList', description: 'The sessions.' },
    errors: {},
  },
  {
    method: 'GET',
    path: '/session/{id}',
    operationId: 'getSession',
    summary: 'One session: title, model, whether a turn runs, message count, last event id.',
    success: { status: 200, schema: 'SessionInfo', description: 'The session.' },
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'DELETE',
    path: '/session/{id}',
    operationId: 'deleteSession',
    summary: 'Interrupts a running turn, ends open streams with `shutdown` and deletes the session.',
    success: { status: 204, schema: null, description: 'Deleted.' },
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/session/{id}/model',
    operationId: 'setSessionModel',
    summary: "Sets the model of this session's next turns.",
    body: 'SetModelBody',
    success: { status: 200, schema: 'SessionInfo', description: 'The session with its model.' },
    errors: { ...BODY_ERRORS, ...SESSION_ERRORS, 422: '`invalid_body`, or `unknown_model`.' },
  },
  {
    method: 'GET',
    path: '/session/{id}/messages',
    operationId: 'getMessages',
    summary: 'The conversation (the reducer view model) and the event id it is current at.',
    success: { status: 200, schema: 'SessionMessages', description: 'The conversation.' },
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/chat/{id}',
    operationId: 'chat',
    summary:
      'Starts a turn (`{text}`) or answers pending approvals (`{approvals}`); streams `ready` and the events until `turn_complete`, `approval_required`, `error`, `interrupted` or `shutdown`.',
    body: 'ChatBody',
    success: { status: 200, schema: 'sse', description: 'Server-sent events (WHATWG HTML); `id:` is the event sequence number.' },
    errors: {
      ...BODY_ERRORS,
      ...SESSION_ERRORS,
      409: '`turn_running` (a turn or a compaction runs) or `no_pending_approval`.',
      422: '`invalid_body` (including text longer than `maxMessageLength`) or `invalid_approvals`.',
      429: '`too_many_streams`: the session has `maxStreamsPerSession` open streams, or the user `maxStreamsPerUser`; nothing was started; `Retry-After`.',
      503: '`shutting_down`.',
    },
  },
  {
    method: 'GET',
    path: '/events/{id}',
    operationId: 'subscribe',
    summary:
      'Follows the session: `ready`, then the events after `Last-Event-ID` (or `?after=`), or a `snapshot` without a cursor, then the live tail.',
    success: { status: 200, schema: 'sse', description: 'Server-sent events until `shutdown` or the client leaves.' },
    errors: {
      ...SESSION_ERRORS,
      400: '`invalid_cursor`: not an integer, or beyond the last event id.',
      429: '`too_many_streams`: the session has `maxStreamsPerSession` open streams, or the user `maxStreamsPerUser`; `Retry-After`.',
      503: '`shutting_down`.',
    },
  },
  {
    method: 'POST',
    path: '/interrupt/{id}',
    operationId: 'interrupt',
    summary: 'Stops the running turn (and a compaction in progress).',
    success: { status: 200, schema: 'InterruptResult', description: 'Whether anything was running.' },
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'POST',
    path: '/undo/{id}',
    operationId: 'undo',
    summary: 'Removes the last turn (the last user message and everything after it); appends a `snapshot` event.',
    success: { status: 200, schema: 'SessionMessages', description: 'The conversation after the undo.' },
    errors: { ...SESSION_ERRORS, 409: '`turn_running`, or `nothing_to_undo`.' },
  },
  {
    method: 'POST',
    path: '/truncate/{id}',
    operationId: 'truncate',
    summary:
      'Drops user message number `userMessageIndex` (0-based, user messages only) and everything after it; appends a `snapshot` event.',
    body: 'TruncateBody',
    success: { status: 200, schema: 'SessionMessages', description: 'The conversation after the cut.' },
    errors: {
      ...BODY_ERRORS,
      ...SESSION_ERRORS,
      409: '`turn_running`.',
      422: '`invalid_body`, including an index past the last user message.',
    },
  },
  {
    method: 'POST',
    path: '/compact/{id}',
    operationId: 'compact',
    summary:
      'Folds all but the last 2 turns into one summary message; appends `compacted`. Tokens are estimated at about 4 characters each.',
    success: { status: 200, schema: 'CompactResult', description: 'Estimated tokens before and after (equal when nothing was folded).' },
    errors: {
      ...SESSION_ERRORS,
      409: '`turn_running`, or `interrupted` (stopped meanwhile; nothing changed).',
      502: '`summarize_failed`: the agent could not summarise; nothing changed.',
      503: '`shutting_down`.',
    },
  },
  {
    method: 'POST',
    path: '/shutdown/{id}',
    operationId: 'shutdown',
    summary: "Stops the running turn and ends the session's open streams with `shutdown`; the session and its history remain.",
    success: { status: 200, schema: 'ShutdownResult', description: 'Whether a turn was stopped.' },
    errors: { ...SESSION_ERRORS },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document (OpenAPI 3.1).',
    public: true,
    success: { status: 200, schema: 'openapi', description: 'The OpenAPI document.' },
    errors: {},
  },
] as const satisfies readonly ApiOperation[];

/** {@link API_ROUTES}, typed loosely: every operation of the API. */
export const API_OPERATIONS: readonly ApiOperation[] = API_ROUTES;

type Route = (typeof API_ROUTES)[number];
/** A path template of the API below the base path, as in the OpenAPI document: `/session/{id}`. */
export type ApiPath = Route['path'];
/** The methods declared on `P`. */
export type ApiMethod<P extends ApiPath> = Extract<Route, { path: P }>['method'];
/** One handler per declared operation, by path template then method: nothing more, nothing less. */
export type RouteHandlers<H> = { [P in ApiPath]: { [M in ApiMethod<P>]: H } };
