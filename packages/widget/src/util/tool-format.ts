/**
 * How the tool parts (cards, code panel, approvals, research) show inputs, outputs and
 * times. Pure; no DOM. Apart from format.ts, which the status bar loads at once: the
 * prebuilt bundle puts a module where its first user is, so these stay with the tool parts.
 */

/** JSON pretty-printed with 2 spaces; strings as they are; `undefined` as ''. */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A one-line hint of a tool's input: its first short scalar argument. */
export function summarizeInput(input: unknown): string {
  if (input === null || typeof input !== 'object') return input === undefined ? '' : String(input);
  for (const value of Object.values(input as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') return String(value).split('\n', 1)[0]!.slice(0, 120);
  }
  return '';
}

/** Elapsed time from milliseconds: 8s, 1m 05s, 1h 02m. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
