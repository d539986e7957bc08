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

/** The user message of a compaction summary: the conversation's {@link transcript}, tagged. */
export function summaryInput(messages: readonly ChatMessage[]): string {
  return `<conversation>\n${transcript(messages)}\n</conversation>`;
}

/** The user message of a session title: the conversation's first message, its first 4000 characters. */
export function titleInput(text: string): string {
  return text.slice(0, 4000);
}
