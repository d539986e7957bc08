import { Lexer, type Token, type TokensList } from 'marked';

/**
 * Containers (block quotes, list items) open at once, and inline spans
 * (emphasis, strong, strikethrough, links, images) nested in one another, at
 * most. Past it the rest of the container or span is shown as literal text:
 * marked recurses once per level, so 3,000 `> ` overflowed the stack, and
 * each level re-lexes its content, so depth also multiplied the work.
 */
export const MAX_NESTING = 16;

/**
 * Inline content (a paragraph's text, a heading, a table cell) is lexed in
 * windows of at most this many characters, cut at a line break or a space
 * when there is one: marked's emphasis matching scans ahead for every
 * delimiter, so 100,000 characters of `_a` took 5.6 s. An emphasis, link or
 * code span cannot cross a window's edge; only runs of text longer than this
 * ever have one.
 */
export const INLINE_WINDOW = 1024;
/**
 * The window for text dense with emphasis delimiters (more than
 * {@link DENSE_DELIMITERS} `*`, `_` or `~` in {@link INLINE_WINDOW}
 * characters), where the scanning above costs the most: a quarter of the
 * window, a sixteenth of the cost.
 */
const DENSE_WINDOW = 256;
const DENSE_DELIMITERS = 64;

/** Whether the first `length` characters of `text` hold more than {@link DENSE_DELIMITERS} emphasis delimiters. */
function dense(text: string, length: number): boolean {
  let count = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 42 || c === 95 || c === 126) && ++count > DENSE_DELIMITERS) return true;
  }
  return false;
}

/**
 * Where to end a piece of at most `max` characters of `text` (longer than
 * `max`), at `min` or after. For prose (`prose`, the default), after a space
 * or line break where the piece is balanced, so that no emphasis, code span
 * or link is cut in two: an even number of runs of `*`, `_`, `~` and
 * backticks, as many `[` as `]` and `(` as `)` (escaped characters aside); a line break
 * first. Otherwise (code, table rows, list items, or prose with no balanced
 * place) after the last line break, else the last space, else at `max`
 * (never between the halves of a surrogate pair).
 */
export function cutPoint(text: string, max: number, min = max >> 1, prose = true): number {
  let balancedNewline = -1;
  let balancedSpace = -1;
  let newline = -1;
  let space = -1;
  let ticks = 0;
  let stars = 0;
  let unders = 0;
  let tildes = 0;
  let brackets = 0;
  let parens = 0;
  for (let i = 0; i < max; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 32 || c === 9) {
      if (i >= min) {
        const balanced = prose && brackets === 0 && parens === 0 && ((ticks | stars | unders | tildes) & 1) === 0;
        if (c === 10) {
          newline = i;
          if (balanced) balancedNewline = i;
        } else {
          space = i;
          if (balanced) balancedSpace = i;
        }
      }
    } else if (c === 92) i++; // a backslash escapes the next character
    else if ((c === 42 || c === 95 || c === 126 || c === 96) && c === text.charCodeAt(i - 1)) continue; // `**`, `~~`, two backticks: one run
    else if (c === 96) ticks++;
    else if (c === 42) stars++;
    else if (c === 95) unders++;
    else if (c === 126) tildes++;
    else if (c === 91) brackets++;
    else if (c === 93) brackets--;
    else if (c === 40) parens++;
    else if (c === 41) parens--;
  }
  const at = balancedNewline >= 0 ? balancedNewline : balancedSpace >= 0 ? balancedSpace : newline >= 0 ? newline : space;
  if (at >= 0) return at + 1;
  const c = text.charCodeAt(max - 1);
  return c >= 0xd800 && c <= 0xdbff ? max - 1 : max;
}

function literalText(src: string): Token {
  // `escaped: false`: both renderers escape it (safe-markdown.ts's and marked's own).
  return { type: 'text', raw: src, text: src, escaped: false } as Token;
}

/**
 * marked's lexer with bounded depth and bounded inline windows, so that the
 * work is linear in the length of the text and the stack depth is constant,
 * whatever the text. Output is marked's own for ordinary markdown.
 */
export class BoundedLexer extends Lexer {
  #blockDepth = 0;
  #inlineDepth = 0;

  override blockTokens(src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[];
  override blockTokens(src: string, tokens?: TokensList, lastParagraphClipped?: boolean): TokensList;
  override blockTokens(src: string, tokens: Token[] = [], lastParagraphClipped?: boolean): Token[] {
    // Depth 1 is the document itself.
    if (this.#blockDepth >= MAX_NESTING) {
      if (src) tokens.push({ type: 'paragraph', raw: src, text: src, tokens: [literalText(src)] } as Token);
      this.state.top = true;
      return tokens;
    }
    this.#blockDepth++;
    try {
      return super.blockTokens(src, tokens as TokensList, lastParagraphClipped);
    } finally {
      this.#blockDepth--;
    }
  }

  override inlineTokens(src: string, tokens: Token[] = []): Token[] {
    if (this.#inlineDepth >= MAX_NESTING) {
      if (src) tokens.push(literalText(src));
      return tokens;
    }
    this.#inlineDepth++;
    try {
      if (src.length <= INLINE_WINDOW) return super.inlineTokens(src, tokens);
      let rest = src;
      for (;;) {
        const window = dense(rest, Math.min(rest.length, INLINE_WINDOW)) ? DENSE_WINDOW : INLINE_WINDOW;
        if (rest.length <= window) return super.inlineTokens(rest, tokens);
        const end = cutPoint(rest, window);
        super.inlineTokens(rest.slice(0, end), tokens);
        rest = rest.slice(end);
      }
    } finally {
      this.#inlineDepth--;
    }
  }
}
