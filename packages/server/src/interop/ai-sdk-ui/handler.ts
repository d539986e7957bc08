import type { ApprovalDecision } from '@agent-chat/core';
import type { UIMessage } from 'ai';
import type { ChatServer, ChatUser } from '../../http/chat-server.js';
import { readJsonBody } from '../../http/read-json-body.js';
import type { Session } from '../../sessions/session.js';
import { sessionStream, type SessionStreamOptions } from '../session-stream.js';
import { errorResponse, threadSessions } from '../thread-sessions.js';
import { AgentChatToUIMessageChunks } from './to-ui-message-chunks.js';

// The types its signature uses, for this entry point (also exported by `@agent-chat/server`).
export type { ChatServer, ChatUser };

/** Options of {@link aiSdkUiHandler}. */
export interface AiSdkUiHandlerOptions {
  /** Who is calling. Default: the chat server's `auth` (without one, the development user `dev`). */
  auth?: (request: Request) => ChatUser | null | Promise<ChatUser | null>;
  /** Largest request body, in bytes. Default 4 MiB (`useChat` sends the whole conversation). */
  maxBodyBytes?: number;
  /** Interval of the SSE `: keepalive` comment in ms; 0 turns it off. Default: the chat server's `keepAliveMs`. */
  keepAliveMs?: number;
}

/** What `DefaultChatTransport` posts, plus our one addition. */
interface ChatRequestBody {
  id?: unknown;
  messages?: unknown;
  trigger?: unknown;
  messageId?: unknown;
  /** Edited tool inputs for approvals, by tool call id (the AI SDK's approval response has no place for them). */
  approvalInputs?: unknown;
}

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  'x-vercel-ai-ui-message-stream': 'v1',
};

/**
 * The endpoint `useChat` with `DefaultChatTransport({ api })` talks to, on a
 * chat server's sessions (`ai` 7's UI message stream protocol):
 *
 * - `POST {api}` `{ id, messages, trigger }`: the chat `id` is our session
 *   (or a new one on first use). The last message, when it is the user's,
 *   starts a turn (`regenerate-message` first cuts the conversation before
 *   that user message); when it is the assistant's with answered approvals
 *   (`addToolApprovalResponse`), they resume the turn. Edited arguments come
 *   in `approvalInputs: { [toolCallId]: input }` in the body (send it with
 *   `sendMessage`'s or the transport's `body`). Answers the turn as a UI
 *   message stream ending in `data: [DONE]`.
 * - `GET {api}/{id}/stream` (`resume: true`): 204 when no turn runs;
 *   otherwise the running turn from its start, once, then its live tail
 *   (`DefaultChatTransport` reads a resumed stream as a replay).
 * - `POST {api}/{id}/stop`: stops the turn (a fetch aborted by `stop()`
 *   stops nothing: turns outlive their connections). `{ interrupted }`.
 *
 * The chat `id` is the session's id: a new chat gets a session created with
 * its id, so the id names it in every process and after a restart (with a
 * durable store); another user's id answers 404 as the API does.
 *
 * Requests go through the chat server's policy, as its own routes do: its
 * `auth`, its `cors` and its refusal of cross-origin requests it does not
 * allow, and its caps on open streams (`maxStreamsPerSession`,
 * `maxStreamsPerUser`, shared with the API's streams).
 */
export function aiSdkUiHandler(chat: ChatServer, options: AiSdkUiHandlerOptions = {}): (request: Request) => Promise<Response> {
  const { sessions, beside } = chat;
  const maxBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const keepAliveMs = options.keepAliveMs ?? beside.keepAliveMs;
  const threads = threadSessions(sessions);
  /** Counts a stream under the caps; refuses it (429) past them, before anything starts. */
  const slot = (session: Session, user: ChatUser) => {
    beside.streams.assertAvailable(session.id, user.id);
    return () => ({ keepAliveMs, onClose: beside.streams.open(session.id, user.id) });
  };

  const post = async (request: Request, user: ChatUser): Promise<Response> => {
    const body = (await readJsonBody(request, { maxBytes })) as ChatRequestBody;
    if (!body || typeof body !== 'object' || typeof body.id !== 'string' || !Array.isArray(body.messages)) {
      return errorResponse(422, 'invalid_body', 'Send { id, messages } as DefaultChatTransport does.');
    }
    const messages = body.messages as UIMessage[];
    const session = await threads.open(user, body.id);
    const open = slot(session, user);
    const last = messages.at(-1);
    let after: number;
    if (last?.role === 'user') {
      const text = (last.parts ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');
      if (body.trigger === 'regenerate-message') {
        // The client sends the conversation up to the user message it answers again: cut ours before that one.
        const index = messages.filter((m) => m.role === 'user').length - 1;
        const ours = session.messages().messages.filter((m) => m.role === 'user').length;
        if (index < ours) await sessions.truncate(session, index);
      }
      after = await sessions.startTurn(session, { text });
    } else if (last?.role === 'assistant') {
      const decisions = approvalDecisions(last, body.approvalInputs);
      if (decisions.length === 0) return errorResponse(422, 'invalid_body', 'The last message is neither the user\'s nor an answered approval.');
      after = await sessions.submitApprovals(session, decisions);
    } else {
      return errorResponse(422, 'invalid_body', 'No message to answer.');
    }
    return stream(session, after, open());
  };

  const resume = async (id: string, user: ChatUser): Promise<Response> => {
    const session = await threads.find(user, id);
    if (!session) return new Response(null, { status: 204 });
    const state = session.messages();
    if (!state.processing || state.pendingApprovals.length > 0) return new Response(null, { status: 204 });
    // The running turn from its start: the last turn-starting event the log keeps.
    const kept = session.log.readAfter(session.log.firstId - 1);
    const start = kept.findLast((e) => e.event.type === 'processing' && e.event.userMessage !== undefined);
    if (!start) return new Response(null, { status: 204 });
    const open = slot(session, user);
    // A turn that stopped for approvals on the way has had a terminal event already: not the end of this stream.
    return stream(session, start.id - 1, open(), session.log.lastId);
  };

  return async (request) => {
    const match = /\/([^/]+)\/(stream|stop)$/.exec(new URL(request.url).pathname);
    const methods = match?.[2] === 'stream' ? ['GET'] : ['POST'];
    return beside.serve(
      request,
      methods,
      async (user) => {
        if (!methods.includes(request.method)) {
          return errorResponse(405, 'method_not_allowed', `Use ${methods[0]} on this path.`, { allow: methods.join(', ') });
        }
        if (!match) return post(request, user);
        const id = safeDecode(match[1]!);
        if (match[2] === 'stream') return resume(id, user);
        const session = await threads.find(user, id);
        return Response.json({ interrupted: session ? await sessions.interrupt(session) : false });
      },
      options.auth,
    );
  };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Our decisions from the approvals the user answered in the assistant message `useChat` sends back. */
function approvalDecisions(message: UIMessage, approvalInputs: unknown): ApprovalDecision[] {
  const inputs = approvalInputs && typeof approvalInputs === 'object' ? (approvalInputs as Record<string, unknown>) : {};
  const decisions: ApprovalDecision[] = [];
  for (const part of message.parts ?? []) {
    if (!('toolCallId' in part) || !('state' in part) || part.state !== 'approval-responded' || !('approval' in part) || !part.approval) continue;
    const { approved, reason } = part.approval as { approved?: boolean; reason?: string };
    decisions.push(
      approved
        ? { toolCallId: part.toolCallId, decision: 'approve', ...(inputs[part.toolCallId] !== undefined ? { input: inputs[part.toolCallId] } : {}) }
        : { toolCallId: part.toolCallId, decision: 'reject', ...(reason !== undefined ? { feedback: reason } : {}) },
    );
  }
  return decisions;
}

/** The session's events after `after` as a UI message stream, until the turn's first terminal event, then `[DONE]`. */
function stream(session: Session, after: number, options: Pick<SessionStreamOptions, 'keepAliveMs' | 'onClose'>, replayedUpTo = after): Response {
  const mapper = new AgentChatToUIMessageChunks();
  const body = sessionStream(session, after, {
    frames: ({ id, event }) => mapper.map(event).map((chunk) => `id: ${id}\ndata: ${JSON.stringify(chunk)}\n\n`),
    end: 'data: [DONE]\n\n',
    replayedUpTo,
    ...options,
  });
  return new Response(body, { status: 200, headers: STREAM_HEADERS });
}
