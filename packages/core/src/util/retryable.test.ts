import { describe, expect, it } from 'vitest';
import { isRetryableStatus } from './retryable.js';

describe('isRetryableStatus', () => {
  it('retries no answer, 408, 429 and every 5xx', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504, 529, 599]) expect(isRetryableStatus(status), `${status}`).toBe(true);
  });

  it('does not retry success, redirects or any other 4xx', () => {
    for (const status of [200, 204, 304, 400, 401, 403, 404, 409, 413, 422]) expect(isRetryableStatus(status), `${status}`).toBe(false);
  });
});
