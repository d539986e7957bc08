/**
 * `text` cut to at most `max` UTF-16 code units: unchanged when it fits,
 * otherwise its first `max - 1` code units, without trailing white space,
 * then `…`. A surrogate pair cut in half loses its lone high half.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
