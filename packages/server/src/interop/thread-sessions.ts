import { ChatError } from '../chat-error.js';
import type { ChatUser } from '../http/chat-server.js';
import type { Session } from '../sessions/session.js';
import type { SessionService } from '../sessions/session-service.js';

/**
 * The session a foreign protocol's conversation id (AG-UI `threadId`, AI SDK
 * chat `id`) stands for: the session with that very id. A client that keeps
 * its own ids gets, on first use, a session created with the id it chose, so
 * the id names the same session in every process and after a restart (with a
 * durable store). An id that is another user's answers as the API does for
 * any session of another user: 404 `session_not_found`.
 */
export function threadSessions(sessions: SessionService): ThreadSessions {
  const find = async (user: ChatUser, threadId: string): Promise<Session | undefined> => {
    try {
      return await sessions.open(threadId, user.id);
    } catch (error) {
      if (error instanceof ChatError && error.code === 'session_not_found') return undefined;
      throw error;
    }
  };
  return {
    find,
    async open(user, threadId) {
      const found = await find(user, threadId);
      if (found) return found;
      try {
        return (await sessions.create(user.id, {}, { id: threadId })).session;
      } catch (error) {
        // Taken meanwhile: by this user's other request (open it), or by another user's (404, as `open` says).
        if (error instanceof ChatError && error.code === 'session_not_found') return sessions.open(threadId, user.id);
        throw error;
      }
    },
  };
}

/** See {@link threadSessions}. */
export interface ThreadSessions {
  /** The thread's session, if it has one. */
  find(user: ChatUser, threadId: string): Promise<Session | undefined>;
  /**
   * The thread's session, created with the thread's id on first use.
   * @throws {ChatError} `invalid_body` for an id that cannot be a session id;
   *   `session_not_found` for another user's; what creating a session throws.
   */
  open(user: ChatUser, threadId: string): Promise<Session>;
}

/** A JSON error response in the chat server's shape. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
