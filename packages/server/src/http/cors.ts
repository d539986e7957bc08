/** Cross-origin access to the API (the WHATWG Fetch standard's CORS protocol). */
export interface CorsOptions {
  /**
   * Origins allowed to call the API from a browser, exactly as browsers send
   * them (`https://app.example.com`, scheme and port included). `'*'` allows
   * any origin, but not together with `credentials`.
   */
  origins: readonly string[] | '*';
  /**
   * Whether browsers may send cookies and HTTP authentication
   * (`Access-Control-Allow-Credentials: true`); the client must then use
   * `credentials: 'include'`. Default false.
   */
  credentials?: boolean;
  /** Request headers allowed beyond `content-type`, `authorization` and `last-event-id`. */
  allowHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer, in seconds. Default 600. */
  maxAgeSeconds?: number;
}

/** A CORS option that cannot work as configured. */
export class CorsConfigError extends Error {
  readonly code = 'invalid_cors_options';

  constructor(message: string) {
    super(message);
    this.name = 'CorsConfigError';
  }
}

/** Headers every preflight allows: JSON bodies, bearer tokens and SSE resume. */
const BASE_ALLOW_HEADERS = ['content-type', 'authorization', 'last-event-id'];
/** Response headers a page may read besides the CORS-safelisted ones. */
const EXPOSE_HEADERS = 'retry-after, allow';

/**
 * Applies {@link CorsOptions} to requests and answers.
 *
 * Not Hono's `cors()` middleware, which would change what clients see: it
 * takes every `OPTIONS` for a preflight (here only one with
 * `Access-Control-Request-Method`; a bare `OPTIONS` is 405), sends
 * `Access-Control-Allow-Credentials` and `-Expose-Headers` to origins it
 * refuses, answers preflights on paths that have no route, and leaves
 * `Vary: Origin` out with `'*'`. It also has no way to refuse an impossible
 * configuration at start ({@link CorsConfigError}).
 */
export class CorsPolicy {
  readonly #origins: ReadonlySet<string> | '*';
  readonly #credentials: boolean;
  readonly #allowHeaders: string;
  readonly #maxAge: string;

  /** @throws {CorsConfigError} for `'*'` with credentials, or an origin that is not `scheme://host[:port]`. */
  constructor(options: CorsOptions) {
    this.#credentials = options.credentials ?? false;
    if (options.origins === '*') {
      if (this.#credentials) {
        throw new CorsConfigError("CORS origins '*' cannot be combined with credentials: list the allowed origins.");
      }
      this.#origins = '*';
    } else {
      for (const origin of options.origins) {
        if (!/^https?:\/\/[^/\s]+$/i.test(origin)) {
          throw new CorsConfigError(`CORS origin "${origin}" must be scheme://host[:port], without a path or trailing slash.`);
        }
      }
      this.#origins = new Set(options.origins.map((origin) => origin.toLowerCase()));
    }
    const extra = (options.allowHeaders ?? []).map((name) => name.toLowerCase());
    this.#allowHeaders = [...new Set([...BASE_ALLOW_HEADERS, ...extra])].join(', ');
    this.#maxAge = String(options.maxAgeSeconds ?? 600);
  }

  /** Whether `request` is a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
  isPreflight(request: Request): boolean {
    return request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
  }

  /** Whether the request's `Origin` may read answers; false without an `Origin`. */
  allows(request: Request): boolean {
    const origin = request.headers.get('origin');
    if (origin === null) return false;
    return this.#origins === '*' || this.#origins.has(origin.toLowerCase());
  }

  /**
   * The answer to a preflight on a route with `methods`: 204 with the allowed
   * methods and headers for an allowed origin; 204 with no CORS headers for any
   * other (the browser then refuses the real request).
   */
  preflight(request: Request, methods: readonly string[]): Response {
    const headers = new Headers({ vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' });
    if (this.allows(request)) {
      this.#allowOrigin(request, headers);
      headers.set('access-control-allow-methods', methods.join(', '));
      headers.set('access-control-allow-headers', this.#allowHeaders);
      headers.set('access-control-max-age', this.#maxAge);
    }
    return new Response(null, { status: 204, headers });
  }

  /** Adds the CORS headers of an actual (non-preflight) answer; only `Vary: Origin` for an origin that is not allowed. */
  decorate(request: Request, response: Response): Response {
    const headers = new Headers(response.headers);
    appendVary(headers, 'Origin');
    if (this.allows(request)) {
      this.#allowOrigin(request, headers);
      headers.set('access-control-expose-headers', EXPOSE_HEADERS);
    }
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  #allowOrigin(request: Request, headers: Headers): void {
    headers.set('access-control-allow-origin', this.#origins === '*' ? '*' : request.headers.get('origin')!);
    if (this.#credentials) headers.set('access-control-allow-credentials', 'true');
  }
}

function appendVary(headers: Headers, name: string): void {
  const current = headers.get('vary');
  if (!current) headers.set('vary', name);
  else if (!current.split(',').some((v) => v.trim().toLowerCase() === name.toLowerCase())) headers.set('vary', `${current}, ${name}`);
}
