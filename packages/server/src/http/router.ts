import { TrieRouter } from 'hono/router/trie-router';
import { API_ROUTES, type ApiOperation, type RouteHandlers } from './routes.js';

/** What a path below the base path leads to. */
export interface RouteMatch<H> {
  /** The methods declared on this path, in declaration order (a 405's `Allow`, a preflight's allowed methods). */
  methods: readonly string[];
  /** The operation of the request's method; absent when the path has no such method (405). */
  operation?: Operation<H>;
  /** Path parameters, still percent-encoded: `{ id }` on `/session/{id}`. */
  params: Readonly<Record<string, string>>;
}

/** One declared operation, as the server runs it. */
interface Operation<H> {
  handler: H;
  public: boolean;
  /** Whether the body is `multipart/form-data` (an upload) rather than JSON. */
  multipart: boolean;
}

/** The routes of one path template. */
interface PathEntry<H> {
  methods: readonly string[];
  operations: ReadonlyMap<string, Operation<H>>;
}

/**
 * Builds the router of the API from its one declaration, {@link API_ROUTES},
 * and one handler per declared operation (the type allows no more and no
 * fewer). Matching is Hono's `TrieRouter` on the path below the base path.
 *
 * @returns `match(method, path)`: the path's routes, or `undefined` when no route has this path.
 */
export function createRouter<H>(handlers: RouteHandlers<H>): (method: string, path: string) => RouteMatch<H> | undefined {
  const byPath = new Map<string, { methods: string[]; operations: Map<string, Operation<H>> }>();
  for (const op of API_ROUTES as readonly ApiOperation[]) {
    const handler = (handlers as Record<string, Record<string, H> | undefined>)[op.path]?.[op.method];
    // The type of `handlers` already says so; this catches an untyped caller.
    if (handler === undefined) throw new Error(`agent-chat: no handler for ${op.method} ${op.path}`);
    const entry = byPath.get(op.path) ?? { methods: [] as string[], operations: new Map<string, Operation<H>>() };
    entry.methods.push(op.method);
    entry.operations.set(op.method, { handler, public: op.public === true, multipart: op.body === 'multipart' });
    byPath.set(op.path, entry);
  }
  const router = new TrieRouter<PathEntry<H>>();
  // Hono's `:name` for OpenAPI's `{name}`; each path is added once, for every method, so that a wrong method is found as a 405.
  for (const [path, entry] of byPath) router.add('ALL', path.replace(/\{(\w+)\}/g, ':$1'), entry);
  return (method, path) => {
    const [[found]] = router.match(method, path) as [[PathEntry<H>, Record<string, string>][]];
    if (!found) return undefined;
    const [entry, params] = found;
    const operation = entry.operations.get(method);
    return { methods: entry.methods, params, ...(operation ? { operation } : {}) };
  };
}
