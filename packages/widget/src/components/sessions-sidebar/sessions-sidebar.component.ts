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
 * Deleting from the list can be undone: the row turns into "Deleted … Undo"
 * for `undo-delay` ms, and only then is the session deleted on the server
 * (at once when "+ New chat" needs the room, or when the element goes away).
 * At the per-user session limit (429 `session_limit`), from "+ New chat" or
 * from the linked `<agent-chat>` failing to open one, it shows why in a
 * notice (`::part(notice)`) and opens, so that one can be deleted.
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
 * @csspart session-deleted - The row of a session just deleted, while it can be restored.
 * @csspart undo-delete - Its Undo button.
 * @csspart notice - Why "+ New chat" did nothing (e.g. the session limit), under it.
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
    undoDelay: { type: Number, attribute: 'undo-delay' },
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
  /** How long a deleted session can be restored with Undo before it is deleted on the server, in ms. Default 6000. */
  declare undoDelay: number;
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  #sessions: SessionInfo[] = [];
  /** Sessions deleted from the list whose Undo is still offered, with the timer that deletes them on the server. */
  #deleting = new Map<string, { timer: ReturnType<typeof setTimeout>; wasActive: boolean; replacedBy?: string }>();
  /** Why "+ New chat" could not make a session (shown under it). */
  #notice: string | undefined;
  #loaded = false;
  #lifecycle = new AbortController();

  constructor() {
    super();
    this.endpoint = '/api';
    this.client = undefined;
    this.for = undefined;
    this.active = undefined;
    this.open = false;
    this.undoDelay = 6000;
    this.strings = {};
    this.theme = undefined;
  }

  /** The sessions as last listed, newest first, without those just deleted (while their Undo is offered). */
  get sessions(): readonly SessionInfo[] {
    return this.#sessions.filter((s) => !this.#deleting.has(s.id));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#lifecycle = new AbortController();
    const { signal } = this.#lifecycle;
    document.addEventListener('agent-chat-session-change', (e) => this.#onSessionChange(e), { signal });
    document.addEventListener('agent-chat-title', (e) => this.#onTitle(e), { signal });
    document.addEventListener('agent-chat-turn-complete', (e) => this.#isLinked(e) && void this.refresh(), { signal });
    document.addEventListener('agent-chat-error', (e) => this.#onChatError(e), { signal });
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.open) {
        this.open = false;
        this.renderRoot.querySelector<HTMLButtonElement>('[part~="toggle"]')?.focus();
      }
    }, { signal });
    void this.refresh();
    // The linked chat may have failed to open a session before this element was defined (it loads lazily).
    if (this.#target()?.openError?.code === 'session_limit') this.#showLimit();
  }

  #showLimit(): void {
    this.#notice = resolveStrings(this.strings).sessionLimit;
    this.open = true;
    this.requestUpdate();
    // A drawer (narrow screens) that opened by itself covers the page: focus goes into it, to the
    // notice, so that it is read and Escape closes it. Beside the chat, focus stays where it is.
    void this.updateComplete.then(() => {
      const toggle = this.renderRoot.querySelector<HTMLElement>('[part~="toggle"]');
      const drawer = !!toggle && getComputedStyle(toggle).display !== 'none';
      if (drawer && this.open && !(this.renderRoot as ShadowRoot).activeElement) {
        this.renderRoot.querySelector<HTMLElement>('[part~="notice"]')?.focus();
      }
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Deletes waiting for their Undo to pass are done now: the user asked for them.
    void this.#deletePending(undefined);
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

  #target(): (HTMLElement & { sessionId?: string; client?: AgentChatClient; conversation?: { sessionId?: string }; openError?: { code: string } }) | null {
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

  /** The linked chat could not open a session because of the limit: show why and the list to delete one from. */
  #onChatError(event: AgentChatErrorEvent): void {
    if (this.#isLinked(event) && event.detail.code === 'session_limit') this.#showLimit();
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

  /**
   * Opens the user's empty session, else creates one (`POST {endpoint}/session?reuse=empty`),
   * and selects it. Deletes still waiting for their Undo are done first, so that
   * they make room. At the session limit (429 `session_limit`) it shows a notice
   * and opens the drawer.
   */
  async create(): Promise<void> {
    try {
      await this.#deletePending();
      // The user's empty session if they have one: "new chat" clicks never pile up empty sessions against the limit.
      const info = await this.#client().createSession({}, { signal: this.#lifecycle.signal, reuseEmpty: true });
      this.#sessions = [info, ...this.#sessions.filter((s) => s.id !== info.id)];
      this.#notice = undefined;
      this.select(info.id);
      this.requestUpdate();
    } catch (error) {
      if (toChatError(error).code === 'session_limit' && !this.#lifecycle.signal.aborted) this.#showLimit();
      this.#fail(error);
    }
  }

  /**
   * Takes `id` out of the list with an Undo in its place (focused) for
   * `undoDelay` ms, then deletes it on the server. Deleting the session shown
   * moves the linked chat to the next one (or a new one); Undo moves it back.
   */
  async deleteWithUndo(id: string): Promise<void> {
    if (!this.#sessions.some((s) => s.id === id) || this.#deleting.has(id)) return;
    const wasActive = id === this.active;
    const entry: { timer: ReturnType<typeof setTimeout>; wasActive: boolean; replacedBy?: string } = {
      timer: setTimeout(() => void this.#deleteNow(id), this.undoDelay),
      wasActive,
    };
    const before = this.sessions;
    this.#deleting.set(id, entry);
    this.requestUpdate();
    if (wasActive) {
      const index = before.findIndex((s) => s.id === id);
      const rest = this.sessions;
      const next = rest[Math.min(index, rest.length - 1)];
      if (next) this.select(next.id);
      else await this.create();
      entry.replacedBy = this.active;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`[data-session-id="${CSS.escape(id)}"] [part~="undo-delete"]`)?.focus();
  }

  /** Puts a session deleted with {@link AgentChatSessions.deleteWithUndo} back, and back on screen if it was. */
  async undoDelete(id: string): Promise<void> {
    const entry = this.#deleting.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#deleting.delete(id);
    // Back on screen unless the user has picked another conversation since.
    if (entry.wasActive && this.active === entry.replacedBy) this.select(id);
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`[data-session-id="${CSS.escape(id)}"] .pick`)?.focus();
  }

  /** Deletes `id` on the server now (its Undo is over); `signal` undefined when the element is going away. */
  async #deleteNow(id: string, signal: AbortSignal | undefined = this.#lifecycle.signal): Promise<void> {
    const entry = this.#deleting.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    const hadFocus = this.shadowRoot?.activeElement?.closest(`[data-session-id="${CSS.escape(id)}"]`) != null;
    try {
      await this.#client().deleteSession(id, signal ? { signal } : {});
      this.#sessions = this.#sessions.filter((s) => s.id !== id);
      this.#notice = undefined;
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#deleting.delete(id);
      this.requestUpdate();
    }
    if (hadFocus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('[part~="session-active"] .pick, [part~="new-session"]')?.focus();
    }
  }

  /** Does every delete still waiting for its Undo to pass. */
  async #deletePending(signal: AbortSignal | undefined = this.#lifecycle.signal): Promise<void> {
    await Promise.all([...this.#deleting.keys()].map((id) => this.#deleteNow(id, signal)));
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
        ${this.#notice ? html`<p class="notice" part="notice" role="alert" tabindex="-1">${this.#notice}</p>` : nothing}
        ${this.#loaded && this.#sessions.length === 0 ? html`<p class="none">${s.noSessions}</p>` : nothing}
        <ul class="list">
          ${repeat(
            this.#sessions,
            (session) => session.id,
            (session) => {
              const title = session.title || s.untitledSession;
              if (this.#deleting.has(session.id)) {
                return html`<li class="session deleted" part="session-deleted" data-session-id=${session.id}>
                  <span class="name">${format(s.sessionDeleted, { title })}</span>
                  <button type="button" class="undo" part="undo-delete" aria-label=${format(s.undoDeleteLabel, { title })} @click=${() => this.undoDelete(session.id)}>
                    ${s.undoDelete}
                  </button>
                </li>`;
              }
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
                  @click=${() => this.deleteWithUndo(session.id)}
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
