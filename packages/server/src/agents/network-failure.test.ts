import { describe, expect, it } from 'vitest';
import { isNetworkFailure } from './network-failure.js';

describe('isNetworkFailure', () => {
  it('finds a network code or a cut-off body anywhere in the cause chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(isNetworkFailure(refused)).toBe(true);
    expect(isNetworkFailure(new Error('request failed', { cause: new Error('socket', { cause: refused }) }))).toBe(true);
    expect(isNetworkFailure(new TypeError('terminated'))).toBe(true);
    expect(isNetworkFailure(new Error('wrapped', { cause: new TypeError('fetch failed') }))).toBe(true);
  });

  it('is false for anything else', () => {
    expect(isNetworkFailure(new Error('HTTP 500'))).toBe(false);
    expect(isNetworkFailure(new TypeError('x is not a function'))).toBe(false);
    expect(isNetworkFailure(Object.assign(new Error('denied'), { code: 'EACCES' }))).toBe(false);
    expect(isNetworkFailure({ code: 'ECONNRESET' })).toBe(false);
    expect(isNetworkFailure(undefined)).toBe(false);
  });
});
