import { html, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ChatClient } from '@agent-chat/core';
import type { Args } from '@storybook/web-components-vite';
import { createMockFetch, type MockScenario } from './mock-fetch.js';
import { args as applyArgs } from './story-args.js';

/** A client over the mock transport playing `scenario` (a fresh one per call). */
export function mockClient(scenario: MockScenario): ChatClient {
  return new ChatClient({ endpoint: '/api', fetch: createMockFetch(scenario), reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
}

/**
 * `<agent-chat>` over the mock transport, for stories: `args` (the story's
 * controls: `theme`, `panelOpen`, `strings`, `--agent-chat-*`, slots, event
 * actions) are applied to the live element, which keeps its client (and so the
 * replay) when a control changes.
 */
export function chatStory(
  scenario: MockScenario,
  args: Args = {},
  options: { dir?: 'rtl' | 'ltr'; height?: string } = {},
): TemplateResult {
  return html`<agent-chat
    style="height: ${options.height ?? 'var(--story-height, 100vh)'}"
    dir=${ifDefined(options.dir)}
    session-id=${scenario.sessionId ?? 'mock-session'}
    .client=${guard([], () => mockClient(scenario))}
    ${applyArgs(args)}
  ></agent-chat>`;
}
