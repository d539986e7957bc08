import type { Marked, Token } from 'marked';
import { BoundedLexer, cutPoint } from './bounded-lexer.js';
import { createImagePolicy, imageHost, type ImagePolicy } from './image-policy.js';
import { escapeHtml, rawHtmlMarkdown, safeMarkdown, withImagePolicy } from './safe-markdown.js';

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
  /**
   * Which images load by themselves; the others render as a button naming
   * their host (`<button data-load-image="url">`), for the page to swap for
   * the image on click. Default: `createImagePolicy()`, images from the
   * page's origin, relative and `data:` URLs only. With `sanitize`, `<img>`
   * elements in raw HTML follow it too (where there is a DOM to check them).
   */
  imagePolicy?: ImagePolicy;
}

/** Options of one {@link StreamingMarkdown.update}. */
export interface MarkdownUpdateOptions {
  /** The text is final (the message is done): the last block is rendered in full rather than cheaply extended. Default false. */
  done?: boolean;
  /**
   * `performance.now()` time after which no further step starts: one step
   * (at most {@link STEP_CHARS} new characters and {@link SEGMENT_CHARS} of
   * open block) always runs, then more while time remains. What is left is
   * {@link StreamingMarkdown.pending} for a later call. Default: no deadline.
   */
  deadline?: number;
}

/** Counters that show how much work the renderer did; for tests and benchmarks. */
export interface StreamingMarkdownStats {
  /** Blocks run through marked's parser (and the sanitizer, when one is given), over the renderer's lifetime. */
  blocksRendered: number;
  /** Characters given to marked's block lexer, over the renderer's lifetime. */
  charsLexed: number;
  /** Characters of inline content (paragraph text, headings, cells) given to marked's inline lexer, over the renderer's lifetime. */
  inlineCharsLexed: number;
  /** Times the text was not an extension of the previous text and everything started over. */
  resets: number;
  /** Open blocks cut in segments because they outgrew {@link SEGMENT_CHARS}. */
  segments: number;
}

/**
 * The longest an open block grows: past it, its first part (cut at a line
 * break or a space when there is one) is rendered and kept as a block of its
 * own, and the rest goes on as a new block. A code fence or table carries on
 * in a new `<pre>` or `<table>` (the fence's opening line or the table's head
 * is repeated); a paragraph, list or quote simply starts a new one. This
 * bounds the work of re-rendering the open block on every update.
 */
export const SEGMENT_CHARS = 4096;
/** {@link SEGMENT_CHARS} for code (fenced or indented): code has no inline content to lex, so its segments can be longer and a long listing stays in one box. */
export const CODE_SEGMENT_CHARS = 32_768;
/** {@link SEGMENT_CHARS} for tables and lists, whose inline runs (cells, items) are short: a table of a hundred rows stays one table. */
export const TABLE_SEGMENT_CHARS = 8192;

function segmentLimit(token: Token | undefined): number {
  if (token?.type === 'code') return CODE_SEGMENT_CHARS;
  return token?.type === 'table' || token?.type === 'list' ? TABLE_SEGMENT_CHARS : SEGMENT_CHARS;
}

/** New characters taken per step: a long text given at once (a history, a reload) is rendered as if streamed in pieces this long. */
export const STEP_CHARS = 2048;
/**
 * An open block longer than this is not re-lexed on every update of a burst:
 * until it has grown by a quarter of its length past this (or
 * {@link RELEX_MS} have passed), the new text is shown escaped, as plain
 * text, at its end. Streaming a long block thus lexes each
 * character a bounded number of times, however small the chunks.
 */
const FREE_CHARS = 256;
/** Longest an open block of up to {@link SEGMENT_CHARS} shows new text as plain text, in ms: a slow stream never shows raw markdown for long. */
const RELEX_MS = 150;
/** The longest fence opening line or table head repeated at the start of a continued segment. */
const MAX_CARRY = 512;

/** marked keeps every source character in some token's `raw`; when that fails to hold, nothing is promoted to complete. */
function rawLength(tokens: readonly Token[]): number {
  let n = 0;
  for (const t of tokens) n += t.raw.length;
  return n;
}

/**
 * Inserts `text`, escaped, before the closing tags that end `html` (inside the
 * last paragraph, list item, code or cell). `midLine`: the source rendered so
 * far ends inside a line, so the line break marked ends code with is dropped.
 */
function appendText(html: string, text: string, inside: boolean, midLine: boolean): string {
  if (!text) return html;
  const escaped = escapeHtml(text);
  if (!inside) return html + escaped;
  const closing = /(?:<\/[a-z][a-z\d]*>\s*)+$/.exec(html);
  if (!closing) return html + escaped;
  const at = midLine && html[closing.index - 1] === '\n' && html.startsWith('<pre>') ? closing.index - 1 : closing.index;
  return html.slice(0, at) + escaped + html.slice(closing.index);
}

/**
 * What a continued segment of `open` (the source of an open block, lexed as
 * `token`) starts with, so that it renders as the same kind of block: a code
 * fence's opening line, a table's head and delimiter rows; '' for the rest.
 */
function carryOf(token: Token | undefined, open: string): string {
  if (token?.type === 'code') {
    const fence = /^ {0,3}(?:`{3,}|~{3,})[^\n]*\n/.exec(open)?.[0];
    return fence && fence.length <= MAX_CARRY ? fence : '';
  }
  if (token?.type === 'table') {
    const head = /^[^\n]*\n[^\n]*\n/.exec(open)?.[0];
    return head && head.length <= MAX_CARRY ? head : '';
  }
  return '';
}

/**
 * Renders markdown that arrives in chunks (CommonMark + GFM via marked) to
 * safe HTML, block by block, in time linear in the final length, whatever the
 * text.
 *
 * Safe by construction, with no HTML sanitizer: raw HTML in the markdown is
 * shown as text, every piece of text is escaped, links may only point to
 * http(s), mailto or scheme-less URLs and images only load http(s),
 * scheme-less or base64 `data:image/...` URLs (anything else renders as the
 * link's text or the image's alt text), and remote images only as the
 * {@link StreamingMarkdownOptions.imagePolicy} allows. See `safe-markdown.ts`.
 * Passing `sanitize` opts in to raw HTML instead.
 *
 * Completed blocks are lexed and rendered once and then kept; each
 * {@link update} lexes and renders only the text from the start of the last,
 * still-open block. A block counts as complete once a later block has begun,
 * because appending text can no longer change it (a setext underline, a list
 * continuation or a table row all attach to the open block). Reference-style
 * link definitions that arrive after a completed block that uses them are not
 * applied to it.
 *
 * Bounded, so one message can never freeze or break the page: containers and
 * inline spans nest at most 16 deep (deeper markers show as text), inline
 * text is lexed in windows of 1,024 characters, an open block is cut in
 * segments of {@link SEGMENT_CHARS} ({@link TABLE_SEGMENT_CHARS} for tables and lists, {@link CODE_SEGMENT_CHARS} for code), a long open block is re-lexed only when
 * it has grown by a quarter, and a long text is taken {@link STEP_CHARS} at a
 * time, so an update given a `deadline` returns after a bounded step and the
 * rest is {@link pending}.
 *
 * Touches no DOM (a sanitizer given to it may, and so does checking raw
 * `<img>` against the image policy when there is a sanitizer), so it runs in Node too.
 */
export class StreamingMarkdown {
  readonly stats: StreamingMarkdownStats = { blocksRendered: 0, charsLexed: 0, inlineCharsLexed: 0, resets: 0, segments: 0 };
  readonly #sanitize: HtmlSanitizer | undefined;
  readonly #markdown: Marked;
  readonly #imagePolicy: ImagePolicy;
  /** The whole (normalized) text last given. */
  #target = '';
  #done = false;
  /** Length of the text covered by `#complete`. */
  #stable = 0;
  /** Prepended to the text after `#stable` when lexing: the head of a code fence or table cut in segments. */
  #carry = '';
  /** Length of the text rendered so far; the open block is `#stable..#processed`. */
  #processed = 0;
  /** The open block as last lexed: where the text it covers ends, and its HTML. */
  #lexed: { end: number; html: string; limit: number; at: number } | undefined;
  #complete: MarkdownBlock[] = [];
  #open: MarkdownBlock | undefined;
  /** The deadline of the update in progress. */
  #deadline = Infinity;
  /** The segment limit of the open block's kind, as last lexed. */
  #openLimit = SEGMENT_CHARS;
  #nextKey = 0;

  constructor(options: StreamingMarkdownOptions = {}) {
    this.#sanitize = options.sanitize;
    this.#markdown = this.#sanitize ? rawHtmlMarkdown : safeMarkdown;
    this.#imagePolicy = options.imagePolicy ?? createImagePolicy();
  }

  /** The blocks of the text rendered so far. */
  get blocks(): readonly MarkdownBlock[] {
    return this.#open ? [...this.#complete, this.#open] : this.#complete;
  }

  /** True when the last {@link update} stopped at its deadline with text left to render: call it again (with the same text, or more). */
  get pending(): boolean {
    return this.#processed < this.#target.length || (this.#done && this.#lexed !== undefined && this.#lexed.end < this.#processed);
  }

  /**
   * Renders `text`, the whole markdown so far. When it extends the previous
   * text (the streaming case) only the open block is re-rendered; otherwise the
   * renderer starts over. With a `deadline`, it may stop early: see
   * {@link pending}.
   *
   * @returns the blocks, completed ones being the same objects as before.
   */
  update(text: string, options: MarkdownUpdateOptions = {}): readonly MarkdownBlock[] {
    const normalized = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
    if (normalized !== this.#target) {
      // `===` on slices, not `startsWith`: V8 compares those a character at a time, which made every update O(length).
      const extends_ = (length: number) => normalized.slice(0, length) === this.#target.slice(0, length);
      if (!extends_(this.#stable)) this.#reset();
      else if (!extends_(this.#processed)) {
        // Changed inside the open block: render it again from its start.
        this.#processed = this.#stable;
        this.#lexed = undefined;
      }
      this.#target = normalized;
    }
    this.#done = options.done ?? false;
    const deadline = (this.#deadline = options.deadline ?? Infinity);
    let first = true;
    while (this.pending && (first || performance.now() < deadline)) {
      first = false;
      // A long open code block is cheap to lex but long: take as much again, so re-lexing it stays linear.
      const step = Math.max(STEP_CHARS, this.#openLimit === CODE_SEGMENT_CHARS ? this.#processed - this.#stable : 0);
      this.#step(Math.min(this.#target.length, this.#processed + step));
    }
    return this.blocks;
  }

  /** Renders the text up to `end`: completes the blocks a later block has begun after, re-renders (or extends) the open one. */
  #step(end: number): void {
    const final = this.#done && end === this.#target.length;
    const lexed = this.#lexed;
    if (!final && lexed && end - this.#stable + this.#carry.length <= lexed.limit) {
      const size = lexed.end - this.#stable + this.#carry.length;
      // A stream at reading pace (a few updates a second) re-renders every time: only bursts of
      // updates are amortized, and never for longer than RELEX_MS but in blocks longer than a segment.
      const recent = size > SEGMENT_CHARS || performance.now() - lexed.at < RELEX_MS;
      if (recent && (end - lexed.end) * 4 < size - FREE_CHARS) {
        // Cheap: the open block as last rendered, with the new text as plain text at its end
        // (or nothing yet, when all there was is white space).
        this.#processed = end;
        if (this.#open) {
          const midLine = this.#target.charCodeAt(lexed.end - 1) !== 10;
          const html = appendText(lexed.html, this.#target.slice(lexed.end, end), !this.#sanitize, midLine);
          this.#open = { key: this.#open.key, html, complete: false };
        }
        return;
      }
    }
    this.#processed = end;
    for (;;) {
      const tail = this.#carry + this.#target.slice(this.#stable, end);
      const { lexer, tokens } = this.#lex(tail);
      const lastContent = tokens.findLastIndex((t) => t.type !== 'space');
      const contiguous = rawLength(tokens) === tail.length;
      let consumed = 0;
      if (contiguous) {
        for (let i = 0; i < lastContent; i++) {
          const token = tokens[i]!;
          consumed += token.raw.length;
          if (token.type !== 'space') this.#complete.push(this.#render(lexer, [token]));
        }
      }
      if (consumed > 0) {
        this.#stable += consumed - this.#carry.length;
        this.#carry = '';
      }
      const open = tail.slice(consumed);
      const openToken = contiguous ? tokens[Math.max(lastContent, 0)] : undefined;
      const limit = (this.#openLimit = segmentLimit(openToken));
      if (open.length > limit) {
        this.#seal(open, openToken, limit);
        continue;
      }
      const content = (contiguous ? tokens.slice(Math.max(lastContent, 0)) : tokens).filter((t) => t.type !== 'space');
      if (content.length === 0) {
        this.#open = undefined;
        this.#lexed = { end, html: '', limit, at: performance.now() };
      } else if (end < this.#target.length) {
        // More of the text follows (in this update, or the next when the deadline has passed): its HTML
        // would be replaced at once, so the open block keeps what it showed until then.
        this.#open = { key: this.#open?.key ?? this.#nextKey++, html: this.#open?.html ?? '', complete: false };
        this.#lexed = undefined;
      } else {
        const html = this.#html(this.#inline(lexer, content));
        this.#open = { key: this.#open?.key ?? this.#nextKey++, html, complete: false };
        this.#lexed = { end, html, limit, at: performance.now() };
      }
      return;
    }
  }

  /** Renders the first segment of the oversized open block `open` (lexed as `token`) as a complete block; the rest stays open. */
  #seal(open: string, token: Token | undefined, limit: number): void {
    this.stats.segments++;
    const carried = this.#carry.length;
    // Code, tables and lists are cut between lines; prose where no emphasis or link is open.
    const prose = token?.type !== 'code' && token?.type !== 'table' && token?.type !== 'list';
    const cut = cutPoint(open, limit, Math.max(limit >> 1, carried + 1), prose);
    const { lexer, tokens } = this.#lex(open.slice(0, cut));
    const head = tokens.filter((t) => t.type !== 'space');
    const carry = carryOf(token, open);
    if (head.length > 0) this.#complete.push(this.#render(lexer, head));
    this.#stable += cut - carried;
    this.#carry = carry;
  }

  /**
   * Block-level lexing only: inline content (the costly part) is lexed by
   * {@link #inline} for the blocks that get rendered, so a long open block
   * re-lexed to find where it ends does not pay for its inline content.
   */
  #lex(text: string): { lexer: BoundedLexer; tokens: Token[] } {
    this.stats.charsLexed += text.length;
    const lexer = new BoundedLexer(this.#markdown.defaults);
    return { lexer, tokens: lexer.blockTokens(text, lexer.tokens) };
  }

  /** Lexes the inline content of `tokens` (top-level tokens of `lexer`), as marked's `lex()` would have. */
  #inline(lexer: BoundedLexer, tokens: Token[]): Token[] {
    const owned = new Set<Token[]>();
    const visit = (token: Token): void => {
      const t = token as Token & { tokens?: Token[]; items?: Token[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
      if (t.tokens) {
        owned.add(t.tokens);
        t.tokens.forEach(visit);
      }
      t.items?.forEach(visit);
      for (const cell of t.header ?? []) owned.add(cell.tokens);
      for (const row of t.rows ?? []) for (const cell of row) owned.add(cell.tokens);
    };
    tokens.forEach(visit);
    for (const entry of lexer.inlineQueue) {
      if (!owned.has(entry.tokens)) continue;
      this.stats.inlineCharsLexed += entry.src.length;
      lexer.state.inRawBlock = false;
      lexer.inlineTokens(entry.src, entry.tokens);
    }
    return tokens;
  }

  #render(lexer: BoundedLexer, tokens: Token[]): MarkdownBlock {
    // The open block's key carries over to its completed form so its DOM is kept.
    const key = this.#open?.key ?? this.#nextKey++;
    this.#open = undefined;
    this.#lexed = undefined;
    return { key, html: this.#html(this.#inline(lexer, tokens)), complete: true };
  }

  #html(tokens: Token[]): string {
    this.stats.blocksRendered++;
    const html = withImagePolicy(this.#imagePolicy, () => this.#markdown.parser(tokens));
    return this.#sanitize ? holdBackImages(this.#sanitize(html), this.#imagePolicy) : html;
  }

  #reset(): void {
    this.stats.resets++;
    this.#target = '';
    this.#stable = 0;
    this.#carry = '';
    this.#processed = 0;
    this.#lexed = undefined;
    this.#complete = [];
    this.#open = undefined;
  }
}

/**
 * Sanitized raw HTML may hold `<img>` elements (markdown images went through
 * the policy already): those the policy holds back become placeholders, in an
 * inert template, before anything loads. Needs a DOM; without one the HTML is
 * returned as the sanitizer made it.
 */
function holdBackImages(html: string, policy: ImagePolicy): string {
  if (!/<img/i.test(html) || typeof document === 'undefined') return html;
  const template = document.createElement('template');
  template.innerHTML = html;
  let changed = false;
  for (const img of template.content.querySelectorAll('img')) {
    const src = img.getAttribute('src') ?? '';
    if (!img.hasAttribute('srcset') && (src === '' || policy.allows(src))) continue;
    changed = true;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'load-image';
    button.setAttribute('part', 'load-image');
    button.dataset.loadImage = src;
    button.dataset.alt = img.alt;
    if (img.title) button.title = img.title;
    button.textContent = policy.label(imageHost(src));
    img.replaceWith(button);
  }
  return changed ? template.innerHTML : html;
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
