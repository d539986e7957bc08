import { contentToText, omitOptionalNulls, type RunAgentInput } from '@ag-ui/core';
import { RunAgentInputSchema } from '@ag-ui/core/schemas';
import { sessionStream, type SessionStreamOptions } from '../session-stream.js';
import { errorResponse, threadSessions } from '../thread-sessions.js';
import type { ChatServer, ChatUser } from '../../http/chat-server.js';
import { readJsonBody } from '../../http/read-json-body.js';
import type { Session } from '../../sessions/session.js';
import { approvalsFromResume } from './resume.js';
import { AgentChatToAgUi } from './to-ag-ui.js';

// The types its signature uses, for this entry point (also exported by `@agent-chat/server`).
export type { ChatServer, ChatUser };

/** Options of {@link agUiHandler}. */
export interface AgUiHandlerOptions {
  /** Who is calling. Default: the chat server's `auth` (without one, the development user `dev`). */
  auth?: (request: Request) => ChatUser | null | Promise<ChatUser | null>;
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Interval of the SSE `: keepalive` comment in ms; 0 turns it off. Default: the chat server's `keepAliveMs`. */
  keepAliveMs?: number;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/**
 * An AG-UI 1.0 endpoint on a chat server's sessions: answers `POST` with a
 * `RunAgentInput` (https://docs.ag-ui.com/spec/1.0) by streaming AG-UI events
 * as SSE `data:` frames, each with an `id:` line (the id of our event it comes
 * from). The thread is our session: a `threadId` that is one of the user's
 * sessions is that session; any other gets a new session on first use (this
 * process remembers which). The input's last message, when it is the user's,
 * starts a turn; `resume[]` answers the approvals the last run was interrupted
 * for (see `approvalsFromResume`); an input with neither is answered with the
 * conversation (`MESSAGES_SNAPSHOT` in a run of its own). A turn outlives the
 * request, as every turn does: a client that disconnects stops nothing.
 *
 * The request goes through the chat server's policy, as its own routes do:
 * its `auth`, its `cors` (preflights, headers) and its refusal of cross-origin
 * requests it does not allow, and its caps on open streams
 * (`maxStreamsPerSession`, `maxStreamsPerUser`, shared with the API's streams).
 * Errors before the stream opens are JSON `{ error: { code, message } }` with
 * the chat server's statuses (401, 403, 404, 409 `turn_running`, 422, 429, ...).
 */
export function agUiHandler(chat: ChatServer, options: AgUiHandlerOptions = {}): (request: Request) => Promise<Response> {
  const { sessions, beside } = chat;
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  const keepAliveMs = options.keepAliveMs ?? beside.keepAliveMs;
  const threads = threadSessions(sessions);

  const post = async (request: Request, user: ChatUser): Promise<Response> => {
    // Clients from before 1.0 send null for absent optional fields; 1.0 reads them as absent.
    const parsed = RunAgentInputSchema.safeParse(omitOptionalNulls(await readJsonBody(request, { maxBytes }), 'RunAgentInput'));
    if (!parsed.success) {
      return errorResponse(422, 'invalid_body', `Not a RunAgentInput: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const input = parsed.data as RunAgentInput;
    const session = await threads.open(user, input.threadId);
    // What the client has so far: the rest of an answer continues its layout.
    const mapper = new AgentChatToAgUi({ threadId: input.threadId, runId: input.runId, echoUserMessage: false, messages: session.messages().messages });

    // Before anything starts: a turn must not run for a stream that cannot open.
    beside.streams.assertAvailable(session.id, user.id);
    const open = () => ({ keepAliveMs, onClose: beside.streams.open(session.id, user.id) });
    const cursor = lastEventId(request);
    if (cursor !== undefined) return resumeRun(session, cursor, input, open);

    const last = input.messages.at(-1);
    let after: number;
    if (input.resume && input.resume.length > 0) {
      after = await sessions.submitApprovals(session, approvalsFromResume(input.resume));
    } else if (last?.role === 'user') {
      after = await sessions.startTurn(session, { text: contentToText(last.content) });
    } else {
      // Nothing to run: the conversation, as a run of its own.
      const { event } = session.snapshot();
      return sseResponse(mapper.map(event).map((e) => frame(e, session.log.lastId)));
    }
    return streamRun(session, after, mapper, open());
  };

  return (request) =>
    beside.serve(
      request,
      ['POST'],
      async (user) => (request.method === 'POST' ? post(request, user) : errorResponse(405, 'method_not_allowed', 'POST a RunAgentInput.', { allow: 'POST' })),
      options.auth,
    );
}

/** The `Last-Event-ID` a reconnecting client sends, when it is an event id. */
function lastEventId(request: Request): number | undefined {
  const value = request.headers.get('last-event-id');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/**
 * A reconnect (`Last-Event-ID`) to the run it was reading: starts nothing,
 * sends exactly the events after the cursor. The mapper first goes through
 * the turn's events up to the cursor (their AG-UI events dropped: the client
 * has them), so the rest continues the messages the client has open.
 */
function resumeRun(session: Session, cursor: number, input: RunAgentInput, open: () => StreamOptions): Response {
  if (cursor > session.log.lastId) {
    return errorResponse(400, 'invalid_cursor', `The event cursor must be an integer from 0 to ${session.log.lastId}.`);
  }
  const kept = session.log.readAfter(session.log.firstId - 1).filter((e) => e.id <= cursor);
  const turnStart = kept.findLastIndex((e) => e.event.type === 'processing' && e.event.userMessage !== undefined);
  if (turnStart === -1 && cursor > 0 && cursor >= session.log.firstId) {
    return errorResponse(400, 'invalid_cursor', 'The turn of this cursor is older than the event log keeps; start a new run.');
  }
  // Only the turn's own events name its messages: what came before needs no layout.
  const mapper = new AgentChatToAgUi({ threadId: input.threadId, echoUserMessage: false });
  for (const { event } of kept.slice(Math.max(0, turnStart))) mapper.map(event);
  mapper.continueRun(input.runId);
  return streamRun(session, cursor, mapper, open());
}

/** How a stream keeps alive, and what it releases when it ends (its slot under the stream caps). */
type StreamOptions = Pick<SessionStreamOptions, 'keepAliveMs' | 'onClose'>;

/** The session's events after `after`, mapped, until the first terminal one. */
function streamRun(session: Session, after: number, mapper: AgentChatToAgUi, stream: StreamOptions): Response {
  const body = sessionStream(session, after, {
    frames: ({ id, event }) => mapper.map(event).map((e) => frame(e, id)),
    ...stream,
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}

function frame(event: object, id: number): string {
  return `id: ${id}\ndata: ${JSON.stringify(event)}\n\n`;
}

function sseResponse(frames: string[]): Response {
  return new Response(frames.join(''), { status: 200, headers: SSE_HEADERS });
}
