import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat-error.js';
import { ERROR_STATUS, errorHeaders, errorStatus } from './error-status.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiDoc = readFileSync(path.resolve(src, '../../../docs/api.md'), 'utf8');

/** Every source file of the server package (not tests, not fixtures), relative to src/. */
function sources(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path.relative(src, full)] : [];
  });
}

describe('the error code -> HTTP status table', () => {
  it('gives every code in docs/api.md\'s error table the status documented there, and documents every code', () => {
    const documented = new Map<string, number>();
    for (const match of apiDoc.matchAll(/^\| (\d{3}) \| `([a-z_]+)` \|/gm)) documented.set(match[2]!, Number(match[1]));
    expect(documented.size).toBeGreaterThan(20);
    for (const [code, status] of documented) expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], code).toBe(status);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      // Codes outside the table are named in the text with their status, as "422 `invalid_query`".
      if (!documented.has(code)) expect(apiDoc, code).toMatch(new RegExp(`${status}\\W+\`${code}\``));
    }
  });

  it('answers 500 for a code it does not know, and Retry-After for a refusal worth retrying', () => {
    expect(errorStatus('no_such_code')).toBe(500);
    expect(errorStatus('turn_running')).toBe(409);
    expect(errorHeaders(new ChatError('session_limit', 'full', { retryAfterSeconds: 7 }))).toEqual({ 'retry-after': '7' });
    expect(errorHeaders(new ChatError('turn_running', 'busy'))).toEqual({});
  });

  it('agrees with every status the HTTP layer still writes beside a code (new ApiError(status, code))', () => {
    for (const file of sources()) {
      for (const match of readFileSync(path.join(src, file), 'utf8').matchAll(/new ApiError\(\s*(\d{3}),\s*'([a-z_]+)'/g)) {
        expect(ERROR_STATUS[match[2] as keyof typeof ERROR_STATUS], `${file}: ${match[2]}`).toBe(Number(match[1]));
      }
    }
  });

  it('is the only place statuses come from: nothing below the HTTP layer imports it or ApiError', () => {
    // The HTTP layer: http/, the adapters, the server that assembles them, and interop endpoints (an HTTP handler each).
    const edge = /^(http|adapters)\/|^interop\/[^/]+\/handler\.ts$|^(chat-server|api-error)\.ts$/;
    const offenders = sources()
      .filter((file) => !edge.test(file))
      .filter((file) => /from '[./]*(http\/)?(error-status|api-error)\.js'/.test(readFileSync(path.join(src, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
