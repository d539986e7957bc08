import { clip } from '@agent-chat/core/util';

/** Quotes (and the markdown emphasis models wrap titles in) around a title. */
const QUOTES = /^["'“”‘’*`]+|["'“”‘’*`]+$/g;
/** Most words in a heuristic title. */
const TITLE_WORDS = 6;
/** Longest title kept, in characters, from an agent or the heuristic. */
export const MAX_TITLE_LENGTH = 80;

/**
 * A title for agents without `title()`: the first six words of `text`, with
 * markdown markup and line breaks removed. `'New chat'` when nothing is left.
 */
export function heuristicTitle(text: string): string {
  const words = text
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/[#*_`>\[\]()~|]/g, ' ')
    .split(/\s+/)
    .filter((word) => word !== '');
  return cleanTitle(words.slice(0, TITLE_WORDS).join(' ')) ?? 'New chat';
}

/**
 * A title as shown, from a model's answer or the heuristic: its first line (a
 * title in double quotes is read to its closing quote, across line breaks),
 * without a markdown heading mark, a `Title:` prefix, surrounding quotes or
 * emphasis, or a final period; white space folded; at most
 * {@link MAX_TITLE_LENGTH} characters (`clip`). `undefined` when nothing is left.
 * The one title cleaner: the server applies it to every agent's `title()`.
 */
export function cleanTitle(raw: string): string | undefined {
  const line = firstLine(raw)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^#+\s*/, '')
    .replace(QUOTES, '')
    .replace(/^title:\s*/i, '')
    .replace(QUOTES, '')
    .replace(/[.。]+$/, '')
    .trim();
  return line === '' ? undefined : clip(line, MAX_TITLE_LENGTH);
}

/** The first non-empty line of `text`, or, when that line opens a double quote it does not close, up to the closing quote. */
function firstLine(text: string): string {
  const trimmed = text.trim();
  const end = trimmed.indexOf('\n');
  if (end < 0) return trimmed;
  const first = trimmed.slice(0, end);
  if (/^["“][^"”]*$/.test(first)) {
    const close = trimmed.slice(end).search(/["”]/);
    if (close >= 0) return trimmed.slice(0, end + close + 1);
  }
  return first;
}
