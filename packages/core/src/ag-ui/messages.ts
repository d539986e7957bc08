import type { AssistantMessage, ContentPart, Message, ToolMessage } from '@ag-ui/core';
import type { ChatMessage, MessagePart, ResearchAgent, ToolCallPart } from '../messages.js';
import { rejectionText } from '../util/rejection-text.js';
import {
  AGENT_CHAT_METADATA_KEY,
  AssistantLayout,
  RESEARCH_ACTIVITY_TYPE,
  researchActivityId,
  toolResultMessageId,
} from './ids.js';

/** The text of AG-UI content (a string, or parts of which only text parts count), as `@ag-ui/core`'s `contentToText`. */
export function contentToText(content: string | ContentPart[] | undefined): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/**
 * Our fields on an AG-UI message, under `metadata["agent-chat"]`: what lets
 * `fromAgUiMessages` rebuild exactly the messages `toAgUiMessages` was given.
 */
interface MessageMeta {
  /** Our message this AG-UI message is (part of). */
  messageId?: string;
  turnId?: string;
  createdAt?: number;
  interrupted?: boolean;
  summary?: boolean;
  /** The text (or reasoning) is still streaming. */
  streaming?: boolean;
}
/** Our fields on an AG-UI tool call or tool message. */
interface ToolMeta {
  state?: ToolCallPart['state'];
  /** The input the tool runs with, when the user edited the model's. */
  input?: unknown;
  feedback?: string;
  /** The result's `content` is JSON text of a non-string output. */
  json?: boolean;
  isError?: boolean;
}

/** Reads our metadata off an AG-UI object (message, tool call, event). */
export function agentChatMeta<T extends object>(value: { metadata?: Record<string, unknown> } | undefined): Partial<T> {
  const meta = value?.metadata?.[AGENT_CHAT_METADATA_KEY];
  return meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Partial<T>) : {};
}

/** `{ metadata: { "agent-chat": fields } }` with undefined fields left out, or `{}` when none is left. */
export function withMeta(fields: object): { metadata?: Record<string, unknown> } {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return Object.keys(defined).length === 0 ? {} : { metadata: { [AGENT_CHAT_METADATA_KEY]: defined } };
}

/** A tool output as the text AG-UI carries (`TOOL_CALL_RESULT.content`): strings as they are, anything else as JSON. */
export function outputToContent(output: unknown): { content: string; json: boolean } {
  if (typeof output === 'string') return { content: output, json: false };
  return { content: JSON.stringify(output ?? null), json: true };
}

/** A tool call's input as AG-UI's argument text. */
export function inputToArguments(input: unknown): string {
  return JSON.stringify(input ?? {});
}

/** AG-UI argument text back to a value; text that is not JSON stays text. */
export function argumentsToInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The output a `TOOL_CALL_RESULT` (or tool message) stands for. */
export function contentToOutput(content: string | ContentPart[] | undefined, json: boolean | undefined): unknown {
  const text = typeof content === 'string' ? content : contentToText(content);
  if (!json) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Our conversation as AG-UI messages (for `MESSAGES_SNAPSHOT` and
 * `RUN_STARTED.input`), laid out as the live mapping lays out the same
 * answer, so that live events continue the snapshot's messages. Returns the
 * layout of each assistant message too, for the live mapping to go on from.
 */
export function toAgUiMessages(messages: readonly ChatMessage[]): { messages: Message[]; layouts: Map<string, AssistantLayout> } {
  const out: Message[] = [];
  const layouts = new Map<string, AssistantLayout>();
  for (const message of messages) {
    const meta = {
      messageId: message.id,
      turnId: message.turnId,
      createdAt: message.createdAt,
      interrupted: message.interrupted,
      summary: message.summary,
    };
    if (message.role === 'user') {
      const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
      out.push({ id: message.id, role: 'user', content: text, ...withMeta({ ...meta, messageId: undefined }) });
      continue;
    }
    const layout = new AssistantLayout(message.id);
    layouts.set(message.id, layout);
    out.push(...assistantToAgUi(message, layout, meta));
  }
  return { messages: out, layouts };
}

function assistantToAgUi(message: ChatMessage, layout: AssistantLayout, meta: MessageMeta): Message[] {
  // Blocks in order: an assistant message followed by its tool results and research activities, or a reasoning message.
  const blocks: Message[][] = [];
  const segments = new Map<string, { message: AssistantMessage; block: Message[] }>();
  const segmentFor = (id: string, started: boolean): { message: AssistantMessage; block: Message[] } => {
    let segment = segments.get(id);
    if (!segment || started) {
      const assistant: AssistantMessage = { id, role: 'assistant', ...withMeta(meta) };
      segment = { message: assistant, block: [assistant] };
      segments.set(id, segment);
      blocks.push(segment.block);
    }
    return segment;
  };
  for (const part of message.parts) {
    if (part.type === 'text') {
      const { id, started } = layout.text();
      const segment = segmentFor(id, started);
      segment.message.content = (segment.message.content ?? '') + part.text;
      if (part.state === 'streaming') Object.assign(segment.message, withMeta({ ...meta, streaming: true }));
    } else if (part.type === 'thinking') {
      blocks.push([
        {
          id: layout.reasoning(),
          role: 'reasoning',
          content: part.text,
          ...(part.signature === undefined ? {} : { encryptedValue: part.signature }),
          ...withMeta({ ...meta, streaming: part.state === 'streaming' || undefined }),
        },
      ]);
    } else {
      const id = layout.toolCall();
      const segment = segmentFor(id, !segments.has(id));
      (segment.message.toolCalls ??= []).push({
        id: part.toolCallId,
        type: 'function',
        // The arguments the model proposed; an edit the user made travels in our metadata.
        function: { name: part.name, arguments: inputToArguments(part.originalInput ?? part.input) },
        ...withMeta({
          state: part.state,
          input: part.originalInput === undefined ? undefined : part.input,
          feedback: part.feedback,
        } satisfies ToolMeta),
      });
      const result = toolResultMessage(part);
      if (result) segment.block.push(result);
      for (const agent of part.agents ?? []) {
        segment.block.push({
          id: researchActivityId(part.toolCallId, agent.agentId),
          role: 'activity',
          activityType: RESEARCH_ACTIVITY_TYPE,
          content: { toolCallId: part.toolCallId, ...agent },
        });
      }
    }
  }
  if (blocks.length === 0) blocks.push([{ id: message.id, role: 'assistant', ...withMeta(meta) }]);
  return blocks.flat();
}

function toolResultMessage(part: ToolCallPart): ToolMessage | undefined {
  if (part.output === undefined && part.state === 'rejected') {
    // As the live mapping does: a call without a result would read as one the client must answer.
    return {
      id: toolResultMessageId(part.toolCallId),
      role: 'tool',
      toolCallId: part.toolCallId,
      content: rejectionText(part.feedback),
      ...withMeta({ state: 'rejected', feedback: part.feedback } satisfies ToolMeta),
    };
  }
  if (part.output === undefined) return undefined;
  const { content, json } = outputToContent(part.output);
  return {
    id: toolResultMessageId(part.toolCallId),
    role: 'tool',
    toolCallId: part.toolCallId,
    content,
    ...(part.isError ? { error: content } : {}),
    ...withMeta({ json: json || undefined, isError: part.isError || undefined } satisfies ToolMeta),
  };
}

/**
 * AG-UI messages as our conversation: each user message as is, and each run
 * of other messages (assistant, reasoning, tool, activity) as one assistant
 * message with ordered parts. Messages we produced carry our message id in
 * their metadata, so `fromAgUiMessages(toAgUiMessages(m).messages)` is `m`
 * (research sub-agents' recent step lists aside: only the current step travels).
 * System and developer messages have no counterpart and are left out.
 */
export function fromAgUiMessages(messages: readonly Message[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let current: ChatMessage | undefined;
  const toolParts = new Map<string, ToolCallPart>();
  const explicitState = new Set<string>();
  const assistant = (message: Message): ChatMessage => {
    const meta = agentChatMeta<MessageMeta>(message as { metadata?: Record<string, unknown> });
    const id = meta.messageId ?? message.id;
    if (current && current.id === id) return current;
    if (current && meta.messageId === undefined) return current;
    current = { id, role: 'assistant', parts: [] };
    if (meta.turnId !== undefined) current.turnId = meta.turnId;
    if (meta.createdAt !== undefined) current.createdAt = meta.createdAt;
    if (meta.summary) current.summary = true;
    if (meta.interrupted) current.interrupted = true;
    out.push(current);
    return current;
  };
  for (const message of messages) {
    switch (message.role) {
      case 'user': {
        current = undefined;
        const meta = agentChatMeta<MessageMeta>(message);
        const user: ChatMessage = { id: message.id, role: 'user', parts: [{ type: 'text', text: contentToText(message.content), state: 'done' }] };
        if (meta.turnId !== undefined) user.turnId = meta.turnId;
        if (meta.createdAt !== undefined) user.createdAt = meta.createdAt;
        out.push(user);
        break;
      }
      case 'assistant': {
        const target = assistant(message);
        const meta = agentChatMeta<MessageMeta>(message);
        if (message.content) {
          target.parts.push({ type: 'text', text: message.content, state: meta.streaming ? 'streaming' : 'done' });
        }
        for (const call of message.toolCalls ?? []) {
          const toolMeta = agentChatMeta<ToolMeta>(call);
          const proposed = argumentsToInput(call.function.arguments);
          const part: ToolCallPart = {
            type: 'tool_call',
            toolCallId: call.id,
            name: call.function.name,
            input: toolMeta.input ?? proposed,
            state: toolMeta.state ?? 'done',
          };
          if (toolMeta.input !== undefined) part.originalInput = proposed;
          if (toolMeta.state !== undefined) explicitState.add(call.id);
          if (toolMeta.feedback !== undefined) part.feedback = toolMeta.feedback;
          target.parts.push(part);
          toolParts.set(call.id, part);
        }
        break;
      }
      case 'reasoning': {
        const meta = agentChatMeta<MessageMeta>(message);
        const part: MessagePart = { type: 'thinking', text: message.content, state: meta.streaming ? 'streaming' : 'done' };
        if (message.encryptedValue !== undefined) part.signature = message.encryptedValue;
        assistant(message).parts.push(part);
        break;
      }
      case 'tool': {
        const part = toolParts.get(message.toolCallId);
        if (!part) break;
        const meta = agentChatMeta<ToolMeta>(message);
        if (meta.state === 'rejected') break;
        part.output = contentToOutput(message.content, meta.json);
        part.isError = meta.isError ?? message.error !== undefined;
        if (!explicitState.has(part.toolCallId) && part.isError) part.state = 'error';
        break;
      }
      case 'activity': {
        if (message.activityType !== RESEARCH_ACTIVITY_TYPE) break;
        const { toolCallId, ...agent } = message.content as { toolCallId: string } & ResearchAgent;
        const part = toolParts.get(toolCallId);
        if (part) part.agents = [...(part.agents ?? []), agent];
        break;
      }
      default:
        break;
    }
  }
  return out;
}
