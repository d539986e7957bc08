import { ApiError } from './api-error.js';
import type { CorsPolicy } from './cors.js';
import { hasRequestBody, isJsonContentType, unsupportedMediaType } from './read-json-body.js';

const MULTIPART_TYPE = /^multipart\/form-data\s*;/i;

/** Methods that change nothing (RFC 9110 safe methods); every other one is checked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses cross-site request forgery on a state-changing request (any method
 * but GET, HEAD and OPTIONS). A browser sends cookies with a request another
 * page makes, and a simple request (a form post, a bodyless or `text/plain`
 * `fetch`) reaches the server without a CORS preflight, so CORS alone does not
 * stop it; with an `auth(request)` that reads a cookie, it would act as the user.
 *
 * Allowed:
 * - requests of the server's own origin: `Sec-Fetch-Site: same-origin`, or an
 *   `Origin` equal to the request URL's origin (or its `https` form, for a
 *   server behind a TLS-terminating proxy);
 * - requests of an origin `cors.origins` allows, when the browser must have
 *   preflighted them: a POST must then say `Content-Type: application/json`
 *   (a cross-origin DELETE is always preflighted);
 * - requests with neither `Origin` nor `Sec-Fetch-Site` (or `Sec-Fetch-Site:
 *   none`): not from a page of another site (curl, server-to-server, a bookmark).
 *
 * Any body must be JSON, on every state-changing route, so that no form can
 * pass for an API call (Fetch standard: a simple request's `Content-Type` is
 * `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`).
 * The upload route (`multipart`) takes `multipart/form-data` only, from its own
 * origin or one `cors.origins` allows (a browser always sends `Origin` then).
 *
 * @param url The request's URL (its origin is the server's own).
 * @param multipart Whether the route's body is an upload (`multipart/form-data`) rather than JSON.
 * @throws {ApiError} 403 `cross_origin_forbidden` for another origin that CORS
 *   does not allow (or one that hides behind `Origin: null`, or fetch metadata
 *   saying `cross-site`/`same-site` without an `Origin`); 415
 *   `unsupported_media_type` for a body that is not JSON, or an allowed
 *   cross-origin POST without `Content-Type: application/json`.
 */
export function assertSameOriginOrAllowed(request: Request, url: URL, cors: CorsPolicy | undefined, multipart = false): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site')?.trim().toLowerCase();
  const contentType = request.headers.get('content-type');
  // Browsers set Sec-Fetch-Site themselves (no page can); it survives a proxy that rewrites Host.
  const crossOrigin =
    site === 'same-origin' ? false : origin !== null ? !isOwnOrigin(origin, url) : site === 'cross-site' || site === 'same-site';
  if (crossOrigin) {
    if (origin === null || !cors?.allows(request)) {
      throw new ApiError(
        403,
        'cross_origin_forbidden',
        "Requests from another origin may not change anything here; the server's cors.origins must list the page's origin.",
      );
    }
    if (request.method === 'POST' && !multipart && !isJsonContentType(contentType)) {
      throw unsupportedMediaType('Cross-origin requests must send Content-Type: application/json (even without a body).');
    }
  }
  if (multipart) {
    if (!MULTIPART_TYPE.test(contentType ?? '')) throw unsupportedMediaType('Send the file as multipart/form-data, in a field named file.');
  } else if (hasRequestBody(request) && !isJsonContentType(contentType)) {
    throw unsupportedMediaType();
  }
}

/** Whether `origin` is the origin of `url`, or its `https` form when `url` arrived over plain HTTP (a TLS proxy in front). */
function isOwnOrigin(origin: string, url: URL): boolean {
  const value = origin.trim().toLowerCase();
  if (value === url.origin.toLowerCase()) return true;
  return url.protocol === 'http:' && url.port === '' && value === `https://${url.host.toLowerCase()}`;
}
