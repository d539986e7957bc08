import { ChatError } from '../chat-error.js';
import type { ChatUser } from '../http/chat-server.js';
import type { Session } from '../sessions/session.js';
import type { SessionService } from '../sessions/session-service.js';

/**
 * The session a foreign protocol's conversation id (AG-UI `threadId`, AI SDK
 * chat `id`) stands for: the user's session with that id, else the session
 * created for it on first use. This process remembers the second kind, so a
 * client that keeps its own ids gets the same session while this process
 * runs; one that uses our session ids (from `GET {base}/sessions`) gets them
 * anywhere.
 */
export function threadSessions(sessions: SessionService): ThreadSessions {
  const threads = new Map<string, string>();
  const find = async (user: ChatUser, threadId: string): Promise<Session | undefined> => {
    for (const id of [threadId, threads.get(`${user.id}\0${threadId}`)]) {
      if (id === undefined) continue;
      try {
        return await sessions.open(id, user.id);
      } catch (error) {
        if (!(error instanceof ChatError) || error.code !== 'session_not_found') throw error;
      }
    }
    return undefined;
  };
  return {
    find,
    async open(user, threadId) {
      const found = await find(user, threadId);
      if (found) return found;
      const { session } = await sessions.create(user.id);
      threads.set(`${user.id}\0${threadId}`, session.id);
      return session;
    },
  };
}

/** See {@link threadSessions}. */
export interface ThreadSessions {
  /** The thread's session, if it has one. */
  find(user: ChatUser, threadId: string): Promise<Session | undefined>;
  /** The thread's session, created on first use. */
  open(user: ChatUser, threadId: string): Promise<Session>;
}

/** A JSON error response in the chat server's shape. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
