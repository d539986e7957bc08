// The one declaration of the HTTP API: the router and the OpenAPI document are both built from it.
import {
  agentEventSchema,
  attachmentSchema,
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
  | 'Attachment'
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
  Attachment: attachmentSchema,
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
  /** The body's schema (JSON), or `multipart`: one file in the form field `file`. */
  body?: SchemaName | 'multipart';
  /** Whether the body may be left out. */
  bodyOptional?: boolean;
  /** Status and schema of the success answer; `'sse'` for an event stream, `'file'` for an attachment's bytes, `null` for no body. */
  success: { status: number; schema: SchemaName | 'sse' | 'openapi' | 'file' | null; description: string };
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
const SHUTTING_DOWN = { 503: '`shutting_down`.' };
const TOO_MANY_STREAMS = '`too_many_streams`: the session has `maxStreamsPerSession` open streams, or the user `maxStreamsPerUser`';

/** The error answers of the operations that document more than the common sets, by operation id. */
const ERRORS = {
  setDefaultModel: {
    ...BODY_ERRORS,
    403: '`forbidden`: `canSetDefaultModel` refused this user.',
    422: '`invalid_body`, or `unknown_model`: the agent does not offer this model.',
  },
  createSession: {
    ...BODY_ERRORS,
    422: '`invalid_body`, `unknown_model`, or `invalid_query` (`reuse` is not `empty`).',
    429: '`session_limit`: the user has `maxSessionsPerUser` sessions; `Retry-After` says when one expires.',
    503: '`too_many_sessions` (server full; `Retry-After`) or `shutting_down`.',
  },
  setSessionModel: { ...BODY_ERRORS, ...SESSION_ERRORS, 422: '`invalid_body`, or `unknown_model`.' },
  chat: {
    ...BODY_ERRORS,
    ...SESSION_ERRORS,
    409: '`turn_running` (a turn or a compaction runs) or `no_pending_approval`.',
    422:
      '`invalid_body` (including text longer than `maxMessageLength`), `invalid_approvals`, `invalid_attachments` (an id not uploaded to this session, or sent already), `too_many_attachments` (over `maxFilesPerMessage`) or `unsupported_attachment` (the agent or model cannot read a file\'s type; nothing started).',
    429: `${TOO_MANY_STREAMS}; nothing was started; \`Retry-After\`.`,
    ...SHUTTING_DOWN,
  },
  subscribe: {
    ...SESSION_ERRORS,
    400: '`invalid_cursor`: not an integer, or beyond the last event id.',
    429: `${TOO_MANY_STREAMS}; \`Retry-After\`.`,
    ...SHUTTING_DOWN,
  },
  undo: { ...SESSION_ERRORS, 409: '`turn_running`, or `nothing_to_undo`.' },
  truncate: { ...BODY_ERRORS, ...SESSION_ERRORS, 409: '`turn_running`.', 422: '`invalid_body`, including an index past the last user message.' },
  uploadAttachment: {
    ...SESSION_ERRORS,
    400: '`bad_request`: no `file` part, or a body that broke off (nothing is stored).',
    404: '`session_not_found`, or `attachments_disabled` (the server or its agent takes no files).',
    413: '`attachment_too_large`: the file is over `maxFileBytes` (nothing is stored).',
    415: '`unsupported_media_type`: not `multipart/form-data`, or the type detected from the bytes is not accepted.',
    429: '`attachment_quota_exceeded`: the user stores `maxBytesPerUser` already; `Retry-After`.',
  },
  getAttachment: { 404: '`session_not_found` or `attachment_not_found` (also for another user\'s file: never said which).' },
  deleteAttachment: {
    404: '`session_not_found` or `attachment_not_found`.',
    409: '`attachment_in_use`: a sent message carries it.',
  },
  compact: {
    ...SESSION_ERRORS,
    409: '`turn_running`, or `interrupted` (stopped meanwhile; nothing changed).',
    502: '`summarize_failed`: the agent could not summarise; nothing changed.',
    ...SHUTTING_DOWN,
  },
} satisfies Record<string, ApiOperation['errors']>;

type Answer = ApiOperation['success'];
/** An answer with `status` and a body of `schema`. */
const answer = (status: number, schema: Answer['schema'], description: string): Answer => ({ status, schema, description });
/** A 200 answer with a body of `schema`. */
const ok = (schema: Answer['schema'], description: string): Answer => answer(200, schema, description);

/** What a row declares besides its method, path, operation id and summary; `errors` defaults to none. */
type Declared = Omit<ApiOperation, 'method' | 'path' | 'operationId' | 'summary' | 'errors'> & Partial<Pick<ApiOperation, 'errors'>>;

/** One row of {@link API_ROUTES}; keeps the method and path literal, for {@link RouteHandlers}. */
function operation<const M extends ApiOperation['method'], const P extends string>(
  method: M,
  path: P,
  operationId: string,
  { errors = {}, ...declared }: Declared,
  summary: string,
): ApiOperation & { method: M; path: P } {
  return { method, path, operationId, summary, ...declared, errors };
}

/**
 * Every route of the API, declared once: the router of `createChatServer` is
 * built from it (paths, methods, which need no `auth`) and so is the OpenAPI
 * document (`buildOpenApiDocument`). docs/api.md describes the same, with examples.
 * A row: method, path, operation id, answers (and `public`, `body`), summary.
 */
export const API_ROUTES = [
  operation('GET', '/health', 'health', { public: true, success: ok('Health', 'The server is up.') }, 'Server status: protocol version, active and maximum sessions, supported features.'),
  operation('GET', '/health/llm', 'llmHealth', {
    public: true,
    success: ok('LlmHealth', 'The provider answered.'),
    alsoAnswers: { status: 503, schema: 'LlmHealth', description: 'The provider did not answer; `error` says why.' },
  }, 'Whether the model provider answers a 1-token probe (cached for a few seconds).'),
  operation('GET', '/config/model', 'getModelConfig', { public: true, success: ok('ModelConfig', 'The model configuration.') }, 'The global default model and the models the agent offers.'),
  operation('POST', '/config/model', 'setDefaultModel', { body: 'SetModelBody', success: ok('ModelConfig', 'The new model configuration.'), errors: ERRORS.setDefaultModel }, 'Sets the global default model of sessions that did not choose one.'),
  operation('POST', '/title', 'generateTitle', { body: 'TitleBody', success: ok('TitleResult', 'The title.'), errors: { ...BODY_ERRORS, ...SESSION_ERRORS } }, 'A short title (about six words) for a conversation starting with `text`; with `sessionId` the session takes it and emits a `title` event.'),
  operation('POST', '/session', 'createSession', {
    body: 'CreateSessionBody',
    bodyOptional: true,
    success: answer(201, 'SessionInfo', 'The new session.'),
    alsoAnswers: { status: 200, schema: 'SessionInfo', description: 'With `?reuse=empty`: the user\'s newest empty session (no message, no title, nothing running), reused.' },
    errors: ERRORS.createSession,
  }, 'Creates a session of the current user; with `?reuse=empty`, answers their newest empty session instead when they have one.'),
  operation('GET', '/sessions', 'listSessions', { success: ok('SessionList', 'The sessions.') }, "The current user's sessions, newest first."),
  operation('GET', '/session/{id}', 'getSession', { success: ok('SessionInfo', 'The session.'), errors: SESSION_ERRORS }, 'One session: title, model, whether a turn runs, message count, last event id.'),
  operation('DELETE', '/session/{id}', 'deleteSession', { success: answer(204, null, 'Deleted.'), errors: SESSION_ERRORS }, 'Interrupts a running turn, ends open streams with `shutdown` and deletes the session.'),
  operation('POST', '/session/{id}/model', 'setSessionModel', { body: 'SetModelBody', success: ok('SessionInfo', 'The session with its model.'), errors: ERRORS.setSessionModel }, "Sets the model of this session's next turns."),
  operation('POST', '/session/{id}/attachments', 'uploadAttachment', { body: 'multipart', success: answer(201, 'Attachment', 'The stored file: its id, name, detected type, size and image dimensions.'), errors: ERRORS.uploadAttachment }, 'Uploads one file (`multipart/form-data`, field `file`), streamed; its type is detected from the bytes. Send its id in `POST /chat/:id` `{attachments}`.'),
  operation('GET', '/session/{id}/attachments/{aid}', 'getAttachment', { success: ok('file', 'The bytes, with `content-type` (detected), `content-disposition`, `x-content-type-options: nosniff` and a sandboxing CSP.'), errors: ERRORS.getAttachment }, "A file of the caller's session."),
  operation('DELETE', '/session/{id}/attachments/{aid}', 'deleteAttachment', { success: answer(204, null, 'Deleted.'), errors: ERRORS.deleteAttachment }, 'Deletes a file not sent yet.'),
  operation('GET', '/session/{id}/messages', 'getMessages', { success: ok('SessionMessages', 'The conversation.'), errors: SESSION_ERRORS }, 'The conversation (the reducer view model) and the event id it is current at.'),
  operation('POST', '/chat/{id}', 'chat', { body: 'ChatBody', success: ok('sse', 'Server-sent events (WHATWG HTML); `id:` is the event sequence number.'), errors: ERRORS.chat }, 'Starts a turn (`{text}`) or answers pending approvals (`{approvals}`); streams `ready` and the events until `turn_complete`, `approval_required`, `error`, `interrupted` or `shutdown`.'),
  operation('GET', '/events/{id}', 'subscribe', { success: ok('sse', 'Server-sent events until `shutdown` or the client leaves.'), errors: ERRORS.subscribe }, 'Follows the session: `ready`, then the events after `Last-Event-ID` (or `?after=`), or a `snapshot` without a cursor, then the live tail.'),
  operation('POST', '/interrupt/{id}', 'interrupt', { success: ok('InterruptResult', 'Whether anything was running.'), errors: SESSION_ERRORS }, 'Stops the running turn (and a compaction in progress).'),
  operation('POST', '/undo/{id}', 'undo', { success: ok('SessionMessages', 'The conversation after the undo.'), errors: ERRORS.undo }, 'Removes the last turn (the last user message and everything after it); appends a `snapshot` event.'),
  operation('POST', '/truncate/{id}', 'truncate', { body: 'TruncateBody', success: ok('SessionMessages', 'The conversation after the cut.'), errors: ERRORS.truncate }, 'Drops user message number `userMessageIndex` (0-based, user messages only) and everything after it; appends a `snapshot` event.'),
  operation('POST', '/compact/{id}', 'compact', { success: ok('CompactResult', 'Estimated tokens before and after (equal when nothing was folded).'), errors: ERRORS.compact }, 'Folds all but the last 2 turns into one summary message; appends `compacted`. Tokens are estimated at about 4 characters each.'),
  operation('POST', '/shutdown/{id}', 'shutdown', { success: ok('ShutdownResult', 'Whether a turn was stopped.'), errors: SESSION_ERRORS }, "Stops the running turn and ends the session's open streams with `shutdown`; the session and its history remain."),
  operation('GET', '/openapi.json', 'openapi', { public: true, success: ok('openapi', 'The OpenAPI document.') }, 'This document (OpenAPI 3.1).'),
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
