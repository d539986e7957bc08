import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ToolCallPart } from '@agent-chat/core';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { prettyJson, summarizeInput } from '../../util/tool-format.js';
import { isResearchReport } from '../../util/research-report.js';
import { StreamingMarkdown } from '../../markdown/streaming-markdown.js';
import { loadHeldImage } from '../../markdown/safe-markdown.js';
import { markdownStyles } from '../../styles/markdown.styles.js';
import { AgentChatToolSelectEvent } from '../../events/tool-select-event.js';
import { ensureDefined } from '../../define-element.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { toolPartStyles } from '../../styles/tool-parts.styles.js';
import { toolCallGroupStyles } from './tool-call-group.styles.js';
import { OUTPUT_PREVIEW_CHARS, OUTPUT_PREVIEW_LINES } from './output-preview.js';

export { OUTPUT_PREVIEW_CHARS, OUTPUT_PREVIEW_LINES } from './output-preview.js';

function preview(text: string): string | undefined {
  let cut = text.length > OUTPUT_PREVIEW_CHARS ? OUTPUT_PREVIEW_CHARS : -1;
  let newlines = 0;
  for (let i = 0; i < Math.min(text.length, OUTPUT_PREVIEW_CHARS); i++) {
    if (text.charCodeAt(i) === 10 && ++newlines === OUTPUT_PREVIEW_LINES) {
      cut = i;
      break;
    }
  }
  return cut === -1 ? undefined : text.slice(0, cut);
}

/**
 * Consecutive tool calls of an assistant message, one card each: name, a hint
 * of the input, state (running, awaiting approval, done, error, rejected,
 * interrupted), collapsible input and output (JSON pretty-printed, long output
 * cut with "Show more"), rejection feedback, research sub-agents, an
 * "(edited)" badge when the user changed the input (while a call waits for
 * approval, the card shows the edit given in `edits`), and a button that opens
 * the call in the code panel. Tool output is untrusted and rendered as text,
 * except a research report (a call with sub-agents and string output), which
 * is rendered as the widget's safe markdown (raw HTML as text, URL allowlists,
 * bounded; remote images held back).
 *
 * @tagname agent-chat-tool-group
 * @summary A group of tool calls with their states.
 *
 * @event {AgentChatToolSelectEvent} agent-chat-tool-select - The user asked to see a call in the code panel.
 *
 * @csspart group - The list of cards.
 * @csspart tool-call - A card.
 * @csspart tool-header - A card's header: name, summary, state.
 * @csspart tool-input - A card's input.
 * @csspart tool-output - A card's output.
 * @csspart badge - A card's state badge.
 * @csspart edited-badge - "(edited)" on a call whose input the user edited.
 * @csspart show-more - The button expanding a long output.
 * @csspart open-panel - The button opening the call in the code panel.
 * @csspart research - The research sub-agents of a call (re-exported from `<agent-chat-research>`).
 * @csspart agent - One sub-agent's row.
 * @csspart agent-header - A row's label and status.
 * @csspart agent-stats - A row's tool count, tokens and elapsed time.
 * @csspart agent-steps - A row's steps so far.
 * @csspart load-image - In a research report, the button standing in for a remote image until the user loads it.
 *
 * @cssproperty [--agent-chat-success=#1b7a44] - Finished calls.
 * @cssproperty [--agent-chat-danger=#b83a33] - Failed and rejected calls.
 * @cssproperty [--agent-chat-accent=#b8532f] - Calls waiting for approval.
 */
export class AgentChatToolGroup extends LitElement {
  static override styles = [themeStyles, markdownStyles, toolPartStyles, toolCallGroupStyles];
  /** Only research tools have sub-agents: their list is defined when the first one shows up. */
  static lazyDependencies = {
    'agent-chat-research': () => import('../tool-parts/tool-parts.js').then((m) => m.AgentChatResearch),
  };

  static override properties = {
    calls: { attribute: false },
    edits: { attribute: false },
    selected: { type: String },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** The tool call parts to show, in order. */
  declare calls: ToolCallPart[];
  /**
   * The user's edits of inputs of calls waiting for approval, by tool call id
   * (as `<agent-chat-approvals>` gets them): such a card shows the edited input,
   * marked "(edited)". Ignored for calls no longer waiting.
   */
  declare edits: ReadonlyMap<string, unknown>;
  /** Id of the call shown in the code panel, highlighted here. */
  declare selected: string | undefined;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  #researchRequested = false;
  #expanded = new Set<string>();
  /** Cards the user opened or closed, by id; the others follow their state (open while awaiting approval or failed). */
  #open = new Map<string, boolean>();
  /** A markdown renderer per research report shown, by call id. */
  #reports = new Map<string, StreamingMarkdown>();

  constructor() {
    super();
    this.calls = [];
    this.edits = new Map();
    this.selected = undefined;
    this.strings = {};
    this.theme = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('calls') && this.#reports.size > 0) {
      const ids = new Set(this.calls.map((c) => c.toolCallId));
      for (const id of this.#reports.keys()) if (!ids.has(id)) this.#reports.delete(id);
    }
    if (!this.#researchRequested && changed.has('calls') && this.calls.some((c) => c.agents?.length)) {
      this.#researchRequested = true;
      // Nothing to show in its place: a failed load leaves the cards without the list, and says why on the console.
      ensureDefined('agent-chat-research').catch(reportError);
    }
  }

  #toggle(id: string, event: Event): void {
    this.#open.set(id, (event.currentTarget as HTMLDetailsElement).open);
  }

  protected override render(): TemplateResult {
    const s = resolveStrings(this.strings);
    return html`<div class="group" part="group" role="list">
      ${repeat(this.calls, (c) => c.toolCallId, (call) => this.#renderCall(call, s))}
    </div>`;
  }

  #renderCall(call: ToolCallPart, s: AgentChatStrings): TemplateResult {
    const output = call.output === undefined ? undefined : prettyJson(call.output);
    const expanded = this.#expanded.has(call.toolCallId);
    const cut = output !== undefined && !expanded ? preview(output) : undefined;
    const pendingEdit = call.state === 'awaiting_approval' && this.edits.has(call.toolCallId);
    const input = pendingEdit ? this.edits.get(call.toolCallId) : call.input;
    const edited = pendingEdit || call.originalInput !== undefined;
    const open = this.#open.get(call.toolCallId) ?? (call.state === 'error' || call.state === 'awaiting_approval');
    const icon =
      call.state === 'running' || call.state === 'approved'
        ? html`<span class="spinner"></span>`
        : ({ done: '✓', error: '!', rejected: '✕', interrupted: '■', awaiting_approval: '?' } as Record<string, string>)[
            call.state
          ] ?? '';
    return html`<div
      class="tool ${call.state} ${this.selected === call.toolCallId ? 'selected' : ''}"
      part="tool-call"
      role="listitem"
      data-tool-call-id=${call.toolCallId}
      data-state=${call.state}
    >
      <details .open=${open} @toggle=${(e: Event) => this.#toggle(call.toolCallId, e)}>
        <summary class="tool-header" part="tool-header">
          <span class="tool-icon" aria-hidden="true">${icon}</span>
          <span class="tool-name">${call.name}</span>
          <span class="tool-summary">${summarizeInput(input)}</span>
          ${edited ? html`<span class="edited" part="edited-badge">${s.edited}</span>` : nothing}
          <span class="badge ${call.state}" part="badge">${s.toolStates[call.state] ?? call.state}</span>
          <span class="chevron" aria-hidden="true"></span>
        </summary>
        <div class="section" part="tool-input">
          <div class="section-label">${s.toolInput}</div>
          <pre>${prettyJson(input)}</pre>
        </div>
        ${output !== undefined
          ? html`<div class="section" part="tool-output">
              <div class="section-label">${s.toolOutput}</div>
              ${isResearchReport(call)
                ? this.#renderReport(call.toolCallId, cut !== undefined ? `${cut}…` : output)
                : html`<pre class=${call.isError ? 'error' : ''}>${cut ?? output}${cut !== undefined ? '…' : ''}</pre>`}
              ${cut !== undefined || expanded
                ? html`<button
                    type="button"
                    class="ghost show-more"
                    part="show-more"
                    aria-expanded=${expanded ? 'true' : 'false'}
                    @click=${() => {
                      if (expanded) this.#expanded.delete(call.toolCallId);
                      else this.#expanded.add(call.toolCallId);
                      this.requestUpdate();
                    }}
                  >
                    ${expanded ? s.showLess : s.showMore}
                  </button>`
                : nothing}
            </div>`
          : nothing}
        ${call.agents?.length && call.state !== 'running' ? this.#renderResearch(call) : nothing}
      </details>
      <button
        type="button"
        class="ghost open-panel"
        part="open-panel"
        aria-label=${format(s.openInPanel, { name: call.name })}
        title=${format(s.openInPanel, { name: call.name })}
        @click=${() => this.dispatchEvent(new AgentChatToolSelectEvent({ toolCallId: call.toolCallId }))}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M9 2h5v5M14 2 7.5 8.5M12 9.5V13a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
      </button>
      ${call.feedback ? html`<div class="feedback-note">${s.rejectionFeedback}: ${call.feedback}</div>` : nothing}
      ${call.agents?.length && call.state === 'running' ? this.#renderResearch(call) : nothing}
    </div>`;
  }

  /** A research report as safe markdown (its renderer kept per call, so Show more and Show less re-render only what changed). */
  #renderReport(id: string, text: string): TemplateResult {
    let renderer = this.#reports.get(id);
    if (!renderer) this.#reports.set(id, (renderer = new StreamingMarkdown()));
    return html`<div class="markdown report" @click=${loadHeldImage}>${repeat(renderer.update(text, { done: true }), (b) => b.key, (b) => unsafeHTML(b.html))}</div>`;
  }

  /** Research sub-agents: in view while they work, folded into the card once the call is over. */
  #renderResearch(call: ToolCallPart): TemplateResult {
    return html`<agent-chat-research
      class="research"
      theme="inherit"
      exportparts="research, agent, agent-header, agent-stats, agent-steps"
      .agents=${call.agents ?? []}
      .strings=${this.strings}
    ></agent-chat-research>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-tool-group': AgentChatToolGroup;
  }
}
