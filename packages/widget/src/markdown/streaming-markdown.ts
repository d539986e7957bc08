import type { Marked, Token } from 'marked';
import { rawHtmlMarkdown, safeMarkdown } from './safe-markdown.js';

/** One top-level markdown block (paragraph, heading, list, code fence, table, ...) as safe HTML. */
export interface MarkdownBlock {
  /** Stable per renderer: a block keeps its key while it grows, so a keyed template keeps its DOM. */
  readonly key: number;
  /** HTML of the block, safe to insert with `unsafeHTML` (given a sound sanitizer, when one is used). */
  readonly html: string;
  /** True once a later block has started: the block's HTML will never change again. */
  readonly complete: boolean;
}

/** Turns untrusted HTML into HTML that is safe to insert into the page, e.g. `(html) => DOMPurify.sanitize(html)`. */
export type HtmlSanitizer = (html: string) => string;

export interface StreamingMarkdownOptions {
  /**
   * Opt in to raw HTML in the markdown. Without it (the default) raw HTML is
   * shown as text and the output is safe by construction, no sanitizer
   * involved. With it, raw HTML is kept and every block's HTML goes through
   * this function, which must make it safe (the link and image URL allowlists
   * still apply to markdown links and images).
   */
  sanitize?: HtmlSanitizer;
}

/** Counters that show how much work the renderer did; for tests and benchmarks. */
export interface StreamingMarkdownStats {
  /** Blocks run through marked's parser (and the sanitizer, when one is given), over the renderer's lifetime. */
  blocksRendered: number;
  /** Characters given to marked's lexer, over the renderer's lifetime. */
  charsLexed: number;
  /** Times the text was not an extension of the previous text and everything started over. */
  resets: number;
}

/**
 * Renders markdown that arrives in chunks (CommonMark + GFM via marked) to
 * safe HTML, block by block, in time linear in the final length.
 *
 * Safe by construction, with no HTML sanitizer: raw HTML in the markdown is
 * shown as text, every piece of text is escaped, links may only point to
 * http(s), mailto or scheme-less URLs and images only load http(s),
 * scheme-less or base64 `data:image/...` URLs (anything else renders as the
 * link's text or the image's alt text). See `safe-markdown.ts`. Passing
 * `sanitize` opts in to raw HTML instead.
 *
 * Completed blocks are lexed and rendered once and then kept; each
 * {@link update} lexes and renders only the text from the start of the last,
 * still-open block. A block counts as complete once a later block has begun,
 * because appending text can no longer change it (a setext underline, a list
 * continuation or a table row all attach to the open block). Reference-style
 * link definitions that arrive after a completed block that uses them are not
 * applied to it.
 *
 * Touches no DOM (a sanitizer given to it may), so it runs in Node too.
 */
export class StreamingMarkdown {
  readonly stats: StreamingMarkdownStats = { blocksRendered: 0, charsLexed: 0, resets: 0 };
  readonly #sanitize: HtmlSanitizer | undefined;
  readonly #markdown: Marked;
  #text = '';
  /** Length of the normalized text covered by `#complete`. */
  #stableLength = 0;
  #complete: MarkdownBlock[] = [];
  #open: MarkdownBlock[] = [];
  #nextKey = 0;

  constructor(options: StreamingMarkdownOptions = {}) {
    this.#sanitize = options.sanitize;
    this.#markdown = this.#sanitize ? rawHtmlMarkdown : safeMarkdown;
  }

  /** The blocks of the text last given to {@link update}. */
  get blocks(): readonly MarkdownBlock[] {
    return this.#open.length === 0 ? this.#complete : [...this.#complete, ...this.#open];
  }

  /**
   * Renders `text`, the whole markdown so far. When it extends the previous
   * text (the streaming case) only the open block is re-rendered; otherwise the
   * renderer starts over.
   *
   * @returns the blocks, completed ones being the same objects as before.
   */
  update(text: string): readonly MarkdownBlock[] {
    const normalized = text.replace(/\r\n?/g, '\n');
    if (normalized === this.#text) return this.blocks;
    if (!normalized.startsWith(this.#text.slice(0, this.#stableLength))) this.#reset();
    this.#text = normalized;

    const tail = normalized.slice(this.#stableLength);
    this.stats.charsLexed += tail.length;
    const tokens = this.#markdown.lexer(tail);
    const lastContent = tokens.findLastIndex((t) => t.type !== 'space');
    // marked keeps every source character in some token's `raw`; if that ever
    // stops holding, offsets would drift, so nothing is promoted to complete.
    const contiguous = tokens.reduce((n, t) => n + t.raw.length, 0) === tail.length;

    let consumed = 0;
    if (contiguous) {
      for (let i = 0; i < lastContent; i++) {
        const token = tokens[i]!;
        consumed += token.raw.length;
        if (token.type === 'space') continue;
        this.#complete.push(this.#render(token, true));
      }
      this.#stableLength += consumed;
    }

    const openTokens = contiguous ? tokens.slice(Math.max(lastContent, 0)) : tokens;
    const content = openTokens.filter((t) => t.type !== 'space');
    if (content.length === 0) {
      this.#open = [];
    } else {
      const key = this.#open[0]?.key ?? this.#nextKey++;
      this.#open = [{ key, html: this.#html(content), complete: false }];
    }
    return this.blocks;
  }

  #render(token: Token, complete: boolean): MarkdownBlock {
    // The open block's key carries over to its completed form so its DOM is kept.
    const key = this.#open[0]?.key ?? this.#nextKey++;
    this.#open = [];
    return { key, html: this.#html([token]), complete };
  }

  #html(tokens: Token[]): string {
    this.stats.blocksRendered++;
    const html = this.#markdown.parser(tokens);
    return this.#sanitize ? this.#sanitize(html) : html;
  }

  #reset(): void {
    this.stats.resets++;
    this.#text = '';
    this.#stableLength = 0;
    this.#complete = [];
    this.#open = [];
  }
}

/** Markdown with every construct a typical answer uses, for {@link warmUpMarkdown}. */
const WARM_UP_TEXT =
  '# Title\n\nSome **bold**, _emphasis_, `code`, a [link](https://example.com) and ~~strike~~.\n\n' +
  '- one\n- two\n  1. nested\n\n> quoted\n\n```js\nconst x = 1;\n```\n\n| a | b |\n| :- | -: |\n| 1 | 2 |\n\n' +
  'Setext\n---\n\nA last paragraph with <b>html</b> &amp; an ![image](https://example.com/i.png).\n';

let warmedUp = false;

/**
 * Renders a short sample once, in idle time, so the first real answer of a page
 * does not pay for compiling marked's regular expressions and the renderer's
 * first runs inside an animation frame (measured: frames of 50 to 90 ms in the
 * first kilobytes of the first answer on a 2-core machine, none after).
 * Does nothing after the first call, or where there is no `requestIdleCallback`
 * and no `setTimeout` (it never runs synchronously).
 */
export function warmUpMarkdown(): void {
  if (warmedUp) return;
  warmedUp = true;
  const run = () => {
    const renderer = new StreamingMarkdown();
    // Growing prefixes, as a stream gives them, so the incremental path warms up too.
    for (let end = 16; end < WARM_UP_TEXT.length; end += 16) renderer.update(WARM_UP_TEXT.slice(0, end));
    renderer.update(WARM_UP_TEXT);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
  else if (typeof setTimeout === 'function') setTimeout(run, 0);
}
