import type { ContentBlockParam, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { Attachment, ChatMessage } from '@agent-chat/core';
import { DEFAULT_ATTACHMENT_MEDIA_TYPES } from '../../attachments/attachment-options.js';
import type { AgentContext } from '../agent.js';
import { base64Of, inlineTextOf, isInlineText, missingFileText, readTurnAttachments, userTexts, type AttachmentBytes } from '../attachment-content.js';
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
 * (from compaction) is sent as user text. A user message's files (`files`,
 * from {@link anthropicTurnMessages}) come before its text: images as `image`
 * blocks, PDFs as `document` blocks (base64), text files inline.
 */
export function toAnthropicMessages(history: readonly ChatMessage[], files: AttachmentBytes = new Map()): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const message of history) {
    if (message.role === 'user' || message.summary) {
      const content = userContent(userTexts(message), message.attachments ?? [], files);
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

/**
 * Media types the Claude agent sends (`Agent.attachments`): the server's
 * default list, the images and PDFs the Messages API reads, and text.
 */
export const ANTHROPIC_ATTACHMENT_TYPES: readonly string[] = DEFAULT_ATTACHMENT_MEDIA_TYPES;

/**
 * The `messages` of a turn: the history, then the user's input, with the
 * bytes of every file read through `ctx.readAttachment`.
 */
export async function anthropicTurnMessages(ctx: Pick<AgentContext, 'history' | 'input' | 'readAttachment'>): Promise<MessageParam[]> {
  const files = await readTurnAttachments(ctx);
  const messages = toAnthropicMessages(ctx.history, files);
  appendMessage(messages, { role: 'user', content: userContent([ctx.input.text], ctx.input.attachments ?? [], files) });
  return messages;
}

/** A user message's blocks: its files (image, document, inline text), then its text. */
function userContent(texts: readonly string[], attachments: readonly Attachment[], files: AttachmentBytes): ContentBlockParam[] {
  const content: ContentBlockParam[] = [];
  for (const attachment of attachments) {
    const bytes = files.get(attachment.id);
    if (!bytes) content.push({ type: 'text', text: missingFileText(attachment) });
    else if (attachment.mediaType === 'application/pdf') {
      content.push({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: base64Of(bytes) }, title: attachment.name });
    } else if (/^image\/(png|jpeg|gif|webp)$/.test(attachment.mediaType)) {
      const mediaType = attachment.mediaType as 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
      content.push({ type: 'image', source: { type: 'base64', media_type: mediaType, data: base64Of(bytes) } });
    } else if (isInlineText(attachment.mediaType)) content.push({ type: 'text', text: inlineTextOf(attachment, bytes) });
    else content.push({ type: 'text', text: missingFileText(attachment) });
  }
  for (const text of texts) if (text.trim() !== '') content.push({ type: 'text', text });
  return content;
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
