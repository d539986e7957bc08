import type { ChatMessage, ToolCallPart } from '@agent-chat/core';
import type { UIMessage } from 'ai';
import { DATA_PART, UNFINISHED_TOOL_ERROR } from './to-ui-message-chunks.js';

type UIPart = UIMessage['parts'][number];

/**
 * Our conversation as the AI SDK's `UIMessage`s, parts as
 * `AgentChatToUIMessageChunks` streams them (tool calls as dynamic tools,
 * research progress as `data-research` parts), for `useChat({ messages })`
 * or an endpoint's history. Ids are kept, so a resumed stream continues the
 * right message.
 */
export function toUIMessages(messages: readonly ChatMessage[]): UIMessage[] {
  return messages.map((message): UIMessage => {
    const metadata = message.turnId !== undefined ? { turnId: message.turnId } : undefined;
    if (message.role === 'user') {
      const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
      return { id: message.id, role: 'user', parts: [{ type: 'text', text }], ...(metadata ? { metadata } : {}) };
    }
    const parts: UIPart[] = [];
    for (const part of message.parts) {
      if (part.type === 'text') parts.push({ type: 'text', text: part.text, state: part.state });
      else if (part.type === 'thinking') {
        parts.push({
          type: 'reasoning',
          text: part.text,
          state: part.state,
          ...(part.signature !== undefined ? { providerMetadata: { anthropic: { signature: part.signature } } } : {}),
        });
      } else {
        parts.push(toolPart(part));
        if (part.originalInput !== undefined) {
          // As streamed: the tool part keeps the model's input; the user's edit is a data part.
          parts.push({ type: DATA_PART.toolState, id: part.toolCallId, data: { toolCallId: part.toolCallId, state: 'approved', input: part.input } } as UIPart);
        }
        for (const agent of part.agents ?? []) {
          const { steps: _steps, ...progress } = agent;
          parts.push({ type: DATA_PART.research, id: `${part.toolCallId}:${agent.agentId}`, data: { toolCallId: part.toolCallId, ...progress } } as UIPart);
        }
      }
    }
    return { id: message.id, role: 'assistant', parts, ...(metadata ? { metadata } : {}) };
  });
}

function toolPart(part: ToolCallPart): UIPart {
  const base = { type: 'dynamic-tool' as const, toolName: part.name, toolCallId: part.toolCallId, input: part.originalInput ?? part.input ?? {} };
  const approval = <A extends boolean>(approved: A) => ({ id: part.toolCallId, approved, ...(part.feedback !== undefined ? { reason: part.feedback } : {}) });
  switch (part.state) {
    case 'awaiting_approval':
      return { ...base, state: 'approval-requested', approval: { id: part.toolCallId } };
    case 'approved':
      return { ...base, state: 'approval-responded', approval: approval(true) };
    case 'rejected':
      return { ...base, state: 'output-denied', approval: approval(false) };
    case 'done':
      return { ...base, state: 'output-available', output: part.output };
    case 'error':
      return { ...base, state: 'output-error', errorText: part.output === undefined ? UNFINISHED_TOOL_ERROR : typeof part.output === 'string' ? part.output : JSON.stringify(part.output) };
    default:
      // running, interrupted: the input is all there is.
      return { ...base, state: 'input-available' };
  }
}
