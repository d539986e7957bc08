/*
 * What the markdown renderer may write, as a checker over its HTML string
 * (no DOM): used by the Node tests and the fuzz suite.
 */

/** The tags the renderer may write, with the attributes each may carry. */
const TAGS: Record<string, readonly string[]> = {
  p: [], h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], blockquote: [], hr: [], br: [],
  ul: [], ol: ['start'], li: [], input: ['checked', 'disabled', 'type'],
  pre: [], code: ['class'], em: [], strong: [], del: [],
  a: ['href', 'title'], img: ['src', 'alt', 'title'],
  // A remote image held back by the image policy: a button that names the host.
  button: ['type', 'class', 'part', 'data-load-image', 'data-alt', 'title'],
  table: [], thead: [], tbody: [], tr: [], th: ['align'], td: ['align'],
};
const ATTRIBUTE_VALUES: Record<string, RegExp> = {
  start: /^\d+$/,
  type: /^(checkbox|button)$/,
  part: /^load-image$/,
  checked: /^$/,
  disabled: /^$/,
  class: /^(language-\S+|load-image)$/,
  align: /^(left|center|right)$/,
};
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp|avif|svg\+xml);base64,/;
export const BASE = 'https://chat.example/page';

export function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return text.replace(/&(?:#(\d+)|#x([\da-f]+)|(\w+));/gi, (ref, dec?: string, hex?: string, name?: string) =>
    name ? (named[name] ?? ref) : String.fromCodePoint(dec ? Number(dec) : Number.parseInt(hex!, 16)),
  );
}

/** What is wrong with `html` (empty when nothing): markup outside the allowlist, or a URL outside it. */
export function problems(html: string): string[] {
  const found: string[] = [];
  const tag = /<(\/?)([a-zA-Z][a-zA-Z\d]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*>/g;
  let last = 0;
  for (const match of html.matchAll(tag)) {
    const [whole, closing, name, attributes] = match;
    if (/[<>]/.test(html.slice(last, match.index))) found.push(`markup outside a tag: ${html.slice(last, match.index)}`);
    last = match.index + whole.length;
    const allowed = TAGS[name!];
    if (!allowed) {
      found.push(`tag ${whole}`);
      continue;
    }
    if (closing && attributes) found.push(`attributes on a closing tag: ${whole}`);
    for (const [, attribute, value = ''] of attributes!.matchAll(/\s+([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
      if (!allowed.includes(attribute!)) found.push(`attribute ${attribute} in ${whole}`);
      if (ATTRIBUTE_VALUES[attribute!] && !ATTRIBUTE_VALUES[attribute!]!.test(value)) found.push(`value of ${attribute} in ${whole}`);
      if (attribute === 'href' || attribute === 'src' || attribute === 'data-load-image') {
        // Only the renderer's own escapes: the browser then reads exactly the URL that was checked.
        if (/&(?!amp;|lt;|gt;|quot;|#39;)/.test(value)) found.push(`character reference in a URL: ${whole}`);
        const url = decodeEntities(value);
        let protocol: string;
        try {
          protocol = new URL(url, BASE).protocol;
        } catch {
          // The browser cannot resolve it either: such a link goes nowhere, such an image loads nothing.
          continue;
        }
        const ok = attribute === 'href' ? LINK_PROTOCOLS.has(protocol) : protocol === 'http:' || protocol === 'https:' || DATA_IMAGE.test(url);
        if (!ok) found.push(`URL ${url} in ${whole}`);
      }
    }
  }
  if (/[<>]/.test(html.slice(last))) found.push(`markup outside a tag: ${html.slice(last)}`);
  return found;
}
