import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage } from '@agent-chat/core';
import { SUMMARY_SYSTEM_PROMPT, summaryInput, TITLE_SYSTEM_PROMPT, titleInput } from '../prompts.js';

/** The request that summarises `messages` (oldest first) on `model`, for compaction: at most 2048 output tokens. */
export function summaryRequest(model: string, messages: readonly ChatMessage[]): MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: 2048,
    system: SUMMARY_SYSTEM_PROMPT,
    messages: [{ role: 'user', content: summaryInput(messages) }],
  };
}

/** The request that titles a conversation starting with `text` (its first 4000 characters) on `model`: at most 32 output tokens. */
export function titleRequest(model: string, text: string): MessageCreateParamsNonStreaming {
  return { model, max_tokens: 32, system: TITLE_SYSTEM_PROMPT, messages: [{ role: 'user', content: titleInput(text) }] };
}
