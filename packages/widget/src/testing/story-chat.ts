import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ChatClient } from '@agent-chat/core';
import { createMockFetch, type MockScenario } from './mock-fetch.js';

/** A client over the mock transport playing `scenario` (a fresh one per call). */
export function mockClient(scenario: MockScenario): ChatClient {
  return new ChatClient({ endpoint: '/api', fetch: createMockFetch(scenario), reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
}

/** `<agent-chat>` over the mock transport, for stories. */
export function chatStory(
  scenario: MockScenario,
  options: { theme?: 'dark' | 'light'; dir?: 'rtl' | 'ltr'; height?: string; panelOpen?: boolean; strings?: Record<string, unknown> } = {},
): TemplateResult {
  return html`<agent-chat
    style="height: ${options.height ?? '100vh'}"
    theme=${ifDefined(options.theme)}
    dir=${ifDefined(options.dir)}
    session-id=${scenario.sessionId ?? 'mock-session'}
    ?panel-open=${options.panelOpen ?? false}
    .client=${mockClient(scenario)}
    .strings=${options.strings ?? {}}
  ></agent-chat>`;
}
