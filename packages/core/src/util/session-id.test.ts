import { describe, expect, it } from 'vitest';
import { isSessionId, SESSION_ID_PATTERN } from './session-id.js';

describe('isSessionId', () => {
  it('accepts 1 to 64 letters, digits, _ and -, a UUID among them', () => {
    for (const id of ['a', 'Session_1-2', crypto.randomUUID(), 'x'.repeat(64)]) expect(isSessionId(id), id).toBe(true);
  });

  it('refuses an empty, longer or non-ASCII id, and anything a path could smuggle', () => {
    for (const id of ['', 'x'.repeat(65), 'a b', 'a/b', '../x', 'a.b', 'é', 'a\n', '%2F']) expect(isSessionId(id), id).toBe(false);
  });

  it('is the pattern the OpenAPI document states', () => {
    expect(SESSION_ID_PATTERN.source).toBe('^[A-Za-z0-9_-]{1,64}$');
    expect(SESSION_ID_PATTERN.flags).toBe('');
  });
});
