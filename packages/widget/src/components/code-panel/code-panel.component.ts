import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { PendingApproval, ToolCallPart } from '@agent-chat/core';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { prettyJson } from '../../util/tool-format.js';
import { lineDiff } from '../../util/line-diff.js';
import { validateJsonSchema, type SchemaIssue } from '../../util/json-schema.js';
import { isResearchReport } from '../../util/research-report.js';
import { AgentChatInputEditEvent } from '../../events/input-edit-event.js';
import { AgentChatPanelPinEvent } from '../../events/panel-pin-event.js';
import { AgentChatPanelCloseEvent } from '../../events/panel-close-event.js';
import { StreamingMarkdown } from '../../markdown/streaming-markdown.js';
import { loadHeldImage } from '../../markdown/safe-markdown.js';
import { markdownStyles } from '../../styles/markdown.styles.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { toolPartStyles } from '../../styles/tool-parts.styles.js';
import { codePanelStyles } from './code-panel.styles.js';

/**
 * Side panel showing one tool call's input and output in full. While it is
 * not pinned, the owner (`<agent-chat>`) points it at the running tool, so it
 * follows the agent; Pin keeps the current call. For a call waiting for
 * approval the input can be edited: the edit must be JSON and, when the server
 * sent the tool's JSON Schema (`inputSchema`), match it; a line diff against
 * the model's input shows what changed. A research call's report (a call with
 * sub-agents and string output) is shown as the widget's safe markdown; any
 * other output as text.
 *
 * @tagname agent-chat-code-panel
 * @summary A tool call's input and output, with editing for approvals.
 *
 * @event {AgentChatInputEditEvent} agent-chat-input-edit - The user saved (or reset) an edit of a pending call's input.
 * @event {AgentChatPanelPinEvent} agent-chat-panel-pin - The user pinned or unpinned the call.
 * @event {AgentChatPanelCloseEvent} agent-chat-panel-close - The user closed the panel.
 *
 * @csspart panel - The panel.
 * @csspart panel-header - Name, state, view switch, pin and close.
 * @csspart panel-body - The code.
 * @csspart load-image - The button standing in for a remote image in rendered output until the user loads it.
 * @csspart editor - The textarea editing an input.
 * @csspart diff - The diff of original and edited input.
 * @csspart validation - Validation errors of an edit.
 *
 * @cssproperty [--agent-chat-code-background=#f4f4f5] - Code background.
 */
export class AgentChatCodePanel extends LitElement {
  static override styles = [themeStyles, markdownStyles, toolPartStyles, codePanelStyles];

  /**
   * For `<agent-chat>` closing its panel: where focus goes back to inside `root`. The button that
   * opened the panel (`opener`); else, for an edit, the call's Edit on the approval bar; else the
   * card the panel showed; else undefined (the composer). Here rather than in `<agent-chat>`, so
   * the prebuilt bundle loads it with the panel, not at once.
   * @internal
   */
  static returnFocusTarget(
    root: ParentNode,
    toolCallId: string | undefined,
    opener: { element: HTMLElement | undefined; edit: boolean } | undefined,
  ): HTMLElement | undefined {
    const usable = (el: HTMLElement | null | undefined): el is HTMLElement => !!el?.isConnected && !(el as HTMLButtonElement).disabled;
    const escaped = CSS.escape(toolCallId ?? '');
    const candidates = [
      opener?.element,
      opener?.edit ? root.querySelector('agent-chat-approvals')?.shadowRoot?.querySelector<HTMLElement>(`[data-tool-call-id="${escaped}"] [part~="edit-button"]`) : undefined,
      ...[...root.querySelectorAll('agent-chat-tool-group')].map((group) =>
        group.shadowRoot?.querySelector<HTMLElement>(`[data-tool-call-id="${escaped}"] [part~="open-panel"]`),
      ),
    ];
    return candidates.find(usable);
  }

  /**
   * For `<agent-chat>`: whether the code panel in `root` lies over its approval bar (the sheet on a
   * phone), so the decision cannot be reached.
   * @internal
   */
  static coversApprovals(root: ParentNode): boolean {
    const panel = root.querySelector('agent-chat-code-panel');
    const approvals = root.querySelector('agent-chat-approvals');
    if (!panel || !approvals) return false;
    const p = panel.getBoundingClientRect();
    const a = approvals.getBoundingClientRect();
    return a.width > 0 && a.left < p.right && p.left < a.right && a.top < p.bottom && p.top < a.bottom;
  }

  static override properties = {
    call: { attribute: false },
    approval: { attribute: false },
    editedInput: { attribute: false },
    edited: { type: Boolean },
    pinned: { type: Boolean, reflect: true },
    following: { type: Boolean },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** The tool call shown. */
  declare call: ToolCallPart | undefined;
  /** Set when the call waits for approval: enables editing, validated against `approval.inputSchema`. */
  declare approval: PendingApproval | undefined;
  /** The user's edit of the pending input, when `edited`. */
  declare editedInput: unknown;
  /** The input of the pending call was edited: shows the "(edited)" badge and the diff view. */
  declare edited: boolean;
  /** Pinned: the owner keeps this call even when another tool runs. */
  declare pinned: boolean;
  /** Shown as "Following the running tool" when not pinned. */
  declare following: boolean;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  #view: 'input' | 'output' = 'input';
  /** The pending call whose input is being edited. */
  #editingId: string | undefined;
  #draft = '';
  /** The draft as the editor opened with it: Escape closes the editor only while nothing was changed. */
  #draftAtStart = '';
  #issues: string[] = [];
  /** Renders research reports with the widget's safe markdown (raw HTML as text, URL allowlists). */
  #report = new StreamingMarkdown();

  constructor() {
    super();
    this.call = undefined;
    this.approval = undefined;
    this.editedInput = undefined;
    this.edited = false;
    this.pinned = false;
    this.following = false;
    this.strings = {};
    this.theme = undefined;
  }

  /** Whether the input editor is open. */
  get editing(): boolean {
    return this.#editing;
  }

  get #editing(): boolean {
    return this.#editingId !== undefined && this.#editingId === this.approval?.toolCallId;
  }

  /** Opens the input editor (for a call waiting for approval) and focuses it. */
  async startEditing(): Promise<void> {
    if (!this.approval) return;
    this.#editingId = this.approval.toolCallId;
    this.#view = 'input';
    this.#draft = this.#draftAtStart = prettyJson(this.edited ? this.editedInput : this.approval.input);
    this.#issues = [];
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('call') as ToolCallPart | undefined;
    if (changed.has('call') && previous?.toolCallId !== this.call?.toolCallId) {
      if (!this.#editing) this.#issues = [];
      this.#view = this.call?.output !== undefined && !this.approval ? 'output' : 'input';
    } else if (changed.has('call') && previous?.output === undefined && this.call?.output !== undefined && !this.#editing) {
      // Following a tool: show its output as soon as it arrives.
      this.#view = 'output';
    }
  }

  /** A save waiting for the schema check (the validator loads on the first one). */
  #saving: Promise<void> | undefined;

  /** Resolves once rendered and any save under way is decided (and rendered). */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.#saving) {
      await this.#saving;
      result = await super.getUpdateComplete();
    }
    return result;
  }

  #save(): void {
    if (this.#saving) return;
    this.#saving = this.#check().finally(() => (this.#saving = undefined));
  }

  async #check(): Promise<void> {
    const approval = this.approval;
    if (!approval) return;
    let value: unknown;
    try {
      value = JSON.parse(this.#draft);
    } catch (error) {
      this.#issues = [format(resolveStrings(this.strings).invalidJson, { errors: (error as Error).message })];
      this.requestUpdate();
      return;
    }
    if (approval.inputSchema) {
      let issues: SchemaIssue[];
      try {
        issues = await validateJsonSchema(value, approval.inputSchema);
      } catch (error) {
        // The validator could not be loaded (offline): the server checks the input with the tool's schema anyway.
        reportError(error);
        issues = [];
      }
      // The editor was closed, or moved to another call, while the validator loaded.
      if (this.approval?.toolCallId !== approval.toolCallId || !this.#editing) return;
      if (issues.length > 0) {
        this.#issues = issues.map((i) => `${i.path} ${i.message}`);
        this.requestUpdate();
        return;
      }
    }
    this.#issues = [];
    this.#editingId = undefined;
    const unchanged = JSON.stringify(value) === JSON.stringify(approval.input);
    this.dispatchEvent(new AgentChatInputEditEvent({ toolCallId: approval.toolCallId, input: unchanged ? undefined : value, action: 'save' }));
    this.#closeEditor();
  }

  /**
   * Re-renders without the editor; the focus it had (or the Reset button's)
   * goes to Edit, unless the owner moved it on meanwhile (e.g. `<agent-chat>`
   * to Approve after "Use this input").
   */
  #closeEditor(): void {
    this.#editingId = undefined;
    this.#issues = [];
    this.requestUpdate();
    void this.updateComplete.then(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      if (!active || active === document.body) this.renderRoot.querySelector<HTMLButtonElement>('button[data-edit]')?.focus();
    });
  }

  #reset(): void {
    if (!this.approval) return;
    this.dispatchEvent(new AgentChatInputEditEvent({ toolCallId: this.approval.toolCallId, input: undefined, action: 'reset' }));
    this.#closeEditor();
  }

  protected override render(): TemplateResult {
    const s = resolveStrings(this.strings);
    const call = this.call;
    return html`<section class="panel" part="panel" aria-label=${s.codePanelLabel}>
      <header class="header" part="panel-header">
        ${call
          ? html`<span class="name">${call.name}</span>
              ${this.edited ? html`<span class="edited" data-edited>${s.edited}</span>` : nothing}
              <span class="badge ${call.state}">${s.toolStates[call.state] ?? call.state}</span>`
          : html`<span class="name">${s.codePanelLabel}</span>`}
        <span class="spacer"></span>
        ${call && !this.pinned && this.following ? html`<span class="following">${s.following}</span>` : nothing}
        ${call
          ? html`<button
              type="button"
              class="ghost"
              data-pin
              aria-pressed=${this.pinned ? 'true' : 'false'}
              title=${this.pinned ? s.unpinTitle : s.pinTitle}
              @click=${() => this.dispatchEvent(new AgentChatPanelPinEvent({ toolCallId: this.pinned ? null : call.toolCallId }))}
            >
              ${this.pinned ? s.unpin : s.pin}
            </button>`
          : nothing}
        <button type="button" class="ghost close" data-close aria-label=${s.closePanel} @click=${() => this.dispatchEvent(new AgentChatPanelCloseEvent())}>
          ✕
        </button>
      </header>
      ${call ? this.#renderBody(call, s) : html`<p class="empty">${s.codePanelEmpty}</p>`}
    </section>`;
  }

  #renderBody(call: ToolCallPart, s: AgentChatStrings): TemplateResult {
    const approval = this.approval;
    const original = approval ? approval.input : (call.originalInput ?? call.input);
    const current = approval ? (this.edited ? this.editedInput : approval.input) : call.input;
    const showDiff = this.#editing || this.edited || call.originalInput !== undefined;
    const diffAfter = this.#editing ? this.#draft : prettyJson(current);
    return html`<div class="views" role="group" aria-label=${s.codePanelLabel}>
        <button type="button" class="tab" aria-pressed=${this.#view === 'input' ? 'true' : 'false'} data-view="input" @click=${() => ((this.#view = 'input'), this.requestUpdate())}>
          ${s.toolInput}
        </button>
        <button
          type="button"
          class="tab"
          aria-pressed=${this.#view === 'output' ? 'true' : 'false'}
          data-view="output"
          ?disabled=${call.output === undefined}
          @click=${() => ((this.#view = 'output'), this.requestUpdate())}
        >
          ${s.toolOutput}
        </button>
        <span class="spacer"></span>
        ${approval && !this.#editing
          ? html`<button type="button" data-edit aria-label=${format(s.editInputLabel, { name: call.name })} @click=${() => this.startEditing()}>
              ${s.editInput}
            </button>`
          : nothing}
        ${approval && this.edited && !this.#editing
          ? html`<button type="button" class="ghost" data-reset @click=${() => this.#reset()}>${s.resetEdit}</button>`
          : nothing}
      </div>
      <div class="body" part="panel-body">
        ${this.#view === 'output' && call.output !== undefined
          ? isResearchReport(call)
            ? html`<div class="markdown report" data-output @click=${loadHeldImage}>${repeat(this.#report.update(call.output), (b) => b.key, (b) => unsafeHTML(b.html))}</div>`
            : html`<pre class=${call.isError ? 'error' : ''} data-output>${prettyJson(call.output)}</pre>`
          : this.#editing
            ? html`<textarea
                  part="editor"
                  spellcheck="false"
                  aria-label=${format(s.editInputLabel, { name: call.name })}
                  aria-invalid=${this.#issues.length > 0 ? 'true' : 'false'}
                  .value=${this.#draft}
                  @input=${(e: InputEvent) => {
                    this.#draft = (e.target as HTMLTextAreaElement).value;
                    this.requestUpdate();
                  }}
                  @keydown=${(e: KeyboardEvent) => {
                    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                      e.preventDefault();
                      this.#save();
                    } else if (e.key === 'Escape') {
                      // Escape never throws away a changed draft (Cancel does); an untouched one just closes.
                      e.preventDefault();
                      e.stopPropagation();
                      if (this.#draft !== this.#draftAtStart) return;
                      this.#editingId = undefined;
                      this.requestUpdate();
                      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button[data-edit]')?.focus());
                    }
                  }}
                ></textarea>
                ${this.#issues.length
                  ? html`<ul class="issues" part="validation" role="alert">
                      ${this.#issues.map((i) => html`<li>${i}</li>`)}
                    </ul>`
                  : nothing}
                <div class="edit-actions">
                  <button type="button" class="ghost" data-cancel @click=${() => this.#closeEditor()}>
                    ${s.cancelEdit}
                  </button>
                  <button type="button" class="primary" data-save @click=${() => this.#save()}>${s.saveEdit}</button>
                </div>`
            : html`<pre data-input>${prettyJson(current)}</pre>`}
        ${showDiff && this.#view === 'input' ? this.#renderDiff(prettyJson(original), diffAfter, s) : nothing}
      </div>`;
  }

  #renderDiff(before: string, after: string, s: AgentChatStrings): TemplateResult | typeof nothing {
    if (before === after) return nothing;
    const lines = lineDiff(before, after);
    return html`<figure class="diff" part="diff">
      <figcaption>${s.diffLabel}</figcaption>
      <pre>${lines.map(
        (l) => html`<span class="line ${l.kind}" data-diff=${l.kind}>${l.kind === 'add' ? '+ ' : l.kind === 'remove' ? '- ' : '  '}${l.text}
</span>`,
      )}</pre>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-code-panel': AgentChatCodePanel;
  }
}
