/**
 * What one model costs, in USD per million tokens (MTok). `cacheWrite` is the
 * 5-minute cache-write rate, `cacheRead` the cache-hit rate.
 */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  /**
   * Higher rates for a request whose prompt (input + cache reads + cache writes)
   * exceeds `thresholdTokens`; they then apply to every token of that request.
   */
  longPrompt?: { thresholdTokens: number; input: number; output: number; cacheWrite: number; cacheRead: number };
}

/** Token counts of one model call (tokens). `inputTokens` leaves out cache reads and writes, as the Anthropic API counts. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/**
 * The price of `model` in `prices`: the id as given, else without a provider
 * prefix (`openai/gpt-4o`) and a date or `-latest` suffix (`-2024-08-06`, `-20251001`).
 */
export function priceOf(model: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  return prices[model] ?? prices[model.replace(/^[\w.-]+\//, '').replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '')];
}

/** Cost in USD of one model call's token counts on `model`; 0 when `prices` has no price for it (unknown, not free). */
export function costUsd(model: string, usage: TokenCounts, prices: Readonly<Record<string, ModelPrice>>): number {
  const price = priceOf(model, prices);
  if (!price) return 0;
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  const rates = price.longPrompt && prompt > price.longPrompt.thresholdTokens ? price.longPrompt : price;
  return (
    (usage.inputTokens * rates.input +
      usage.outputTokens * rates.output +
      usage.cacheWriteTokens * rates.cacheWrite +
      usage.cacheReadTokens * rates.cacheRead) /
    1_000_000
  );
}
