import { ChatClient } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { useServers } from '../__fixtures__/conformance-suite.js';
import { readEvents } from '../__fixtures__/harness.js';
import { CorsConfigError, CorsPolicy } from './cors.js';

const start = useServers(nodeFactory);
const APP = 'https://app.example.com';

describe('CORS', () => {
  it('answers a preflight from an allowed origin with methods, headers (Last-Event-ID included) and max age', async () => {
    const s = await start({ cors: { origins: [APP], credentials: true } });
    const id = await s.createSession();
    const preflight = await s.call(`/events/${id}`, {
      method: 'OPTIONS',
      user: null,
      headers: { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'last-event-id, x-user' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization, last-event-id');
    expect(preflight.headers.get('access-control-max-age')).toBe('600');
    expect(preflight.headers.get('vary')).toContain('Origin');
  });

  it('decorates actual answers (SSE and errors included) for allowed origins only, always with Vary: Origin', async () => {
    const s = await start({ cors: { origins: [APP], allowHeaders: ['X-User'] } });
    const id = await s.createSession();
    const allowed = await s.post(`/chat/${id}`, { text: 'hi' }, { headers: { origin: APP } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(allowed.headers.get('vary')).toBe('Origin');
    expect((await readEvents(allowed)).at(-1)!.event.type).toBe('turn_complete');

    const error = await s.call('/session/missing', { headers: { origin: APP } });
    expect(error.status).toBe(404);
    expect(error.headers.get('access-control-allow-origin')).toBe(APP);

    const other = await s.call('/sessions', { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toBe('Origin');

    const otherPreflight = await s.call('/sessions', {
      method: 'OPTIONS',
      user: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(otherPreflight.status).toBe(204);
    expect([...otherPreflight.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);

    const extra = await s.call('/sessions', { method: 'OPTIONS', user: null, headers: { origin: APP, 'access-control-request-method': 'GET' } });
    expect(extra.headers.get('access-control-allow-headers')).toBe('content-type, authorization, last-event-id, x-user');
  });

  it("'*' allows any origin without credentials; OPTIONS without CORS is a 405", async () => {
    const any = await start({ cors: { origins: '*' } });
    const response = await any.call('/health', { headers: { origin: 'https://x.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const none = await start();
    const options = await none.call('/health', { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET' } });
    expect(options.status).toBe(405);
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a ChatClient on an allowed origin passes the cross-origin checks on every route: its POSTs always say JSON, so browsers preflight them', async () => {
    const s = await start({ cors: { origins: [APP], credentials: true } });
    const seen: string[] = [];
    const client = new ChatClient({
      endpoint: s.base,
      headers: { origin: APP, 'sec-fetch-site': 'cross-site', 'x-user': 'ann' },
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        if (init?.method === 'POST') seen.push(`${String(input).slice(s.base.length)} ${headers.get('content-type')}`);
        return fetch(input, init);
      },
    });
    const { id } = await client.createSession();
    for await (const _ of client.send(id, 'hi')) void _;
    await client.setSessionModel(id, 'large');
    await client.generateTitle('hi', id);
    await client.compact(id);
    await client.undo(id);
    expect(await client.interrupt(id)).toEqual({ interrupted: false });
    await client.shutdown(id);
    await client.deleteSession(id);
    expect(seen.length).toBeGreaterThanOrEqual(7);
    for (const line of seen) expect(line).toMatch(/ application\/json$/);
  });

  it('refuses options that cannot work', () => {
    expect(() => new CorsPolicy({ origins: '*', credentials: true })).toThrow(CorsConfigError);
    expect(() => new CorsPolicy({ origins: ['https://app.example.com/'] })).toThrow(/trailing slash/);
    expect(() => new CorsPolicy({ origins: ['app.example.com'] })).toThrow(CorsConfigError);
  });
});
