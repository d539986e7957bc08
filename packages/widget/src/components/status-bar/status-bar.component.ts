import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { ConversationState, ToolCallPart, UsageTotals } from '@agent-chat/core';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { formatCost, formatTokens } from '../../util/format.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { statusBarStyles } from './status-bar.styles.js';

/** What the agent is doing now, as the status bar shows it. */
export type Activity =
  | { kind: 'idle' }
  | { kind: 'thinking' }
  | { kind: 'responding' }
  | { kind: 'tool'; name: string; toolCallId: string }
  | { kind: 'approval' }
  | { kind: 'connecting' }
  | { kind: 'offline' };

/**
 * Whether the conversation's session is open: `connecting` while it is being
 * opened, `failed` when it could not be (the status then says so instead of
 * "Ready" or what the last state known was doing).
 */
export type ConnectionState = 'connecting' | 'open' | 'failed';

/** The running tool call of the latest assistant message (the newest one when several run in parallel). */
export function runningToolCall(state: ConversationState): ToolCallPart | undefined {
  const last = state.messages.at(-1);
  if (!last || last.role !== 'assistant' || state.status === 'idle') return undefined;
  return last.parts.findLast(
    (p): p is ToolCallPart => p.type === 'tool_call' && (p.state === 'running' || p.state === 'approved'),
  );
}

/** Derives the activity from the conversation: waiting for approval, a running tool, streaming text or thinking. */
export function activityOf(state: ConversationState): Activity {
  if (state.status === 'idle') return { kind: 'idle' };
  if (state.status === 'awaiting_approval') return { kind: 'approval' };
  const tool = runningToolCall(state);
  if (tool) return { kind: 'tool', name: tool.name, toolCallId: tool.toolCallId };
  const last = state.messages.at(-1)?.parts.at(-1);
  if (last?.type === 'text' && last.state === 'streaming') return { kind: 'responding' };
  return { kind: 'thinking' };
}

/**
 * The activity status bar: what the agent is doing (thinking, running tool X,
 * waiting for approval) and the tokens and cost (USD) of the turn and the
 * session, updated live from the conversation. A cost of 0 is taken as
 * unknown and not shown. Until a session is open (`connection`), it says
 * "Connecting…" or "Not connected" instead.
 *
 * @tagname agent-chat-status
 * @summary Activity and usage of a conversation.
 *
 * @csspart status-bar - The bar.
 * @csspart activity - The activity label with its indicator.
 * @csspart usage - The usage figures.
 * @csspart turn-usage - Tokens and cost of the current (or last) turn.
 * @csspart session-usage - Tokens and cost of the whole session.
 *
 * @cssproperty [--agent-chat-muted=#63666d] - Text color of the figures.
 * @cssproperty [--agent-chat-accent=#b8532f] - The activity indicator.
 */
export class AgentChatStatus extends LitElement {
  static override styles = [themeStyles, statusBarStyles];

  static override properties = {
    conversation: { attribute: false },
    connection: { type: String },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** The conversation as core's `reduce()` builds it. */
  declare conversation: ConversationState | undefined;
  /** Whether the session is open (`<agent-chat>` sets it); default `open`, i.e. the conversation alone decides. */
  declare connection: ConnectionState;
  /** Replacements for any UI string. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark`, `light`, or unset to follow `prefers-color-scheme` (`inherit` inside `<agent-chat>`).
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  constructor() {
    super();
    this.conversation = undefined;
    this.connection = 'open';
    this.strings = {};
    this.theme = undefined;
  }

  protected override render(): TemplateResult {
    const s = resolveStrings(this.strings);
    const state = this.conversation;
    const activity: Activity =
      this.connection === 'failed'
        ? { kind: 'offline' }
        : this.connection === 'connecting'
          ? { kind: 'connecting' }
          : state
            ? activityOf(state)
            : { kind: 'idle' };
    const label =
      activity.kind === 'offline'
        ? s.statusNotConnected
        : activity.kind === 'connecting'
          ? s.statusConnecting
          : activity.kind === 'thinking'
        ? s.statusThinking
        : activity.kind === 'responding'
          ? s.statusResponding
          : activity.kind === 'tool'
            ? format(s.statusRunningTool, { name: activity.name })
            : activity.kind === 'approval'
              ? s.statusAwaitingApproval
              : s.statusIdle;
    const turn = state?.usage.turn;
    const session = state?.usage.session;
    // A cost of 0 means none is known (an agent without a price for its model, the offline demo): no "$0.00".
    const figures = (usage: UsageTotals, withCost: string, tokensOnly: string) => {
      const tokens = `${formatTokens(usage.inputTokens + usage.outputTokens)} ${s.tokens}`;
      return usage.costUsd > 0 ? format(withCost, { tokens, cost: formatCost(usage.costUsd) }) : format(tokensOnly, { tokens });
    };
    return html`<div class="bar" part="status-bar" data-activity=${activity.kind}>
      <span class="activity ${activity.kind}" part="activity">
        <span class="dot" aria-hidden="true"></span>
        <span class="visually-hidden">${s.statusLabel}:</span>
        <span class="label">${label}</span>
      </span>
      <span class="usage" part="usage">
        ${turn
          ? html`<span part="turn-usage" data-turn-usage>${figures(turn, s.turnUsage, s.turnUsageTokens)}</span>`
          : nothing}
        ${session
          ? html`<span part="session-usage" data-session-usage>${figures(session, s.sessionUsage, s.sessionUsageTokens)}</span>`
          : nothing}
      </span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-status': AgentChatStatus;
  }
}
