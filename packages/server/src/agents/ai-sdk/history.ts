import type { AssistantContent, ModelMessage, ToolContent, UserContent } from 'ai';
import type { Attachment, ChatMessage } from '@agent-chat/core';
import { DEFAULT_ATTACHMENT_MEDIA_TYPES } from '../../attachments/attachment-options.js';
import type { AgentContext } from '../agent.js';
import { inlineTextOf, isInlineText, missingFileText, readTurnAttachments, userTexts, type AttachmentBytes } from '../attachment-content.js';
import type { ToolCallResult } from '../tool.js';
import { rejectionText } from '../tool-loop.js';

type AssistantPart = Exclude<AssistantContent, string>[number];
type ToolResultOutput = Extract<ToolContent[number], { type: 'tool-result' }>['output'];

/**
 * Converts the conversation view model into AI SDK `ModelMessage`s that every
 * provider accepts: user text -> a user message; an assistant message -> one
 * assistant message per model step (text, tool calls with the input the tool
 * ran with), each followed by a `tool` message of its results (output, error,
 * or the user's rejection feedback). Tool calls without a result
 * (interrupted, still running, awaiting approval, failed without output) are
 * left out, with nothing else, so every tool call has its result. Thinking is
 * not sent back in later turns (providers drop or reject it); empty text is
 * dropped. A summary message (from compaction) is sent as user text. A user
 * message's files (`files`, from {@link modelTurnMessages}) come before its
 * text: images and PDFs as `file` parts (the provider turns them into its
 * image or document input), text files inline.
 */
export function toModelMessages(history: readonly ChatMessage[], files: AttachmentBytes = new Map()): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const message of history) {
    if (message.role === 'user' || message.summary) {
      const content = userContent(userTexts(message), message.attachments ?? [], files);
      if (content.length > 0) messages.push({ role: 'user', content });
      continue;
    }
    let assistant: AssistantPart[] = [];
    let results: ToolContent = [];
    const flush = () => {
      if (assistant.length > 0) messages.push({ role: 'assistant', content: assistant });
      if (results.length > 0) messages.push({ role: 'tool', content: results });
      assistant = [];
      results = [];
    };
    for (const part of message.parts) {
      if (part.type === 'tool_call') {
        const result = settledResult(part);
        if (!result) continue;
        assistant.push({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.name, input: part.input ?? {} });
        results.push(toolResultPart(part.toolCallId, part.name, result));
        continue;
      }
      // Text after tool calls belongs to the model's next step.
      if (results.length > 0) flush();
      if (part.type === 'text' && part.text.trim() !== '') assistant.push({ type: 'text', text: part.text });
    }
    flush();
  }
  return messages;
}

/**
 * Media types the AI SDK agent sends by default (`Agent.attachments`): the
 * server's default list, images and PDFs as file parts, text inline.
 */
export const AI_SDK_ATTACHMENT_TYPES: readonly string[] = DEFAULT_ATTACHMENT_MEDIA_TYPES;

/**
 * The messages of a turn: the history, then the user's input, with the bytes
 * of every file read through `ctx.readAttachment`.
 */
export async function modelTurnMessages(ctx: Pick<AgentContext, 'history' | 'input' | 'readAttachment'>): Promise<ModelMessage[]> {
  const files = await readTurnAttachments(ctx);
  const messages = toModelMessages(ctx.history, files);
  messages.push({ role: 'user', content: userContent([ctx.input.text], ctx.input.attachments ?? [], files) });
  return messages;
}

/** A user message's parts: its files (file parts, inline text), then its text. */
function userContent(texts: readonly string[], attachments: readonly Attachment[], files: AttachmentBytes): Exclude<UserContent, string> {
  const content: Exclude<UserContent, string> = [];
  for (const attachment of attachments) {
    const bytes = files.get(attachment.id);
    if (!bytes) content.push({ type: 'text', text: missingFileText(attachment) });
    else if (isInlineText(attachment.mediaType)) content.push({ type: 'text', text: inlineTextOf(attachment, bytes) });
    else content.push({ type: 'file', data: bytes, mediaType: attachment.mediaType, filename: attachment.name });
  }
  for (const text of texts) if (text.trim() !== '') content.push({ type: 'text', text });
  return content;
}

function settledResult(part: Extract<ChatMessage['parts'][number], { type: 'tool_call' }>): ToolCallResult | undefined {
  if (part.state === 'rejected') return { output: rejectionText(part.feedback), isError: true };
  if ((part.state === 'done' || part.state === 'error') && part.output !== undefined) {
    return { output: part.output, isError: part.state === 'error' || part.isError === true };
  }
  return undefined;
}

/** A tool's result as the tool-result part the model reads: text as text, anything else as JSON; errors marked. */
export function toolResultPart(toolCallId: string, toolName: string, result: ToolCallResult): ToolContent[number] {
  const value = result.output;
  let output: ToolResultOutput;
  if (typeof value === 'string') output = { type: result.isError ? 'error-text' : 'text', value };
  else if (value === undefined) output = { type: result.isError ? 'error-text' : 'text', value: '' };
  else output = { type: result.isError ? 'error-json' : 'json', value: JSON.parse(JSON.stringify(value)) };
  return { type: 'tool-result', toolCallId, toolName, output };
}
