/** Node and undici codes of a connection that failed or broke. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether `error`, or an error in its `cause` chain, is a transport failure of
 * a model call: no connection (a Node or undici network code), or a response
 * body cut off (`TypeError: terminated`, `fetch failed`). The one test every
 * agent on a model SDK uses to call a failure `network_error` (retryable).
 */
export function isNetworkFailure(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    // undici ends a body whose socket closed early with `TypeError: terminated`.
    if (e.name === 'TypeError' && /^(terminated|fetch failed)$/.test(e.message)) return true;
  }
  return false;
}
