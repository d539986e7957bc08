/** Quotes around a title, as models like to add them. */
const QUOTES = /^["'“”‘’]+|["'“”‘’]+$/g;
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
 * A title as shown: one line, no surrounding quotes or trailing period, at most
 * {@link MAX_TITLE_LENGTH} characters. `undefined` when nothing is left.
 */
export function cleanTitle(raw: string): string | undefined {
  const line = raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(QUOTES, '')
    .replace(/^title:\s*/i, '')
    .replace(QUOTES, '')
    .replace(/[.。]+$/, '')
    .trim();
  if (line === '') return undefined;
  return line.length <= MAX_TITLE_LENGTH ? line : `${line.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…`;
}
