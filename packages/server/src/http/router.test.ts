import { describe, expect, it } from 'vitest';
import { createRouter } from './router.js';
import { API_ROUTES, type RouteHandlers } from './routes.js';

/** A handler per declared operation, each answering its own name. */
function allHandlers(): RouteHandlers<string> {
  const handlers: Record<string, Record<string, string>> = {};
  for (const op of API_ROUTES) (handlers[op.path] ??= {})[op.method] = op.operationId;
  return handlers as RouteHandlers<string>;
}

describe('createRouter', () => {
  const route = createRouter(allHandlers());

  it('finds each declared operation, with its path parameters still encoded and whether it is public', () => {
    expect(route('GET', '/health')).toEqual({ methods: ['GET'], params: {}, operation: { handler: 'health', public: true, multipart: false } });
    expect(route('GET', '/session/a%2Fb/messages')).toEqual({
      methods: ['GET'],
      params: { id: 'a%2Fb' },
      operation: { handler: 'getMessages', public: false, multipart: false },
    });
    for (const op of API_ROUTES) {
      const path = op.path.replace('{id}', 'abc');
      expect(route(op.method, path)?.operation?.handler, `${op.method} ${path}`).toBe(op.operationId);
    }
  });

  it('knows a path whose method is not declared (405): every method of the path, in declaration order', () => {
    expect(route('PUT', '/session/abc')).toEqual({ methods: ['GET', 'DELETE'], params: { id: 'abc' } });
    expect(route('HEAD', '/config/model')).toEqual({ methods: ['GET', 'POST'], params: {} });
  });

  it('matches whole paths only: no trailing slash, empty segment or prefix', () => {
    for (const path of ['/health/', '/session/', '/session//messages', '/openapixjson', '/nope', '//health', '/']) {
      expect(route('GET', path), path).toBeUndefined();
    }
  });

  it('refuses a handler table that misses an operation (the type already does)', () => {
    const handlers = allHandlers() as Record<string, Record<string, string>>;
    delete handlers['/chat/{id}']!.POST;
    expect(() => createRouter(handlers as RouteHandlers<string>)).toThrow('no handler for POST /chat/{id}');
    // @ts-expect-error an operation that is not declared cannot be served.
    const extra: RouteHandlers<string> = { ...allHandlers(), '/extra': { GET: 'extra' } };
    expect(extra).toBeDefined();
  });
});
