import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ChatClient, toChatError, type SessionInfo } from '@agent-chat/core';
import type { AgentChatClient } from '../../client.js';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { AgentChatSessionSelectEvent } from '../../events/session-select-event.js';
import type { AgentChatSessionChangeEvent } from '../../events/session-change-event.js';
import type { AgentChatTitleEvent } from '../../events/title-event.js';
import { AgentChatErrorEvent } from '../../events/error-event.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { sessionsSidebarStyles } from './sessions-sidebar.styles.js';

/**
 * The user's conversations: list, create, switch, delete, with titles kept
 * up to date from `title` events. Works with an `<agent-chat>` on the same
 * page: name it in `for` (its id) and picking a session sets its `session-id`;
 * the sidebar follows that element's `agent-chat-session-change`, `agent-chat-title`
 * and `agent-chat-turn-complete` events (they bubble to the document). Under
 * 640 px wide it becomes a drawer opened by its toggle button.
 *
 * @tagname agent-chat-sessions
 * @summary Sessions sidebar.
 *
 * @event {AgentChatSessionSelectEvent} agent-chat-session-select - The user picked or created a session. Cancelable.
 * @event {AgentChatErrorEvent} agent-chat-error - Listing, creating or deleting failed.
 *
 * @csspart sidebar - The panel (a drawer on narrow screens).
 * @csspart toggle - The button opening the drawer (narrow screens only).
 * @csspart new-session - The "New chat" button.
 * @csspart session - A session row.
 * @csspart session-active - The current session's row (with `session`).
 * @csspart delete-session - A row's delete button.
 * @csspart backdrop - Behind the open drawer.
 *
 * @cssproperty [--agent-chat-sessions-width=16rem] - Width of the sidebar.
 */
export class AgentChatSessions extends LitElement {
  static override styles = [themeStyles, sessionsSidebarStyles];

  static override properties = {
    endpoint: { type: String },
    client: { attribute: false },
    for: { type: String },
    active: { type: String, reflect: true },
    open: { type: Boolean, reflect: true },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** Base URL of the agent-chat API. Default `/api`. */
  declare endpoint: string;
  /** A configured client; by default the linked `<agent-chat>`'s, else one made for `endpoint`. */
  declare client: AgentChatClient | undefined;
  /** Id of the `<agent-chat>` element this sidebar drives. */
  declare for: string | undefined;
  /** Id of the session shown. */
  declare active: string | undefined;
  /** Whether the drawer is open (narrow screens). */
  declare open: boolean;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  #sessions: SessionInfo[] = [];
  #loaded = false;
  #lifecycle = new AbortController();

  constructor() {
    super();
    this.endpoint = '/api';
    this.client = undefined;
    this.for = undefined;
    this.active = undefined;
    this.open = false;
    this.strings = {};
    this.theme = undefined;
  }

  /** The sessions as last listed, newest first. */
  get sessions(): readonly SessionInfo[] {
    return this.#sessions;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#lifecycle = new AbortController();
    const { signal } = this.#lifecycle;
    document.addEventListener('agent-chat-session-change', (e) => this.#onSessionChange(e), { signal });
    document.addEventListener('agent-chat-title', (e) => this.#onTitle(e), { signal });
    document.addEventListener('agent-chat-turn-complete', (e) => this.#isLinked(e) && void this.refresh(), { signal });
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.open) {
        this.open = false;
        this.renderRoot.querySelector<HTMLButtonElement>('[part~="toggle"]')?.focus();
      }
    }, { signal });
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#lifecycle.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.hasUpdated && (changed.has('endpoint') || changed.has('client'))) void this.refresh();
    if (changed.has('for') && this.for) {
      const target = this.#target();
      const id = target?.conversation?.sessionId;
      if (id) this.active = id;
    }
  }

  #target(): (HTMLElement & { sessionId?: string; client?: AgentChatClient; conversation?: { sessionId?: string } }) | null {
    return this.for ? (this.getRootNode() as Document | ShadowRoot).getElementById?.(this.for) ?? document.getElementById(this.for) : null;
  }

  #isLinked(event: Event): boolean {
    return !this.for || event.composedPath().includes(this.#target()!);
  }

  #client(): AgentChatClient {
    return this.client ?? this.#target()?.client ?? new ChatClient({ endpoint: this.endpoint });
  }

  #onSessionChange(event: AgentChatSessionChangeEvent): void {
    if (!this.#isLinked(event)) return;
    this.active = event.detail.sessionId;
    if (!this.#sessions.some((s) => s.id === event.detail.sessionId)) void this.refresh();
  }

  #onTitle(event: AgentChatTitleEvent): void {
    if (!this.#isLinked(event)) return;
    const { sessionId, title } = event.detail;
    this.#sessions = this.#sessions.map((s) => (s.id === sessionId ? { ...s, title } : s));
    this.requestUpdate();
  }

  #fail(error: unknown): void {
    if (this.#lifecycle.signal.aborted) return;
    this.dispatchEvent(new AgentChatErrorEvent(toChatError(error)));
  }

  /** Lists the sessions again (`GET {endpoint}/sessions`). */
  async refresh(): Promise<void> {
    try {
      this.#sessions = await this.#client().listSessions({ signal: this.#lifecycle.signal });
      this.#loaded = true;
      this.requestUpdate();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Makes `id` the active session: fires `agent-chat-session-select` and, unless cancelled, points the linked `<agent-chat>` at it. */
  select(id: string): boolean {
    if (!this.dispatchEvent(new AgentChatSessionSelectEvent({ sessionId: id }))) return false;
    this.active = id;
    const target = this.#target();
    if (target) target.sessionId = id;
    this.open = false;
    return true;
  }

  /** Opens the user's empty session, else creates one (`POST {endpoint}/session?reuse=empty`), and selects it. */
  async create(): Promise<void> {
    try {
      // The user's empty session if they have one: "new chat" clicks never pile up empty sessions against the limit.
      const info = await this.#client().createSession({}, { signal: this.#lifecycle.signal, reuseEmpty: true });
      this.#sessions = [info, ...this.#sessions.filter((s) => s.id !== info.id)];
      this.select(info.id);
      this.requestUpdate();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Deletes a session (`DELETE {endpoint}/session/:id`); deleting the active one moves to the next, or a new one. */
  async delete(id: string): Promise<void> {
    try {
      await this.#client().deleteSession(id, { signal: this.#lifecycle.signal });
      const index = this.#sessions.findIndex((s) => s.id === id);
      this.#sessions = this.#sessions.filter((s) => s.id !== id);
      this.requestUpdate();
      if (id === this.active) {
        const next = this.#sessions[Math.min(Math.max(index, 0), this.#sessions.length - 1)];
        if (next) this.select(next.id);
        else await this.create();
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('[part~="session-active"] button, [part~="new-session"]')?.focus();
    } catch (error) {
      this.#fail(error);
    }
  }

  protected override render(): TemplateResult {
    const s = resolveStrings(this.strings);
    return html`<button
        type="button"
        class="toggle"
        part="toggle"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="sidebar"
        aria-label=${this.open ? s.closeSessions : s.openSessions}
        @click=${() => (this.open = !this.open)}
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M2 4h12M2 8h12M2 12h12" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>
      </button>
      ${this.open ? html`<div class="backdrop" part="backdrop" @click=${() => (this.open = false)}></div>` : nothing}
      <nav id="sidebar" class="sidebar" part="sidebar" aria-label=${s.sessionsLabel}>
        <div class="top">
          <h2 class="title">${s.sessionsLabel}</h2>
          <button type="button" class="new" part="new-session" data-new @click=${() => this.create()}>+ ${s.newSession}</button>
        </div>
        ${this.#loaded && this.#sessions.length === 0 ? html`<p class="none">${s.noSessions}</p>` : nothing}
        <ul class="list">
          ${repeat(
            this.#sessions,
            (session) => session.id,
            (session) => {
              const title = session.title || s.untitledSession;
              const active = session.id === this.active;
              return html`<li class="session ${active ? 'active' : ''}" part=${active ? 'session session-active' : 'session'} data-session-id=${session.id}>
                <button type="button" class="pick" aria-current=${active ? 'page' : 'false'} @click=${() => this.select(session.id)}>
                  <span class="name">${title}</span>
                  ${session.processing ? html`<span class="busy spinner" aria-hidden="true"></span>` : nothing}
                </button>
                <button
                  type="button"
                  class="ghost delete"
                  part="delete-session"
                  data-delete
                  aria-label=${format(s.deleteSession, { title })}
                  @click=${() => this.delete(session.id)}
                >
                  <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/></svg>
                </button>
              </li>`;
            },
          )}
        </ul>
      </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-sessions': AgentChatSessions;
  }
}
