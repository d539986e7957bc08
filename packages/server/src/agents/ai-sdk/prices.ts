import type { LanguageModelUsage } from 'ai';
import { costUsd, type ModelPrice, type TokenCounts } from '../model-price.js';

/**
 * List prices (USD per MTok) of a few common OpenAI models, from
 * openai.com/api/pricing as last read for this table (2025; not re-checked
 * since: override or extend it with `aiSdkAgent({ prices })`). OpenAI charges
 * nothing extra to write its prompt cache, so `cacheWrite` is the input rate.
 * Any other model (another provider, a local one) costs 0: unknown, not free.
 *
 * | Model         | Input | Output | Cached input |
 * |---------------|-------|--------|--------------|
 * | gpt-5         | 1.25  | 10     | 0.125        |
 * | gpt-5-mini    | 0.25  | 2      | 0.025        |
 * | gpt-5-nano    | 0.05  | 0.40   | 0.005        |
 * | gpt-4.1       | 2     | 8      | 0.50         |
 * | gpt-4.1-mini  | 0.40  | 1.60   | 0.10         |
 * | gpt-4.1-nano  | 0.10  | 0.40   | 0.025        |
 * | gpt-4o        | 2.50  | 10     | 1.25         |
 * | gpt-4o-mini   | 0.15  | 0.60   | 0.075        |
 * | o3            | 2     | 8      | 0.50         |
 * | o4-mini       | 1.10  | 4.40   | 0.275        |
 */
export const OPENAI_PRICES_USD_PER_MTOK: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': openAiPrice(1.25, 10, 0.125),
  'gpt-5-mini': openAiPrice(0.25, 2, 0.025),
  'gpt-5-nano': openAiPrice(0.05, 0.4, 0.005),
  'gpt-4.1': openAiPrice(2, 8, 0.5),
  'gpt-4.1-mini': openAiPrice(0.4, 1.6, 0.1),
  'gpt-4.1-nano': openAiPrice(0.1, 0.4, 0.025),
  'gpt-4o': openAiPrice(2.5, 10, 1.25),
  'gpt-4o-mini': openAiPrice(0.15, 0.6, 0.075),
  o3: openAiPrice(2, 8, 0.5),
  'o4-mini': openAiPrice(1.1, 4.4, 0.275),
};

/** An OpenAI price row: writing the prompt cache costs what input does. */
function openAiPrice(input: number, output: number, cachedInput: number): ModelPrice {
  return { input, output, cacheWrite: input, cacheRead: cachedInput };
}

/**
 * Cost in USD of one call's token counts on `model`, found in `prices` by its id,
 * else without a provider prefix (`openai/gpt-4o`) and a date suffix
 * (`-2024-08-06`); 0 when `prices` has no price for it.
 */
export function aiSdkCostUsd(model: string, usage: TokenCounts, prices: Readonly<Record<string, ModelPrice>>): number {
  return costUsd(model, usage, prices);
}

/**
 * The AI SDK's usage as our token counts: `inputTokens` without cache reads
 * and writes (the SDK's total counts them, ours keeps them apart, as the
 * Anthropic API does). Missing counts are 0.
 */
export function tokenCountsOf(usage: LanguageModelUsage): TokenCounts {
  const cacheReadTokens = usage.inputTokenDetails?.cacheReadTokens ?? 0;
  const cacheWriteTokens = usage.inputTokenDetails?.cacheWriteTokens ?? 0;
  const noCache = usage.inputTokenDetails?.noCacheTokens;
  return {
    inputTokens: noCache ?? Math.max(0, (usage.inputTokens ?? 0) - cacheReadTokens - cacheWriteTokens),
    outputTokens: usage.outputTokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
  };
}
