import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents, startTestServer, type TestServer } from '../__fixtures__/harness.js';
import { scriptedAgent } from '../__fixtures__/scripted-agent.js';
import { fuzzParams } from '../__fixtures__/fuzz.js';

// Property-based test of every POST route with arbitrary bodies, over real HTTP
// (createChatServer + the node:http adapter on 127.0.0.1): JSON of any shape,
// wrong types, text that is not JSON, bytes that are not UTF-8, bodies over the
// size limit, deep nesting, odd content types. Each answer is a 2xx, or a 4xx
// with a JSON `{error: {code, message}}`; never a 5xx or a hang; and after a 4xx
// nothing the API shows has changed (no half-written session).

const MAX_BODY_BYTES = 16 * 1024;
const PENDING = '$PENDING_TOOL_CALL$';

const ROUTES = [
  '/config/model',
  '/title',
  '/session',
  '/session/{id}/model',
  '/chat/{id}',
  '/interrupt/{id}',
  '/undo/{id}',
  '/truncate/{id}',
  '/compact/{id}',
  '/shutdown/{id}',
] as const;

const key = fc.constantFrom('text', 'approvals', 'model', 'sessionId', 'userMessageIndex', 'toolCallId', 'decision', 'input', 'feedback', 'constructor', 'x');
const anyJson = fc.jsonValue({ maxDepth: 4 });
const decision = fc.record(
  {
    toolCallId: fc.oneof(fc.constant(PENDING), fc.string({ maxLength: 300 }), anyJson),
    decision: fc.oneof(fc.constantFrom('approve', 'reject'), anyJson),
    input: anyJson,
    feedback: fc.oneof(fc.string(), anyJson),
  },
  { requiredKeys: [] },
);

/** A request body as sent: text or bytes. */
const body: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  { weight: 4, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  { weight: 4, arbitrary: fc.dictionary(key, anyJson, { maxKeys: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: fc.record({ approvals: fc.oneof(fc.array(decision, { maxLength: 3 }), anyJson) }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.record({ text: fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), anyJson) }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.record({ userMessageIndex: fc.oneof(fc.integer({ min: -3, max: 5 }), fc.double(), anyJson) }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.record({ model: fc.oneof(fc.string(), anyJson), text: fc.string(), sessionId: fc.string() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"polluted":1},"text":"x"}', '{"constructor":{"prototype":{"polluted":1}}}', '{"text":"a","text":{"b":1}}') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES * 4 }).map((n) => `{"text":"${'x'.repeat(n)}"}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 100_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"text":[', ']}']))
      .map(([depth, [open, close]]) => `${open!.repeat(depth)}1${close!.repeat(depth)}`),
  },
  { weight: 1, arbitrary: fc.constantFrom(undefined, '', ' ', '\n', 'null', '\uFEFF{}') },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  undefined,
);

type Target = 'idle' | 'awaiting' | 'missing' | 'odd';
const target = fc.constantFrom<Target>('idle', 'idle', 'awaiting', 'awaiting', 'missing', 'odd');

describe('every POST route with arbitrary bodies (fuzz, real HTTP)', () => {
  let server: TestServer;
  /** A session with two finished turns, and one waiting for the user's decision. */
  let idle: string;
  let awaiting: string;
  let pendingToolCallId: string;

  const call = (path: string, init: RequestInit = {}) => fetch(`${server.base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const getJson = async (path: string) => {
    const response = await call(path);
    return { status: response.status, body: await response.json() };
  };

  async function seed(): Promise<void> {
    for (const id of [idle, awaiting]) if (id) await call(`/session/${id}`, { method: 'DELETE' });
    const create = async () => ((await (await call('/session', { method: 'POST' })).json()) as { id: string }).id;
    const chat = (id: string, text: string) =>
      call(`/chat/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    idle = await create();
    await readEvents(await chat(idle, 'hello'));
    await readEvents(await chat(idle, 'second'));
    awaiting = await create();
    await readEvents(await chat(awaiting, 'approve the write'));
    const { body } = await getJson(`/session/${awaiting}/messages`);
    pendingToolCallId = body.pendingApprovals[0].toolCallId;
  }

  /** Everything the API shows of both sessions (the list holds their info) and of the server's settings. */
  async function fingerprint(): Promise<string> {
    const parts = await Promise.all([
      getJson(`/session/${idle}/messages`),
      getJson(`/session/${awaiting}/messages`),
      getJson('/sessions'),
      getJson('/config/model'),
    ]);
    return JSON.stringify(parts);
  }

  beforeAll(async () => {
    server = await startTestServer({ agent: scriptedAgent(), maxBodyBytes: MAX_BODY_BYTES, maxSessionsPerUser: 1_000 });
    await seed();
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers 2xx, or 4xx with a JSON error and nothing changed; never 5xx, never a hang', { timeout: 120_000 }, async () => {
    /** Answers seen, by route and status: printed, and checked to cover every route. */
    const seen = new Map<string, Map<number, number>>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), target, body, contentType, async (route, to, raw, type) => {
        const id = { idle, awaiting, missing: '00000000-0000-4000-8000-000000000000', odd: '..%2F..%2Fetc%2Fpasswd' }[to];
        const path = route.replace('{id}', id);
        const sent = typeof raw === 'string' ? raw.replaceAll(PENDING, pendingToolCallId) : raw && new Uint8Array(raw);
        const before = await fingerprint();
        const response = await call(path, {
          method: 'POST',
          headers: type === undefined ? {} : { 'content-type': type },
          ...(sent === undefined ? {} : { body: sent }),
        });
        const byStatus = seen.get(route) ?? seen.set(route, new Map()).get(route)!;
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        expect(response.status, `${path} answered ${response.status}`).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get('content-type'), `${path} ${response.status}`).toMatch(/^application\/json/);
          const error = (await response.json()) as { error: { code: unknown; message: unknown } };
          expect(typeof error.error.code).toBe('string');
          expect(typeof error.error.message).toBe('string');
          expect(await fingerprint(), `${path} answered ${response.status} ${error.error.code} but changed the session`).toBe(before);
        } else {
          // Accepted (a turn, a decision, an undo...): read it to the end, then start again from fresh sessions.
          if (response.headers.get('content-type')?.startsWith('text/event-stream')) await readEvents(response);
          else await response.arrayBuffer();
          await seed();
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      fuzzParams(100),
    );
    console.log(`[fuzz] answers by route: ${[...seen].map(([route, byStatus]) => `${route} ${JSON.stringify(Object.fromEntries(byStatus))}`).join('; ')}`);
    expect(seen.size).toBe(ROUTES.length);
    expect(server.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
