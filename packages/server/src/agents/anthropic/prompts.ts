import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage } from '@agent-chat/core';
import { clip } from '@agent-chat/core/util';

/** The system prompt of a compaction summary. */
export const SUMMARY_SYSTEM_PROMPT =
  'You compress conversations. Summarise the conversation you are given so that an assistant can continue it ' +
  'without the original: the user\'s goals, decisions made, facts and results found (tool outputs, file names, ' +
  'numbers), and open questions. Write plain prose and short lists, at most 400 words. Output only the summary.';

/** The system prompt of a session title. */
export const TITLE_SYSTEM_PROMPT =
  'Write a title of at most six words for a conversation that starts with the user message below. ' +
  'Use the message\'s language. Output only the title: no quotes, no final period.';

/** The request that summarises `messages` (oldest first) on `model`, for compaction: at most 2048 output tokens. */
export function summaryRequest(model: string, messages: readonly ChatMessage[]): MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: 2048,
    system: SUMMARY_SYSTEM_PROMPT,
    messages: [{ role: 'user', content: `<conversation>\n${transcript(messages)}\n</conversation>` }],
  };
}

/** The request that titles a conversation starting with `text` (its first 4000 characters) on `model`: at most 32 output tokens. */
export function titleRequest(model: string, text: string): MessageCreateParamsNonStreaming {
  return { model, max_tokens: 32, system: TITLE_SYSTEM_PROMPT, messages: [{ role: 'user', content: text.slice(0, 4000) }] };
}

/** The conversation as plain text for summarising: one line per part, tool calls with their (clipped) output. */
export function transcript(messages: readonly ChatMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    const who = message.summary ? 'Earlier summary' : message.role === 'user' ? 'User' : 'Assistant';
    for (const part of message.parts) {
      if (part.type === 'text' && part.text.trim()) lines.push(`${who}: ${part.text.trim()}`);
      if (part.type === 'tool_call') {
        const output = part.output === undefined ? '' : typeof part.output === 'string' ? part.output : JSON.stringify(part.output);
        lines.push(`Tool call ${part.name}(${JSON.stringify(part.input)}) -> ${part.state}${output ? `: ${clip(output, 2000)}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}
