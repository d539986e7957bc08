import { sessionInfoSchema, sessionMessagesSchema } from '@agent-chat/core/schemas';
import { describe, expect, it } from 'vitest';
import { API_OPERATIONS } from '../http/openapi.js';
import { expectError, useServers, type AdapterFactory, type SuiteServer } from './conformance-suite.js';
import { readEvents } from './harness.js';

/** A host's `auth(request)` that reads a session cookie, the set-up cross-site request forgery targets. */
function cookieAuth(request: Request) {
  const match = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '');
  return match ? { id: match[1]! } : null;
}

/** A valid JSON body for each state-changing operation (those that take one). */
const VALID_BODIES: Record<string, unknown> = {
  setDefaultModel: { model: 'large' },
  generateTitle: { text: 'a title' },
  setSessionModel: { model: 'large' },
  chat: { text: 'hi' },
  truncate: { userMessageIndex: 0 },
};

/** Every answer the API documents; anything else (a 500 above all) fails the suite. */
const DOCUMENTED = new Set([200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 503]);

async function expectDocumented(response: Response): Promise<void> {
  expect(DOCUMENTED.has(response.status), `${response.url}: undocumented status ${response.status}`).toBe(true);
  const body = await response.text();
  expect(body).not.toMatch(/\bat .+:\d+:\d+|node:internal|Error:/);
}

/** What the victim's session looks like from the inside: nothing may change it. */
function fingerprint(s: SuiteServer, id: string, user: string) {
  const session = s.chat.sessions.get(id, user);
  if (!session) return undefined;
  return JSON.stringify({ messages: session.messages(), lastEventId: session.log.lastId, model: session.model });
}

/**
 * The hostile-input suite: malformed JSON, wrong types, huge bodies, path
 * traversal in ids, another user's session id, a flood of session creations.
 * Each gets only documented answers; the server stays up; no session data is
 * lost or leaked.
 */
export function describeHostileInput(name: string, factory: AdapterFactory): void {
  describe(`hostile input: ${name}`, () => {
    const start = useServers(factory);

    it('malformed JSON and wrong types: 400 or 422, nothing appended', async () => {
      const s = await start();
      const id = await s.createSession();
      const before = fingerprint(s, id, 'ann');
      const raw = (path: string, body: string) =>
        s.call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      for (const body of ['{', '{"text": "a"', 'nul', "{'text': 'a'}", '\u0000', '{"text": "\ud800"}x']) {
        await expectError(await raw(`/chat/${id}`, body), 400, 'invalid_json');
      }
      // Deep nesting must not overflow the stack of the parser or validator.
      await expectDocumented(await raw(`/chat/${id}`, `${'['.repeat(50_000)}${']'.repeat(50_000)}`));
      await expectError(await raw(`/chat/${id}`, `{"text":${'['.repeat(5_000)}${']'.repeat(5_000)}}`), 422, 'invalid_body');
      for (const body of ['null', '[]', '"text"', '42', 'true', '{}']) {
        await expectError(await raw(`/chat/${id}`, body), 422, 'invalid_body');
      }
      const wrongTypes: [string, unknown][] = [
        [`/chat/${id}`, { text: 5 }],
        [`/chat/${id}`, { text: ['a'] }],
        [`/chat/${id}`, { text: { toString: 'x' } }],
        [`/chat/${id}`, { approvals: 'all' }],
        [`/chat/${id}`, { approvals: [{ toolCallId: 1, decision: 'approve' }] }],
        [`/chat/${id}`, { text: 'a', approvals: [] }],
        [`/truncate/${id}`, { userMessageIndex: -1 }],
        [`/truncate/${id}`, { userMessageIndex: 1.5 }],
        [`/truncate/${id}`, { userMessageIndex: '0' }],
        [`/truncate/${id}`, { userMessageIndex: 1e309 }],
        [`/session/${id}/model`, { model: 7 }],
        [`/session/${id}/model`, { model: '' }],
        ['/config/model', { model: null }],
        ['/title', { text: '' }],
        ['/title', { text: 'x', sessionId: 5 }],
        ['/session', { title: 'x'.repeat(1000) }],
      ];
      for (const [path, body] of wrongTypes) {
        await expectError(await s.post(path, body), 422, 'invalid_body');
      }
      // A __proto__ key is an unknown field, and pollutes nothing.
      await expectError(await raw(`/chat/${id}`, '{"text":"hi","__proto__":{"polluted":true}}'), 422, 'invalid_body');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(fingerprint(s, id, 'ann')).toBe(before);
      expect((await s.call('/health')).status).toBe(200);
    });

    it('huge bodies: 413 with and without Content-Length, huge messages 422; the server stays up', async () => {
      const s = await start({ maxBodyBytes: 64 * 1024, maxMessageLength: 1000 });
      const id = await s.createSession();
      const before = fingerprint(s, id, 'ann');
      await expectError(await s.post(`/chat/${id}`, { text: 'x'.repeat(5 * 1024 * 1024) }), 413, 'payload_too_large');
      const chunk = new TextEncoder().encode('y'.repeat(16 * 1024));
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('{"text":"'));
          if (sent > 2 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const streamed = await s
        .call(`/chat/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: endless,
          duplex: 'half',
        } as RequestInit)
        .catch((error: unknown) => error);
      // The server may answer 413 and close before the client is done sending: either way it never reads it all.
      if (streamed instanceof Response) await expectError(streamed, 413, 'payload_too_large');
      const long = await expectError(await s.post(`/chat/${id}`, { text: 'z'.repeat(1001) }), 422, 'invalid_body');
      expect(long.error.issues?.[0]?.path).toEqual(['text']);
      await expectError(await s.post('/title', { text: 'x'.repeat(200_000) }), 413, 'payload_too_large');
      expect(fingerprint(s, id, 'ann')).toBe(before);
      expect((await s.call('/health')).status).toBe(200);
      expect(text(await readEvents(await s.post(`/chat/${id}`, { text: 'still here' })))).toBe('echo: still here');
    });

    it('path traversal and odd ids: only 404s (or 405), never a file, another session or a 500', async () => {
      const s = await start();
      const id = await s.createSession();
      const before = fingerprint(s, id, 'ann');
      const odd = [
        '..%2F..%2Fetc%2Fpasswd',
        '..%2f',
        '%2e%2e%2fsessions',
        `${id}%2F..`,
        `${id}%2Fmessages`,
        `..%5C..%5Cwindows`,
        '%00',
        '%',
        '%E0%A4%A',
        'a'.repeat(10_000),
        `${id}%00`,
        `${id.toUpperCase()}`,
        ' ',
        '*',
      ];
      for (const bad of odd) {
        for (const [method, path] of [
          ['GET', `/session/${bad}`],
          ['GET', `/session/${bad}/messages`],
          ['POST', `/chat/${bad}`],
          ['GET', `/events/${bad}`],
          ['POST', `/undo/${bad}`],
          ['DELETE', `/session/${bad}`],
        ] as const) {
          const response = await s.call(path, {
            method,
            ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' } : {}),
          });
          await expectDocumented(response);
          // Broken percent-encoding is a malformed URL: some frameworks (Fastify) refuse it with 400 before routing.
          const allowed = /%(?![0-9A-F]{2})/i.test(bad) ? [400, 404, 405] : [404, 405];
          expect(allowed, `${method} ${path} -> ${response.status}`).toContain(response.status);
        }
      }
      await expectDocumented(await s.call('/../../../etc/passwd'));
      await expectDocumented(await s.call('/session/../sessions'));
      expect(fingerprint(s, id, 'ann')).toBe(before);
      expect(s.chat.sessions.size).toBe(1);
    });

    it("another user's session id is 404 on every route, like a missing one, and stays untouched", async () => {
      const s = await start();
      const victim = await s.createSession('victim');
      await readEvents(await s.post(`/chat/${victim}`, { text: 'my secret plan' }, { user: 'victim' }));
      const before = fingerprint(s, victim, 'victim');
      const missing = '00000000-0000-4000-8000-000000000000';
      const attempts = (id: string): [string, string, unknown?][] => [
        ['GET', `/session/${id}`],
        ['GET', `/session/${id}/messages`],
        ['POST', `/session/${id}/model`, { model: 'large' }],
        ['POST', `/chat/${id}`, { text: 'hi' }],
        ['POST', `/chat/${id}`, { approvals: [{ toolCallId: 'x', decision: 'approve' }] }],
        ['GET', `/events/${id}`],
        ['POST', `/interrupt/${id}`],
        ['POST', `/undo/${id}`],
        ['POST', `/truncate/${id}`, { userMessageIndex: 0 }],
        ['POST', `/compact/${id}`],
        ['POST', `/shutdown/${id}`],
        ['POST', '/title', { text: 'x', sessionId: id }],
        ['DELETE', `/session/${id}`],
      ];
      const theirs = attempts(victim);
      const none = attempts(missing);
      for (let i = 0; i < theirs.length; i++) {
        const [method, path, body] = theirs[i]!;
        const init = {
          method,
          user: 'mallory',
          ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        };
        const a = await s.call(path, init);
        const b = await s.call(none[i]![1], init);
        expect(a.status, `${method} ${path}`).toBe(404);
        expect(await a.text()).toBe(await b.text());
      }
      const list = await s.call('/sessions', { user: 'mallory' });
      expect(((await list.json()) as { sessions: unknown[] }).sessions).toEqual([]);
      expect(fingerprint(s, victim, 'victim')).toBe(before);
      const own = sessionMessagesSchema.parse(await (await s.call(`/session/${victim}/messages`, { user: 'victim' })).json());
      expect(JSON.stringify(own)).toContain('my secret plan');
      await expectError(await s.call(`/session/${victim}`, { user: null }), 401, 'unauthorized');
    });

    it('a flood of session creations: 429 per user and 503 for the server, with Retry-After; nothing lost', async () => {
      const s = await start({ maxSessions: 25, maxSessionsPerUser: 10 });
      const create = (user: string) => s.post('/session', undefined, { user });
      const answers = await Promise.all(Array.from({ length: 30 }, () => create('flood')));
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((x) => x === 201)).toHaveLength(10);
      expect(statuses.filter((x) => x === 429)).toHaveLength(20);
      const limited = answers.find((r) => r.status === 429)!;
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectError(limited, 429, 'session_limit');
      for (const r of answers) if (!r.bodyUsed) await r.body?.cancel();

      const others = await Promise.all(Array.from({ length: 20 }, (_, i) => create(`user-${i}`)));
      expect(others.filter((r) => r.status === 201)).toHaveLength(15);
      const full = others.find((r) => r.status === 503)!;
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectError(full, 503, 'too_many_sessions');
      for (const r of others) if (!r.bodyUsed) await r.body?.cancel();

      expect(s.chat.sessions.size).toBe(25);
      const mine = await s.call('/sessions', { user: 'flood' });
      const list = (await mine.json()) as { sessions: unknown[] };
      expect(list.sessions.map((x) => sessionInfoSchema.parse(x))).toHaveLength(10);
      // Deleting one frees a place.
      const first = sessionInfoSchema.parse(list.sessions[0]);
      expect((await s.call(`/session/${first.id}`, { method: 'DELETE', user: 'flood' })).status).toBe(204);
      expect((await create('flood')).status).toBe(201);
      expect((await s.call('/health')).status).toBe(200);
    });

    it('cross-origin requests with cookie auth: 403 on every state-changing route, whatever the body; allowed origins, same-origin pages, curl and GETs unaffected', async () => {
      const ALLOWED = 'https://app.example.com';
      const s = await start({ auth: cookieAuth, cors: { origins: [ALLOWED], credentials: true } });
      const port = Number(new URL(s.origin).port);
      const as = (init: RequestInit = {}) => ({ ...init, user: null, headers: { cookie: 'sid=ann', ...(init.headers as Record<string, string>) } });
      const created = await s.call('/session', as({ method: 'POST' }));
      expect(created.status).toBe(201);
      const id = sessionInfoSchema.parse(await created.json()).id;
      await readEvents(await s.call(`/chat/${id}`, as({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"keep me"}' })));
      const before = fingerprint(s, id, 'ann');
      const modelBefore = await (await s.call('/config/model', { user: null })).text();

      const changing = API_OPERATIONS.filter((op) => op.method !== 'GET');
      expect(changing.map((op) => op.operationId)).toEqual(expect.arrayContaining(['createSession', 'undo', 'compact', 'interrupt', 'shutdown', 'deleteSession']));
      const json = (op: (typeof changing)[number]) => JSON.stringify(VALID_BODIES[op.operationId] ?? {});
      const hostile: [string, (op: (typeof changing)[number]) => RequestInit][] = [
        ['evil origin, JSON', (op) => ({ headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: json(op) })],
        ['evil origin, text/plain', (op) => ({ headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: json(op) })],
        ['evil origin, form', () => ({ headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=hi&model=large' })],
        ['evil origin, multipart', () => ({ headers: { origin: 'https://evil.example', 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' })],
        ['evil origin, no body', () => ({ headers: { origin: 'https://evil.example' } })],
        ['same-site sibling port', () => ({ headers: { origin: `http://127.0.0.1:${port + 1}`, 'sec-fetch-site': 'same-site' } })],
        ['same-site sibling host', (op) => ({ headers: { origin: 'https://blog.example.com', 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }, body: json(op) })],
        ['allowed host on another scheme', () => ({ headers: { origin: 'http://app.example.com' } })],
        ['opaque origin', (op) => ({ headers: { origin: 'null', 'content-type': 'text/plain' }, body: json(op) })],
        ['no Origin, cross-site fetch metadata', () => ({ headers: { 'sec-fetch-site': 'cross-site' } })],
        ['no Origin, same-site fetch metadata', (op) => ({ headers: { 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }, body: json(op) })],
      ];
      for (const op of changing) {
        for (const [label, init] of hostile) {
          const request = init(op);
          const response = await s.call(op.path.replace('{id}', id), as({ method: op.method, ...request }));
          expect(response.status, `${label}: ${op.method} ${op.path}`).toBe(403);
          await expectError(response, 403, 'cross_origin_forbidden');
        }
      }
      expect(fingerprint(s, id, 'ann')).toBe(before);
      expect(s.chat.sessions.size).toBe(1);
      expect(await (await s.call('/config/model', { user: null })).text()).toBe(modelBefore);

      // A simple (unpreflighted) request from an allowed origin still needs JSON, so a form or a bare POST cannot pass for it.
      await expectError(await s.call(`/undo/${id}`, as({ method: 'POST', headers: { origin: ALLOWED } })), 415, 'unsupported_media_type');
      await expectError(await s.call(`/undo/${id}`, as({ method: 'POST', headers: { origin: ALLOWED, 'content-type': 'text/plain' }, body: '{}' })), 415, 'unsupported_media_type');
      // Any body must be JSON, on routes that do not read one too, whoever sends it.
      await expectError(await s.call(`/undo/${id}`, as({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })), 415, 'unsupported_media_type');
      await expectError(await s.call(`/undo/${id}`, as({ method: 'POST', headers: { origin: s.origin, 'content-type': 'text/plain' }, body: 'x' })), 415, 'unsupported_media_type');
      expect(fingerprint(s, id, 'ann')).toBe(before);

      // Every state-changing route works from the allowed origin (JSON), the page's own origin, and without Origin (curl).
      for (const headers of [
        { origin: ALLOWED, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        { origin: s.origin, 'sec-fetch-site': 'same-origin' },
        // Behind a proxy that rewrites Host, the browser's fetch metadata still says same-origin.
        { origin: 'https://chat.example.org', 'sec-fetch-site': 'same-origin' },
        {},
      ] as Record<string, string>[]) {
        const session = await s.call('/session', as({ method: 'POST', headers }));
        expect(session.status, JSON.stringify(headers)).toBe(201);
        const sid = sessionInfoSchema.parse(await session.json()).id;
        // Deleting last, so that every other route meets the session.
        const ordered = changing.filter((o) => o.operationId !== 'createSession').sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
        for (const op of ordered) {
          const body = VALID_BODIES[op.operationId];
          // An upload is a form: fetch writes its multipart Content-Type.
          const form = op.body === 'multipart' ? new FormData() : undefined;
          form?.append('file', new Blob(['hello']), 'hello.txt');
          const { 'content-type': _json, ...formHeaders } = headers;
          const response = await s.call(op.path.replace('{id}', sid), as({
            method: op.method,
            ...(form
              ? { headers: formHeaders, body: form }
              : {
                  headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
                  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
                }),
          }));
          expect([403, 415], `${JSON.stringify(headers)}: ${op.method} ${op.path}`).not.toContain(response.status);
          expect(response.status).toBeLessThan(500);
          await response.body?.cancel();
        }
      }
      // Reads are unaffected: CORS keeps other origins from reading the answers.
      const list = await s.call('/sessions', as({ headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }));
      expect(list.status).toBe(200);
      expect(list.headers.get('access-control-allow-origin')).toBeNull();
      expect((await s.call(`/session/${id}/messages`, as({ headers: { origin: 'https://evil.example' } }))).status).toBe(200);
    });

    it('bad cursors, methods and headers: documented answers only', async () => {
      const s = await start();
      const id = await s.createSession();
      for (const cursor of ['-1', '1e3', '99999999999999999999', 'abc', '1.5', '0x1']) {
        await expectError(await s.call(`/events/${id}`, { headers: { 'last-event-id': cursor } }), 400, 'invalid_cursor');
      }
      for (const method of ['PUT', 'PATCH', 'OPTIONS']) {
        const response = await s.call(`/chat/${id}`, { method });
        await expectError(response, 405, 'method_not_allowed');
        expect(response.headers.get('allow')).toBe('POST');
      }
      await expectError(await s.call(`/chat/${id}`, { method: 'POST', body: '{"text":"x"}' }), 415, 'unsupported_media_type');
      await expectError(
        await s.call(`/chat/${id}`, { method: 'POST', headers: { 'content-type': 'application/jsonx' }, body: '{"text":"x"}' }),
        415,
        'unsupported_media_type',
      );
      expect((await s.call('/health')).status).toBe(200);
    });
  });
}

function text(events: { event: { type: string; delta?: unknown } }[]): string {
  return events
    .filter((e) => e.event.type === 'assistant_chunk')
    .map((e) => String(e.event.delta))
    .join('');
}
