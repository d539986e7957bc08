import { costUsd, priceOf, type ModelPrice, type TokenCounts } from '../model-price.js';

export type { ModelPrice, TokenCounts };

/**
 * Anthropic's list prices (USD per MTok) as published on
 * platform.claude.com/docs/en/about-claude/pricing, checked November 2026.
 * Keys are model ids without a date suffix. A model not listed costs 0: unknown,
 * not free. Override or extend it with `anthropicAgent({ prices })`.
 *
 * | Model                          | Input | Output | 5m cache write | Cache read |
 * |--------------------------------|-------|--------|----------------|------------|
 * | Fable 5.1 / Mythos 5.1         | 10    | 50     | 12.50          | 0.25       |
 * | Fable 5 / Mythos 5             | 10    | 50     | 12.50          | 1.00       |
 * | Opus 5.5                       | 4     | 20     | 5.00           | 0.20       |
 * | Opus 5, 4.8, 4.7, 4.6, 4.5     | 5     | 25     | 6.25           | 0.50       |
 * | Opus 4.1, 4                    | 15    | 75     | 18.75          | 1.50       |
 * | Sonnet 5.5                     | 2     | 10     | 2.50           | 0.10       |
 * | Sonnet 5                       | 2     | 10     | 2.50           | 0.20       |
 * | Sonnet 4.6, 4.5, 4, 3.7        | 3     | 15     | 3.75           | 0.30       |
 * | Haiku 5.5 (prompt <= 100k)     | 0.10  | 0.50   | 0.125          | 0.01       |
 * | Haiku 5.5 (prompt > 100k)      | 0.50  | 2.50   | 0.625          | 0.05       |
 * | Haiku 4.5                      | 1     | 5      | 1.25           | 0.10       |
 * | Haiku 3.5                      | 0.80  | 4      | 1.00           | 0.08       |
 */
export const ANTHROPIC_PRICES_USD_PER_MTOK: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 },
  'claude-mythos-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 },
  'claude-fable-5': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 },
  'claude-mythos-5': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 },
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 },
  'claude-opus-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-8': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-7': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-6': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-opus-4': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'claude-sonnet-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheRead: 0.01,
    longPrompt: { thresholdTokens: 100_000, input: 0.5, output: 2.5, cacheWrite: 0.625, cacheRead: 0.05 },
  },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
};

/** The price of `model` in `prices` (default {@link ANTHROPIC_PRICES_USD_PER_MTOK}): exact id first, then without a provider prefix and a date (`-20251001`) or `-latest` suffix. */
export function findModelPrice(
  model: string,
  prices: Readonly<Record<string, ModelPrice>> = ANTHROPIC_PRICES_USD_PER_MTOK,
): ModelPrice | undefined {
  return priceOf(model, prices);
}

/**
 * Cost in USD of one model call's token counts on `model`; 0 when the model has
 * no price in `prices` (default {@link ANTHROPIC_PRICES_USD_PER_MTOK}).
 */
export function anthropicCostUsd(
  model: string,
  usage: TokenCounts,
  prices: Readonly<Record<string, ModelPrice>> = ANTHROPIC_PRICES_USD_PER_MTOK,
): number {
  return costUsd(model, usage, prices);
}
