/** Detail of {@link AgentChatInputEditEvent}. */
export interface AgentChatInputEditDetail {
  /** The pending tool call whose input was edited. */
  toolCallId: string;
  /** The edited input, valid JSON that passed the tool's schema; `undefined` when reset to the original. */
  input: unknown;
  /** What the user did: `save` ("Use this input" in the editor, even with the input unchanged) or `reset` (back to the model's input). */
  action?: 'save' | 'reset';
}

/** `agent-chat-input-edit`: the user edited (or reset) the input of a tool call waiting for approval. */
export class AgentChatInputEditEvent extends Event {
  static readonly type = 'agent-chat-input-edit';
  readonly detail: AgentChatInputEditDetail;
  constructor(detail: AgentChatInputEditDetail) {
    super(AgentChatInputEditEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'agent-chat-input-edit': AgentChatInputEditEvent;
  }
}
