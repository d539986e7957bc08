import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ResearchAgent } from '@agent-chat/core';
import { format, resolveStrings, type AgentChatStrings } from '../../strings.js';
import { formatTokens } from '../../util/format.js';
import { formatElapsed } from '../../util/tool-format.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { researchPanelStyles } from './research-panel.styles.js';

/** How many of an agent's recent steps are listed under it. */
const STEPS_SHOWN = 3;
/** The elapsed time of running agents ticks this often, in ms. */
const TICK_MS = 1000;

/**
 * Research sub-agents working for a tool call, one row each (from `tool_log`
 * events): label, state, current step, tool count, tokens, elapsed time that
 * keeps counting between events while the agent runs, and its last few steps.
 *
 * @tagname agent-chat-research
 * @summary Parallel research sub-agents of a tool call.
 *
 * @csspart research - The list.
 * @csspart agent - One sub-agent's row.
 * @csspart agent-header - A row's label and status.
 * @csspart agent-stats - A row's tool count, tokens and elapsed time.
 * @csspart agent-steps - A row's steps so far.
 *
 * @cssproperty [--agent-chat-accent=#b8532f] - The running indicator.
 */
export class AgentChatResearch extends LitElement {
  static override styles = [themeStyles, researchPanelStyles];

  static override properties = {
    agents: { attribute: false },
    strings: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** The sub-agents, as on a tool call part's `agents`. */
  declare agents: ResearchAgent[];
  /** Replacements for any UI string; missing keys keep the English default. */
  declare strings: Partial<AgentChatStrings>;
  /**
   * `dark` or `light` forces a palette; unset follows `prefers-color-scheme`; `inherit` (set by
   * `<agent-chat>` on its parts) takes the tokens of the element around it.
   * @type {'dark' | 'light' | 'inherit' | undefined}
   */
  declare theme: string | undefined;

  /** When each agent's reported `elapsedMs` was received (`performance.now()`), to count on locally. */
  #seen = new Map<string, { elapsedMs: number; at: number }>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.agents = [];
    this.strings = {};
    this.theme = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTimer();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('agents')) return;
    const now = performance.now();
    for (const agent of this.agents) {
      const seen = this.#seen.get(agent.agentId);
      if (!seen || seen.elapsedMs !== agent.elapsedMs) this.#seen.set(agent.agentId, { elapsedMs: agent.elapsedMs, at: now });
    }
    const running = this.agents.some((a) => a.status === 'running');
    if (running && !this.#timer && this.isConnected) {
      this.#timer = setInterval(() => this.requestUpdate(), TICK_MS);
    } else if (!running) {
      this.#stopTimer();
    }
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Elapsed time of an agent in ms: as reported, plus the time since, while it runs. */
  elapsedOf(agent: ResearchAgent): number {
    const seen = this.#seen.get(agent.agentId);
    if (!seen || agent.status !== 'running') return agent.elapsedMs;
    return seen.elapsedMs + (performance.now() - seen.at);
  }

  protected override render(): TemplateResult {
    const s = resolveStrings(this.strings);
    return html`<ul class="research" part="research" aria-label=${s.researchLabel}>
      ${repeat(
        this.agents,
        (a) => a.agentId,
        (agent) => {
          const steps = agent.steps.slice(-STEPS_SHOWN);
          return html`<li class="agent ${agent.status}" part="agent" data-agent-id=${agent.agentId}>
            <div class="agent-header" part="agent-header">
              <span class="indicator" aria-hidden="true">
                ${agent.status === 'running' ? html`<span class="spinner"></span>` : agent.status === 'done' ? '✓' : '!'}
              </span>
              <span class="label">${agent.label}</span>
              <span class="badge ${agent.status}">${s.researchStates[agent.status]}</span>
            </div>
            <div class="agent-stats" part="agent-stats">
              <span data-tools>${format(s.researchTools, { count: agent.toolCount })}</span>
              <span data-tokens>${format(s.researchTokens, { tokens: formatTokens(agent.tokens) })}</span>
              <span data-elapsed>${formatElapsed(this.elapsedOf(agent))}</span>
            </div>
            ${steps.length > 0
              ? html`<ol class="agent-steps" part="agent-steps">
                  ${steps.map(
                    (step, i) =>
                      html`<li class=${i === steps.length - 1 && agent.status === 'running' ? 'current' : ''}>${step}</li>`,
                  )}
                </ol>`
              : agent.step
                ? html`<div class="agent-steps current">${agent.step}</div>`
                : nothing}
          </li>`;
        },
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-chat-research': AgentChatResearch;
  }
}
