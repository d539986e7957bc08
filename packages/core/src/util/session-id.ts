/**
 * What a session id looks like: 1 to 64 ASCII letters, digits, `_` or `-`
 * (a UUID fits). The server answers 404 `session_not_found` for an id in a
 * path that does not match, and its OpenAPI document states the pattern.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `id` has the form of a session id ({@link SESSION_ID_PATTERN}); says nothing of whether the session exists. */
export function isSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id);
}
