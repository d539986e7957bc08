import type { AgentEvent, EventOf } from './events.js';
import type {
  ChatMessage,
  MessagePart,
  PendingApproval,
  ResearchAgent,
  ToolCallPart,
  UsageTotals,
} from './messages.js';
import type { SessionMessages } from './api.js';
import { addUsage } from './usage.js';

/** How many recent steps of a research sub-agent the state keeps. */
export const RESEARCH_STEPS_KEPT = 5;

/**
 * The view model of one conversation, built by {@link reduce}. Immutable: every
 * change returns a new object, and only the changed message is replaced, so
 * renderers can compare by reference.
 */
export interface ConversationState {
  sessionId?: string;
  messages: ChatMessage[];
  /** Tool calls waiting for the user's decision. */
  pendingApprovals: PendingApproval[];
  /** `running` from `processing` to the turn's end; `awaiting_approval` while `pendingApprovals` is not empty. */
  status: 'idle' | 'running' | 'awaiting_approval';
  turnId?: string;
  title?: string;
  usage: { turn?: UsageTotals; session?: UsageTotals };
  /** The last turn's error, cleared when the next turn starts. */
  error?: { code: string; message: string; retryable: boolean };
  /** Id of the newest event applied (0 before any). Events at or below it are ignored. */
  lastEventId: number;
}

/** An empty conversation. */
export function createConversationState(sessionId?: string): ConversationState {
  return { sessionId, messages: [], pendingApprovals: [], status: 'idle', usage: {}, lastEventId: 0 };
}

/** The state described by a `GET {base}/session/:id/messages` answer. */
export function stateFromSessionMessages(body: SessionMessages, sessionId?: string): ConversationState {
  return reduce(
    createConversationState(sessionId),
    { type: 'snapshot', ...body },
    body.lastEventId,
  );
}

/**
 * Applies one event to the conversation. Pure: never mutates `state`.
 *
 * @param id The event's sequence number (SSE `id`). When given, an event at or
 *   below `state.lastEventId` is a duplicate and returns `state` unchanged, so a
 *   log delivered in overlapping pieces (reconnects, replays from an older
 *   cursor) builds the same state as the log delivered once. A `snapshot` also
 *   applies at `state.lastEventId` itself (it describes the state at its id);
 *   one below it is stale and ignored like any other replayed event.
 */
export function reduce(state: ConversationState, event: AgentEvent, id?: number): ConversationState {
  if (id !== undefined && (event.type === 'snapshot' ? id < state.lastEventId : id <= state.lastEventId)) return state;
  const next = apply(state, event);
  return id === undefined || next.lastEventId === id ? next : { ...next, lastEventId: id };
}

function apply(state: ConversationState, event: AgentEvent): ConversationState {
  switch (event.type) {
    case 'ready':
      return state.sessionId === event.sessionId ? state : { ...state, sessionId: event.sessionId };
    case 'processing':
      return startTurn(state, event);
    case 'assistant_chunk':
      return appendDelta(state, event.messageId, 'text', event.delta);
    case 'thinking_chunk':
      return appendDelta(state, event.messageId, 'thinking', event.delta);
    case 'assistant_stream_end':
      return closeOpenPart(state, event.messageId, 'text');
    case 'thinking_end':
      return closeOpenPart(state, event.messageId, 'thinking', event.signature);
    case 'tool_call':
      return updateMessage(state, event.messageId, (message) => ({
        ...message,
        parts: [
          ...closeParts(message.parts),
          { type: 'tool_call', toolCallId: event.toolCallId, name: event.name, input: event.input, state: 'running' },
        ],
      }));
    case 'tool_output':
      return updateToolCall(state, event.toolCallId, (part) => ({
        ...part,
        output: event.output,
        isError: event.isError,
        state: event.isError ? 'error' : 'done',
      }));
    case 'approval_required':
      return requireApproval(state, event);
    case 'tool_state_change':
      return changeToolState(state, event);
    case 'tool_log':
      return updateToolCall(state, event.toolCallId, (part) => ({
        ...part,
        agents: upsertAgent(part.agents ?? [], event.agent),
      }));
    case 'usage':
      return {
        ...state,
        usage: {
          turn: event.scope === 'turn' ? event.usage : addUsage(state.usage.turn, event.usage),
          session: event.cumulative,
        },
      };
    case 'title':
      return { ...state, title: event.title };
    case 'compacted':
      return event.messages ? { ...state, messages: event.messages } : state;
    case 'snapshot':
      return {
        ...state,
        messages: event.messages,
        pendingApprovals: event.pendingApprovals,
        status: !event.processing ? 'idle' : event.pendingApprovals.length > 0 ? 'awaiting_approval' : 'running',
        turnId: event.processing ? event.turnId : undefined,
        title: event.title ?? state.title,
        usage: { ...state.usage, session: event.usage ?? state.usage.session },
      };
    case 'turn_complete':
      return endTurn(state, 'done');
    case 'interrupted':
      return endTurn(state, 'interrupted');
    case 'error':
      return {
        ...endTurn(state, 'error'),
        error: { code: event.code, message: event.message, retryable: event.retryable },
      };
    case 'shutdown':
      return state.status === 'idle' ? state : endTurn(state, 'interrupted');
    default:
      return state;
  }
}

function startTurn(state: ConversationState, event: EventOf<'processing'>): ConversationState {
  const messages = [...state.messages];
  if (event.userMessage && !messages.some((m) => m.id === event.userMessage!.id)) {
    messages.push({
      id: event.userMessage.id,
      role: 'user',
      parts: [{ type: 'text', text: event.userMessage.text, state: 'done' }],
      turnId: event.turnId,
      createdAt: event.userMessage.createdAt,
      ...(event.userMessage.attachments?.length ? { attachments: event.userMessage.attachments } : {}),
    });
  }
  if (!messages.some((m) => m.id === event.assistantMessageId)) {
    messages.push({ id: event.assistantMessageId, role: 'assistant', parts: [], turnId: event.turnId });
  }
  return {
    ...state,
    messages,
    status: state.pendingApprovals.length > 0 ? 'awaiting_approval' : 'running',
    turnId: event.turnId,
    error: undefined,
    usage: event.userMessage ? { ...state.usage, turn: undefined } : state.usage,
  };
}

/** Replaces the message with `id` (searching from the newest), creating an assistant message if absent. */
function updateMessage(
  state: ConversationState,
  id: string,
  update: (message: ChatMessage) => ChatMessage,
): ConversationState {
  const index = state.messages.findLastIndex((m) => m.id === id);
  const messages = [...state.messages];
  if (index === -1) {
    messages.push(update({ id, role: 'assistant', parts: [], turnId: state.turnId }));
  } else {
    messages[index] = update(messages[index]!);
  }
  return { ...state, messages };
}

function appendDelta(
  state: ConversationState,
  messageId: string,
  kind: 'text' | 'thinking',
  delta: string,
): ConversationState {
  return updateMessage(state, messageId, (message) => {
    const last = message.parts.at(-1);
    if (last && last.type === kind && last.state === 'streaming') {
      return { ...message, parts: [...message.parts.slice(0, -1), { ...last, text: last.text + delta }] };
    }
    return { ...message, parts: [...closeParts(message.parts), { type: kind, text: delta, state: 'streaming' }] };
  });
}

function closeOpenPart(
  state: ConversationState,
  messageId: string,
  kind: 'text' | 'thinking',
  signature?: string,
): ConversationState {
  const message = state.messages.findLast((m) => m.id === messageId);
  const index = message?.parts.findLastIndex((p) => p.type === kind && p.state === 'streaming') ?? -1;
  if (!message || index === -1) return state;
  return updateMessage(state, messageId, (m) => {
    const parts = [...m.parts];
    const part = parts[index] as Extract<MessagePart, { type: 'text' | 'thinking' }>;
    parts[index] = signature === undefined ? { ...part, state: 'done' } : { ...part, state: 'done', signature };
    return { ...m, parts };
  });
}

/** Marks streaming text and thinking parts done. Returns the same array when nothing streams. */
function closeParts(parts: MessagePart[]): MessagePart[] {
  if (!parts.some((p) => (p.type === 'text' || p.type === 'thinking') && p.state === 'streaming')) return parts;
  return parts.map((p) => ((p.type === 'text' || p.type === 'thinking') && p.state === 'streaming' ? { ...p, state: 'done' } : p));
}

function updateToolCall(
  state: ConversationState,
  toolCallId: string,
  update: (part: ToolCallPart) => ToolCallPart,
): ConversationState {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const message = state.messages[i]!;
    const index = message.parts.findIndex((p) => p.type === 'tool_call' && p.toolCallId === toolCallId);
    if (index === -1) continue;
    const parts = [...message.parts];
    parts[index] = update(parts[index] as ToolCallPart);
    const messages = [...state.messages];
    messages[i] = { ...message, parts };
    return { ...state, messages };
  }
  return state;
}

function requireApproval(state: ConversationState, event: EventOf<'approval_required'>): ConversationState {
  let next = state;
  for (const tool of event.tools) {
    const known = next.messages.some((m) =>
      m.parts.some((p) => p.type === 'tool_call' && p.toolCallId === tool.toolCallId),
    );
    next = known
      ? updateToolCall(next, tool.toolCallId, (part) => ({ ...part, state: 'awaiting_approval' }))
      : updateMessage(next, event.messageId, (message) => ({
          ...message,
          parts: [
            ...closeParts(message.parts),
            { type: 'tool_call', toolCallId: tool.toolCallId, name: tool.name, input: tool.input, state: 'awaiting_approval' },
          ],
        }));
  }
  const pending = [
    ...next.pendingApprovals.filter((p) => !event.tools.some((t) => t.toolCallId === p.toolCallId)),
    ...event.tools,
  ];
  return { ...next, pendingApprovals: pending, status: 'awaiting_approval', turnId: event.turnId };
}

function changeToolState(state: ConversationState, event: EventOf<'tool_state_change'>): ConversationState {
  const next = updateToolCall(state, event.toolCallId, (part) => {
    const updated: ToolCallPart = { ...part, state: event.state };
    if (event.input !== undefined) {
      updated.originalInput = part.originalInput ?? part.input;
      updated.input = event.input;
    }
    if (event.feedback !== undefined) updated.feedback = event.feedback;
    return updated;
  });
  if (event.state === 'awaiting_approval') return next;
  const pendingApprovals = next.pendingApprovals.filter((p) => p.toolCallId !== event.toolCallId);
  if (pendingApprovals.length === next.pendingApprovals.length) return next;
  const status = pendingApprovals.length > 0 ? 'awaiting_approval' : next.status === 'idle' ? 'idle' : 'running';
  return { ...next, pendingApprovals, status };
}

function upsertAgent(agents: ResearchAgent[], update: EventOf<'tool_log'>['agent']): ResearchAgent[] {
  const index = agents.findIndex((a) => a.agentId === update.agentId);
  const previous = index === -1 ? undefined : agents[index]!;
  const steps = previous?.steps ?? [];
  const merged: ResearchAgent = {
    ...previous,
    ...update,
    steps:
      update.step && steps.at(-1) !== update.step ? [...steps, update.step].slice(-RESEARCH_STEPS_KEPT) : steps,
  };
  return index === -1 ? [...agents, merged] : agents.map((a, i) => (i === index ? merged : a));
}

/**
 * Ends the running turn: closes streaming parts and settles tool calls that
 * will never finish. A stopped turn also marks its answer `interrupted`: the
 * current turn's message, or without a known turn any message it had to close.
 */
function endTurn(state: ConversationState, outcome: 'done' | 'interrupted' | 'error'): ConversationState {
  const unsettled = outcome === 'error' ? 'error' : 'interrupted';
  const messages = state.messages.map((message) => {
    if (message.role !== 'assistant' || (state.turnId && message.turnId && message.turnId !== state.turnId)) {
      return message;
    }
    let changed = false;
    const parts = message.parts.map((part): MessagePart => {
      if ((part.type === 'text' || part.type === 'thinking') && part.state === 'streaming') {
        changed = true;
        return { ...part, state: 'done' };
      }
      if (part.type === 'tool_call' && ['running', 'awaiting_approval', 'approved'].includes(part.state)) {
        changed = true;
        return { ...part, state: unsettled };
      }
      return part;
    });
    const ofThisTurn = state.turnId !== undefined && message.turnId === state.turnId;
    if (outcome === 'interrupted' && !message.interrupted && (changed || ofThisTurn)) return { ...message, parts, interrupted: true };
    return changed ? { ...message, parts } : message;
  });
  return { ...state, messages, pendingApprovals: [], status: 'idle', turnId: undefined };
}
