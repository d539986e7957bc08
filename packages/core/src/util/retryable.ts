/**
 * Whether an HTTP status is worth another try of the same request, unchanged:
 * 0 (no answer: the network failed), 408 Request Timeout, 429 Too Many
 * Requests and every 5xx. Any other 4xx says the request itself is wrong.
 *
 * The one rule of the project: `ChatClient` reconnects on these,
 * `toChatError` marks them `retryable`, and the server's model calls retry them.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}
