/** Display helpers shared by the parts. Pure; no DOM. */

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

/** Token count, compact: 950, 12.4k, 1.2M. */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(tokens < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`;
  return `${(tokens / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** Cost in USD: $0.0042, $1.27. */
export function formatCost(usd: number): string {
  const digits = usd === 0 ? 2 : usd < 0.01 ? 4 : usd < 1 ? 3 : 2;
  return `$${usd.toFixed(digits)}`;
}

/** Elapsed time from milliseconds: 8s, 1m 05s, 1h 02m. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
