import { ChatError } from '../chat-error.js';

/** Default of `maxStreamsPerSession`: more tabs on one conversation than anyone keeps open. */
export const DEFAULT_MAX_STREAMS_PER_SESSION = 16;
/** Default of `maxStreamsPerUser`: a few tabs on each of a user's sessions (10 by default). */
export const DEFAULT_MAX_STREAMS_PER_USER = 64;
/** `Retry-After` of a refused stream, in seconds: slots free as other streams end. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Counts the open SSE streams (`GET /events/:id` and chat POSTs) of each
 * session and each user in this process, and refuses a new one past a cap:
 * the newest is refused, the streams already open are never closed for it.
 */
export class StreamLimiter {
  readonly perSession: number;
  readonly perUser: number;
  readonly #bySession = new Map<string, number>();
  readonly #byUser = new Map<string, number>();

  /** Caps of at least 1 stream (a fraction is rounded down, `NaN` is the default); `Infinity` turns a cap off. */
  constructor(perSession = DEFAULT_MAX_STREAMS_PER_SESSION, perUser = DEFAULT_MAX_STREAMS_PER_USER) {
    this.perSession = cap(perSession, DEFAULT_MAX_STREAMS_PER_SESSION);
    this.perUser = cap(perUser, DEFAULT_MAX_STREAMS_PER_USER);
  }

  /**
   * Checks that one more stream of this session and user is allowed.
   * @throws {ChatError} `too_many_streams` with `Retry-After`.
   */
  assertAvailable(sessionId: string, userId: string): void {
    if ((this.#bySession.get(sessionId) ?? 0) >= this.perSession) {
      throw tooManyStreams(`This session already has ${this.perSession} open event streams; close one (another tab?) and retry.`);
    }
    if ((this.#byUser.get(userId) ?? 0) >= this.perUser) {
      throw tooManyStreams(`You already have ${this.perUser} open event streams; close some and retry.`);
    }
  }

  /** Counts a stream that opens now. @returns Its release, for when it ends; safe to call more than once. */
  open(sessionId: string, userId: string): () => void {
    add(this.#bySession, sessionId, 1);
    add(this.#byUser, userId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      add(this.#bySession, sessionId, -1);
      add(this.#byUser, userId, -1);
    };
  }
}

function cap(value: number, fallback: number): number {
  return Number.isNaN(value) ? fallback : Math.max(1, Math.floor(value));
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

function tooManyStreams(message: string): ChatError {
  return new ChatError('too_many_streams', message, { retryAfterSeconds: RETRY_AFTER_SECONDS });
}
