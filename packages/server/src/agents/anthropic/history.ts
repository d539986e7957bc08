import type { ContentBlockParam, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage } from '@agent-chat/core';
import type { ToolCallResult } from '../tool.js';
import { settledToolResult } from '../tool-loop.js';

/**
 * Converts the conversation view model into Messages API `messages` that the
 * API accepts: user text -> user text blocks; an assistant message -> one
 * assistant message per model step (signed thinking, text, tool_use with the
 * input the tool ran with), each followed by a user message of its tool_result
 * blocks (output, error, or the user's rejection feedback). Tool calls without
 * a result (interrupted, still running, awaiting approval, failed without output)
 * are left out, with nothing else, so every tool_use has its tool_result.
 * Unsigned thinking and empty text are dropped; consecutive messages of one
 * role are merged, since the API wants them to alternate. A summary message
 * (from compaction) is sent as user text.
 */
export function toAnthropicMessages(history: readonly ChatMessage[]): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const message of history) {
    if (message.role === 'user' || message.summary) {
      const content: ContentBlockParam[] = [];
      for (const part of message.parts) {
        if (part.type !== 'text' || part.text.trim() === '') continue;
        content.push({ type: 'text', text: message.summary ? `Summary of the earlier conversation:\n\n${part.text}` : part.text });
      }
      if (content.length > 0) appendMessage(messages, { role: 'user', content });
      continue;
    }
    let assistant: ContentBlockParam[] = [];
    let results: ToolResultBlockParam[] = [];
    const flush = () => {
      if (assistant.length > 0) appendMessage(messages, { role: 'assistant', content: assistant });
      if (results.length > 0) appendMessage(messages, { role: 'user', content: results });
      assistant = [];
      results = [];
    };
    for (const part of message.parts) {
      if (part.type === 'tool_call') {
        const result = settledToolResult(part);
        if (!result) continue;
        assistant.push({ type: 'tool_use', id: part.toolCallId, name: part.name, input: asToolInput(part.input) });
        results.push(toolResultBlock(part.toolCallId, result));
        continue;
      }
      // Text or thinking after tool calls belongs to the model's next step.
      if (results.length > 0) flush();
      if (part.type === 'text' && part.text.trim() !== '') assistant.push({ type: 'text', text: part.text });
      if (part.type === 'thinking' && part.signature) {
        assistant.push({ type: 'thinking', thinking: part.text, signature: part.signature });
      }
    }
    flush();
  }
  return messages;
}

/** Appends a message, merging it into the last one when both have the same role. */
export function appendMessage(messages: MessageParam[], message: MessageParam & { content: ContentBlockParam[] }): void {
  const last = messages.at(-1);
  if (last && last.role === message.role && Array.isArray(last.content)) {
    (last.content as ContentBlockParam[]).push(...message.content);
  } else {
    messages.push({ role: message.role, content: [...message.content] } as MessageParam);
  }
}

/** A tool's result as the tool_result block the API reads (output as text; JSON for anything else). */
export function toolResultBlock(toolUseId: string, result: ToolCallResult): ToolResultBlockParam {
  const content =
    result.output === undefined ? '' : typeof result.output === 'string' ? result.output : JSON.stringify(result.output);
  return { type: 'tool_result', tool_use_id: toolUseId, content, ...(result.isError ? { is_error: true } : {}) };
}

/** The API wants a tool_use input to be a JSON object. */
export function asToolInput(input: unknown): Record<string, unknown> {
  return isPlainObject(input) ? input : {};
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
