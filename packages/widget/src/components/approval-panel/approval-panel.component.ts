import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ApprovalDecision, PendingApproval } from '@agent-chat/core';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { summarizeInput } from '../../util/tool-format.js';
import { loadPendingEdits, pendingEditsStorageKey, savePendingEdits } from '../../util/pending-edits.js';
import { AgentChatApproveEvent } from '../../events/approve-event.js';
import { AgentChatToolSelectEvent } from '../../events/tool-select-event.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { toolPartStyles } from '../../styles/tool-parts.styles.js';
import { approvalPanelStyles } from './approval-panel.styles.js';

/**
 * The tool calls waiting for the user's decision: per call Approve or Reject
 * with optional feedback, Edit (opens the input in the code panel) and an
 * "(edited)" badge once edited; Approve all / Reject all when several wait.
 * Decisions on some calls are held until every call is decided, then
 * `agent-chat-approve` carries them all (with edited inputs on approved calls).
 * Keyboard: every control is a native button or input in tab order, and
 * {@link AgentChatApprovals.focusFirst} moves focus to the first decision.
 * Enter in the feedback field rejects with that feedback; Escape leaves the
 * field (focus goes to the call's row) and keeps what was typed.
 *
 * @tagname agent-chat-approvals
 * @summary Approve or reject pending tool calls.
 *
 * @event {AgentChatApproveEvent} agent-chat-approve - Every pending call is decided (`detail.approvals`).
 * @event {AgentChatToolSelectEvent} agent-chat-tool-select - The user asked to edit a call's input (`detail.edit`).
 *
 * @csspart approvals - The panel.
 * @csspart approvals-header - Title, count and the approve all / reject all buttons.
 * @csspart approval - One call's row.
 * @csspart approval-name - The tool's name in a row.
 * @csspart approval-reason - Why the call needs approval, when the server says.
 * @csspart feedback - The text field for a rejection's feedback.
 * @csspart approve-button - A call's Approve button.
 * @csspart reject-button - A call's Reject button.
 * @csspart edit-button - Opens the call's input in the code panel for editing.
 * @csspart approve-all - Approve all.
 * @csspart reject-all - Reject all.
 * @csspart edited-badge - "(edited)".
 *
 * @cssproperty [--agent-chat-accent=#b8532f] - Border and primary buttons.
 */
export class AgentChatApprovals extends LitElement {
  static override styles = [themeStyles, toolPartStyles, approvalPanelStyles];

  /**
   * For `<agent-chat>`: the edited inputs it keeps in sessionStorage across reloads
   * (util/pending-edits.ts). Here, so the prebuilt bundle loads them with the approval bar, not at once.
   * @internal
   */
  static readonly pendingEdits = { key: pendingEditsStorageKey, load: loadPendingEdits, save: savePendingEdits };

  static override properties = {
    approvals: { attribute: false },
    edits: { attribute: false },
    busy: { type: Boolean, reflect: true },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** The pending calls, as in the conversation's `pendingApprovals`. */
  declare approvals: PendingApproval[];
  /** Edited inputs by tool call id; an approved call is sent with its edit. */
  declare edits: ReadonlyMap<string, unknown>;
  /** Decisions are being sent: every control is disabled. */
  declare busy: boolean;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  #decisions = new Map<string, 'approve' | 'reject'>();
  #feedback = new Map<string, string>();

  constructor() {
    super();
    this.approvals = [];
    this.edits = new Map();
    this.busy = false;
    this.strings = {};
    this.theme = undefined;
  }

  /**
   * Moves focus to the Approve button of the call `toolCallId` when it is
   * undecided, else to the first undecided call's. Resolves false when there is none.
   */
  async focusFirst(toolCallId?: string): Promise<boolean> {
    await this.updateComplete;
    const own = toolCallId === undefined ? null : this.renderRoot.querySelector<HTMLButtonElement>(`[data-tool-call-id="${CSS.escape(toolCallId)}"] button[data-approve]:not(:disabled)`);
    const button = own ?? this.renderRoot.querySelector<HTMLButtonElement>('button[data-approve]:not(:disabled)');
    button?.focus();
    return button !== null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('approvals')) return;
    // Forget decisions and feedback of calls that no longer wait.
    const ids = new Set(this.approvals.map((a) => a.toolCallId));
    for (const id of this.#decisions.keys()) if (!ids.has(id)) this.#decisions.delete(id);
    for (const id of this.#feedback.keys()) if (!ids.has(id)) this.#feedback.delete(id);
  }

  #decision(approval: PendingApproval, decision: 'approve' | 'reject'): ApprovalDecision {
    const id = approval.toolCallId;
    const feedback = this.#feedback.get(id)?.trim();
    if (decision === 'reject') return { toolCallId: id, decision, ...(feedback ? { feedback } : {}) };
    return this.edits.has(id) ? { toolCallId: id, decision, input: this.edits.get(id) } : { toolCallId: id, decision };
  }

  #decide(approval: PendingApproval, decision: 'approve' | 'reject'): void {
    this.#decisions.set(approval.toolCallId, decision);
    if (this.approvals.every((a) => this.#decisions.has(a.toolCallId))) {
      this.#submit(this.approvals.map((a) => this.#decision(a, this.#decisions.get(a.toolCallId)!)));
    } else {
      this.requestUpdate();
      // Keep the keyboard flowing to the next undecided call.
      void this.updateComplete.then(() => this.focusFirst());
    }
  }

  #decideAll(decision: 'approve' | 'reject'): void {
    this.#submit(this.approvals.map((a) => this.#decision(a, decision)));
  }

  #submit(approvals: ApprovalDecision[]): void {
    this.dispatchEvent(new AgentChatApproveEvent({ approvals }));
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.approvals.length === 0) return nothing;
    const s = resolveStrings(this.strings);
    const many = this.approvals.length > 1;
    const title = many ? format(s.approvalsWaiting, { count: this.approvals.length }) : s.approvalsTitle;
    return html`<section class="panel" part="approvals" aria-label=${title}>
      <div class="header" part="approvals-header">
        <span class="title">${title}</span>
        ${many
          ? html`<button type="button" class="danger" part="reject-all" data-reject-all ?disabled=${this.busy} @click=${() => this.#decideAll('reject')}>
                ${s.rejectAll}
              </button>
              <button type="button" class="primary" part="approve-all" data-approve-all ?disabled=${this.busy} @click=${() => this.#decideAll('approve')}>
                ${s.approveAll}
              </button>`
          : nothing}
      </div>
      <ul class="list">
        ${repeat(this.approvals, (a) => a.toolCallId, (a) => this.#renderApproval(a, s))}
      </ul>
    </section>`;
  }

  #renderApproval(approval: PendingApproval, s: AgentChatStrings): TemplateResult {
    const id = approval.toolCallId;
    const name = approval.name;
    const decided = this.#decisions.get(id);
    const edited = this.edits.has(id);
    const input = edited ? this.edits.get(id) : approval.input;
    return html`<li class="approval" part="approval" data-tool-call-id=${id}>
      <div class="approval-body" role="group" tabindex="-1" aria-label=${format(s.approvalLabel, { name })}>
      <div class="row">
        <span class="name" part="approval-name">${name}</span>
        ${edited ? html`<span class="edited" part="edited-badge" data-edited>${s.edited}</span>` : nothing}
        <span class="summary">${summarizeInput(input)}</span>
        ${approval.reason ? html`<span class="reason" part="approval-reason">${approval.reason}</span>` : nothing}
      </div>
      ${decided
        ? html`<div class="decision">${decided === 'approve' ? s.decisionApproved : s.decisionRejected}</div>`
        : html`<div class="controls">
            <input
              type="text"
              part="feedback"
              aria-label=${format(s.feedbackLabel, { name })}
              placeholder=${s.feedbackPlaceholder}
              .value=${this.#feedback.get(id) ?? ''}
              ?disabled=${this.busy}
              @input=${(e: InputEvent) => this.#feedback.set(id, (e.target as HTMLInputElement).value)}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'Enter' && !e.isComposing) {
                  e.preventDefault();
                  this.#decide(approval, 'reject');
                } else if (e.key === 'Escape' && !e.isComposing) {
                  // Leaves the field, keeping what was typed; never stops the turn.
                  e.preventDefault();
                  e.stopPropagation();
                  (e.target as HTMLElement).closest<HTMLElement>('.approval-body')?.focus();
                }
              }}
            />
            ${this.#callButton('edit', '', format(s.editInputLabel, { name }), s.editInput, () =>
              this.dispatchEvent(new AgentChatToolSelectEvent({ toolCallId: id, edit: true })),
            )}
            ${this.#callButton('reject', 'danger', format(s.rejectLabel, { name }), s.reject, () => this.#decide(approval, 'reject'))}
            ${this.#callButton('approve', 'primary', format(s.approveLabel, { name }), s.approve, () => this.#decide(approval, 'approve'))}
          </div>`}
      </div>
    </li>`;
  }

  /** A call's button, with its part (`edit-button`, `reject-button`, `approve-button`) and `data-<kind>`. */
  #callButton(kind: 'edit' | 'reject' | 'approve', className: string, label: string, text: string, onClick: () => void): TemplateResult {
    // The part names are spelled out so that the custom-elements.json check can read them from the source.
    return html`<button type="button" class=${className} part=${{ edit: 'edit-button', reject: 'reject-button', approve: 'approve-button' }[kind]} aria-label=${label}
      ?data-edit=${kind === 'edit'} ?data-reject=${kind === 'reject'} ?data-approve=${kind === 'approve'}
      ?disabled=${this.busy} @click=${onClick}>${text}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-approvals': AgentChatApprovals;
  }
}
