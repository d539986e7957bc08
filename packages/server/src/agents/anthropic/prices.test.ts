import { describe, expect, it } from 'vitest';
import { ANTHROPIC_PRICES_USD_PER_MTOK, anthropicCostUsd, findModelPrice } from './prices.js';
import { ANTHROPIC_MODELS, DEFAULT_ANTHROPIC_MODEL, DEFAULT_TITLE_MODEL } from './agent.js';

const million = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 };

describe('anthropicCostUsd', () => {
  it('prices each kind of token at its own rate (USD per million tokens)', () => {
    // Sonnet 5.5: $2 in, $10 out, $2.50 cache write, $0.10 cache read.
    expect(anthropicCostUsd('claude-sonnet-5-5', million)).toBeCloseTo(2 + 10 + 2.5 + 0.1, 10);
    expect(anthropicCostUsd('claude-sonnet-5-5', { ...million, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0 })).toBeCloseTo(2.5, 10);
  });

  it('switches Haiku 5.5 to its long-prompt rates above 100k prompt tokens, for every token of the call', () => {
    const short = { inputTokens: 60_000, outputTokens: 1000, cacheReadTokens: 40_000, cacheWriteTokens: 0 };
    expect(anthropicCostUsd('claude-haiku-5-5', short)).toBeCloseTo((60_000 * 0.1 + 1000 * 0.5 + 40_000 * 0.01) / 1e6, 12);
    const long = { ...short, cacheReadTokens: 40_001 };
    expect(anthropicCostUsd('claude-haiku-5-5', long)).toBeCloseTo((60_000 * 0.5 + 1000 * 2.5 + 40_001 * 0.05) / 1e6, 12);
  });

  it('finds dated ids under their family, and prices unknown models at 0', () => {
    expect(findModelPrice('claude-haiku-4-5-20251001')).toBe(ANTHROPIC_PRICES_USD_PER_MTOK['claude-haiku-4-5']);
    expect(anthropicCostUsd('claude-opus-4-5-20251101', million)).toBeCloseTo(5 + 25 + 6.25 + 0.5, 10);
    expect(anthropicCostUsd('some-future-model', million)).toBe(0);
  });

  it('uses a given table instead of the built-in one', () => {
    const prices = { 'my-model': { input: 1, output: 2, cacheWrite: 3, cacheRead: 4 } };
    expect(anthropicCostUsd('my-model', million, prices)).toBeCloseTo(10, 10);
    expect(anthropicCostUsd('claude-sonnet-5-5', million, prices)).toBe(0);
  });

  it('has a price for every model the agent offers and its defaults', () => {
    for (const id of [...ANTHROPIC_MODELS.map((m) => m.id), DEFAULT_ANTHROPIC_MODEL, DEFAULT_TITLE_MODEL]) {
      expect(findModelPrice(id), id).toBeDefined();
    }
  });
});
