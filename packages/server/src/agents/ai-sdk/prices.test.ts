import { describe, expect, it } from 'vitest';
import { aiSdkCostUsd, OPENAI_PRICES_USD_PER_MTOK, tokenCountsOf } from './prices.js';

const counts = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 0 };

describe('aiSdkCostUsd', () => {
  it('prices a model by its id, without a provider prefix or a date suffix, and an unknown model at 0', () => {
    // gpt-4o: $2.50 in, $10 out, $1.25 cached input per million tokens.
    expect(aiSdkCostUsd('gpt-4o', counts, OPENAI_PRICES_USD_PER_MTOK)).toBeCloseTo(13.75, 10);
    expect(aiSdkCostUsd('gpt-4o-2024-08-06', counts, OPENAI_PRICES_USD_PER_MTOK)).toBeCloseTo(13.75, 10);
    expect(aiSdkCostUsd('openai/gpt-4o', counts, OPENAI_PRICES_USD_PER_MTOK)).toBeCloseTo(13.75, 10);
    expect(aiSdkCostUsd('llama3.2', counts, OPENAI_PRICES_USD_PER_MTOK)).toBe(0);
    expect(aiSdkCostUsd('llama3.2', counts, { 'llama3.2': { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 } })).toBe(2);
  });
});

describe('tokenCountsOf', () => {
  it('keeps cache reads and writes apart from input tokens, and counts what is missing as 0', () => {
    expect(
      tokenCountsOf({
        inputTokens: 100,
        inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: 30, cacheWriteTokens: 20 },
        outputTokens: 7,
        outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
        totalTokens: 107,
      }),
    ).toEqual({ inputTokens: 50, outputTokens: 7, cacheReadTokens: 30, cacheWriteTokens: 20 });
    expect(
      tokenCountsOf({
        inputTokens: undefined,
        inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
        outputTokens: undefined,
        outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
        totalTokens: undefined,
      }),
    ).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });
});
