/**
 * How agent-chat's ids become AG-UI ids, in one place, so the live mapping
 * (`AgentChatToAgUi`) and the conversation snapshot (`toAgUiMessages`) name
 * the same AG-UI message the same way, and a client that got a
 * `MESSAGES_SNAPSHOT` can go on receiving live events for it.
 */

/** The key of our fields inside AG-UI `metadata` objects (AG-UI reserves only `ag-ui`). */
export const AGENT_CHAT_METADATA_KEY = 'agent-chat';

/** `activityType` of the `ACTIVITY_SNAPSHOT`s that carry a research sub-agent's progress. */
export const RESEARCH_ACTIVITY_TYPE = 'agent-chat.research';

/** Names of the `CUSTOM` events that carry what AG-UI has no event for. */
export const CUSTOM_EVENT = {
  title: 'agent-chat.title',
  usage: 'agent-chat.usage',
  toolStateChange: 'agent-chat.tool_state_change',
  compacted: 'agent-chat.compacted',
} as const;

/** `Interrupt.reason` of a tool approval (the convention of the AG-UI SDKs). */
export const TOOL_APPROVAL_REASON = 'tool_approval';

/** The AG-UI tool message that holds a tool call's result. */
export const toolResultMessageId = (toolCallId: string): string => `${toolCallId}:result`;
/** The AG-UI `subagentRunId` of one research sub-agent working for a tool call. */
export const subagentRunId = (toolCallId: string, agentId: string): string => `${toolCallId}:${agentId}`;
/** The AG-UI activity message that shows one research sub-agent's progress. */
export const researchActivityId = (toolCallId: string, agentId: string): string => `${toolCallId}:research:${agentId}`;

/**
 * Our assistant message is one message with ordered parts (text, thinking,
 * tool calls); AG-UI spreads the same answer over several messages in order:
 * assistant messages (text and the tool calls that follow it), reasoning
 * messages, tool messages. This decides which AG-UI message a part goes to:
 * text or a tool call continues the current assistant message while nothing
 * else was put after it (and text never follows a tool call in one message,
 * where it would read as written before the call); otherwise a new assistant
 * message starts. The first keeps our message's id, the next ones `<id>:2`, `<id>:3`, ...
 */
export class AssistantLayout {
  #segments = 0;
  #segmentHasTools = false;
  /** Whether the current assistant message is still the last AG-UI message of this answer. */
  #segmentIsLast = false;
  #reasoning = 0;

  constructor(readonly messageId: string) {}

  /** The assistant message the current segment is, if one was started. */
  get current(): string | undefined {
    return this.#segments === 0 ? undefined : this.#segmentId(this.#segments);
  }

  /** The assistant message a run of text goes to; `started` when it is a new one. */
  text(): { id: string; started: boolean } {
    const started = !this.#segmentIsLast || this.#segmentHasTools;
    if (started) this.#start();
    return { id: this.current!, started };
  }

  /** The assistant message a tool call goes to. */
  toolCall(): string {
    if (!this.#segmentIsLast) this.#start();
    this.#segmentHasTools = true;
    return this.current!;
  }

  /** A new reasoning message, placed after everything so far. */
  reasoning(): string {
    this.#segmentIsLast = false;
    return `${this.messageId}:reasoning:${++this.#reasoning}`;
  }

  #start(): void {
    this.#segments += 1;
    this.#segmentHasTools = false;
    this.#segmentIsLast = true;
  }

  #segmentId(n: number): string {
    return n === 1 ? this.messageId : `${this.messageId}:${n}`;
  }
}
