import { Marked, Renderer, type RendererObject } from 'marked';
import { imageHost, type ImagePolicy } from './image-policy.js';

/**
 * marked (CommonMark + GFM) with a renderer whose output is safe to insert as
 * HTML without a sanitizer: every piece of source text reaches the output
 * escaped, and the only attributes are ones it writes itself from checked
 * values. The rest of marked's renderer already holds to that (checked
 * against marked 18: `code` escapes its text and the language in its class,
 * `codespan` its text, `image` its alt text and title, `link` its title;
 * `table` writes only left/center/right as `align`, `list` a number as
 * `start`, `heading` a depth of 1-6, `checkbox` fixed attributes); the
 * methods below change what does not:
 *
 * - raw HTML (`html` tokens, block and inline) is shown as text, literally;
 * - text inside a raw `<pre>`, `<code>`, `<kbd>` or `<script>` tag, which
 *   marked passes through unescaped, is escaped like any other;
 * - link and image URLs must pass {@link linkUrl} / {@link imageUrl}; a link
 *   that does not becomes its text, an image its alt text;
 * - an image the current {@link ImagePolicy} holds back (see
 *   {@link withImagePolicy}) becomes a button that names its host.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a double-quoted attribute value; `&` too, so it shows literally. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Like {@link escapeHtml}, but keeps character references (`&amp;`, `&#60;`, `&copy;`) for the browser to resolve, as marked does for text. */
function escapeKeepingReferences(text: string): string {
  return text.replace(/[<>"']|&(?!#\d{1,7};|#[xX][\da-fA-F]{1,6};|\w+;)/g, (c) => ESCAPES[c]!);
}

/** The named character references decoded in link destinations; any other stays literal text of the URL. */
const NAMED_REFERENCES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  Tab: '\t',
  NewLine: '\n',
  nbsp: '\u00a0',
};

/** Resolves numeric and the common named character references, as CommonMark asks for in link destinations and titles. */
function decodeReferences(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([A-Za-z]+));/g, (ref, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED_REFERENCES[name] ?? ref;
    const code = dec === undefined ? Number.parseInt(hex!, 16) : Number.parseInt(dec, 10);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  });
}

/** Schemes a link may use; a URL without a scheme (a relative path, `//host/...`, `?query`, `#fragment`) is always allowed. */
const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);
/** Schemes an image may use, besides the data URLs of {@link DATA_IMAGE}. */
const IMAGE_SCHEMES = new Set(['http', 'https']);
/**
 * Inline images: base64 data URLs of raster formats and SVG. An `<img>` never
 * runs script or loads anything else, whatever the image holds (SVG included),
 * and browsers do not navigate to data URLs from a page.
 */
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp|avif|svg\+xml);base64,/i;

/**
 * The URL as the browser will read it: references resolved (unless `literal`,
 * as in an autolink) and then percent-encoded like marked does (`encodeURI`,
 * keeping existing `%XX`), or undefined when it cannot be encoded (a lone
 * surrogate). Encoding leaves no whitespace or control character, so nothing
 * can hide a scheme from {@link schemeOf}.
 */
function normalizeUrl(href: string, literal: boolean): string | undefined {
  try {
    return encodeURI(literal ? href : decodeReferences(href)).replace(/%25/g, '%');
  } catch {
    return undefined;
  }
}

/** The scheme as the WHATWG URL parser finds it (letters, digits, `+-.` before the first `:`), lowercased; '' when there is none. */
function schemeOf(url: string): string {
  return /^([a-zA-Z][a-zA-Z\d+.-]*):/.exec(url)?.[1]!.toLowerCase() ?? '';
}

/**
 * The URL a markdown link may point to, or undefined when it may not.
 * Allowed: http, https, mailto, and URLs without a scheme (relative paths,
 * `//host/...`, `?query`, `#fragment`). Character references are resolved
 * first (unless `literal`: autolinks keep them), so `jav&#x09;ascript:` and
 * `javascript&colon;` are seen for what they are.
 *
 * @returns the URL to put, escaped, in `href`: the browser reads exactly this string.
 */
export function linkUrl(href: string, literal = false): string | undefined {
  const url = normalizeUrl(href, literal);
  if (url === undefined) return undefined;
  const scheme = schemeOf(url);
  return scheme === '' || LINK_SCHEMES.has(scheme) ? url : undefined;
}

/**
 * The URL a markdown image may load, or undefined when it may not. Allowed:
 * http, https, URLs without a scheme, and base64 data URLs of PNG, GIF, JPEG,
 * WebP, AVIF and SVG images.
 *
 * @returns the URL to put, escaped, in `src`.
 */
export function imageUrl(href: string): string | undefined {
  const url = normalizeUrl(href, false);
  if (url === undefined) return undefined;
  const scheme = schemeOf(url);
  return scheme === '' || IMAGE_SCHEMES.has(scheme) || (scheme === 'data' && DATA_IMAGE.test(url)) ? url : undefined;
}

/**
 * Click handler for rendered markdown: swaps a held-back remote image's
 * placeholder (the button {@link imagePlaceholder} writes) for the image.
 *
 * @returns the URL now loading, or undefined when the click was not on a placeholder.
 */
export function loadHeldImage(e: Event): string | undefined {
  const button = (e.target as Element | null)?.closest?.<HTMLButtonElement>('button[data-load-image]');
  if (!button) return undefined;
  e.preventDefault();
  e.stopPropagation();
  // Checked again: the attribute is ours, but the image must still be one markdown may load.
  const src = imageUrl(button.dataset.loadImage ?? '');
  if (src === undefined) return undefined;
  const img = document.createElement('img');
  img.src = src;
  img.alt = button.dataset.alt ?? '';
  if (button.title) img.title = button.title;
  button.replaceWith(img);
  return src;
}

/** The policy of the render in progress (see {@link withImagePolicy}); none: every allowed image URL loads. */
let imagePolicy: ImagePolicy | undefined;

/**
 * Runs `render` (a synchronous marked parse) with `policy` deciding which
 * images load; the others become {@link imagePlaceholder}s.
 */
export function withImagePolicy<T>(policy: ImagePolicy | undefined, render: () => T): T {
  const previous = imagePolicy;
  imagePolicy = policy;
  try {
    return render();
  } finally {
    imagePolicy = previous;
  }
}

/**
 * A button standing for an image held back by the image policy: it names the
 * host and carries the (checked) URL, alt text and title for the element that
 * shows it to load on click. Loads nothing itself. `alt` and `titled` come escaped.
 */
export function imagePlaceholder(url: string, alt: string, titled: string, label: string): string {
  return (
    `<button type="button" class="load-image" part="load-image" data-load-image="${escapeHtml(url)}" data-alt="${alt}"` +
    `${titled}>${escapeHtml(label)}</button>`
  );
}

/** Link and image URLs through the allowlists, and code never trusted to be escaped already. Used with and without raw HTML. */
const urlRenderer: RendererObject = {
  link({ href, title, text, tokens, autolink }) {
    const content = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
    const url = linkUrl(href, autolink);
    if (url === undefined) return content;
    return `<a href="${escapeHtml(url)}"${title ? ` title="${escapeKeepingReferences(title)}"` : ''}>${content}</a>`;
  },

  image({ href, title, text, tokens }) {
    const alt = escapeKeepingReferences(tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text);
    const url = imageUrl(href);
    if (url === undefined) return alt;
    const titled = title ? ` title="${escapeKeepingReferences(title)}"` : '';
    if (!imagePolicy || imagePolicy.allows(url)) return `<img src="${escapeHtml(url)}" alt="${alt}"${titled}>`;
    return imagePlaceholder(url, alt, titled, imagePolicy.label(imageHost(url)));
  },

  code(token) {
    // Only a highlighting extension sets `escaped`; none is installed, and the text is never trusted anyway.
    return Renderer.prototype.code.call(this, { ...token, escaped: false });
  },
};

/** Raw HTML as text, and text inside raw HTML escaped too. */
const noHtmlRenderer: RendererObject = {
  html({ text, block }) {
    if (!block) return escapeHtml(text);
    // A block of HTML stays a block, its lines kept apart.
    return `<p>${escapeHtml(text.replace(/\n+$/, '')).replace(/\n/g, '<br>')}</p>\n`;
  },

  text(token) {
    if ('tokens' in token && token.tokens) return false;
    // `escaped` marks text inside a raw <pre>/<code>/<kbd>/<script> tag, which marked would pass through as HTML.
    return 'escaped' in token && token.escaped ? escapeHtml(token.text) : escapeKeepingReferences(token.text);
  },
};

/** Markdown that renders raw HTML as text: output safe without a sanitizer. */
export const safeMarkdown = new Marked({ gfm: true, breaks: false, async: false, renderer: { ...urlRenderer, ...noHtmlRenderer } });

/**
 * Markdown that keeps raw HTML as HTML (links and images still go through the
 * allowlists): its output is NOT safe until a sanitizer has been over it.
 */
export const rawHtmlMarkdown = new Marked({ gfm: true, breaks: false, async: false, renderer: urlRenderer });
